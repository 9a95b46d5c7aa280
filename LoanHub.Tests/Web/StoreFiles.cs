using System.Text;

namespace LoanHub.Tests.Web;

internal static class StoreFiles
{
    /// <summary>The raw bytes of a SQLite store and its WAL, as Latin-1 text, to look for what must not be there in clear.</summary>
    public static async Task<string> ReadAllAsTextAsync(string databasePath)
    {
        var text = new StringBuilder();
        foreach (var path in new[] { databasePath, databasePath + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }
        return text.ToString();
    }
}
