using System.Text;
using Npgsql;

namespace LoanHub.Tests.Web;

internal static class StoreFiles
{
    /// <summary>
    /// Everything the store holds, as text, to look for what must not be there in clear: the raw bytes of a SQLite file
    /// and its WAL (as Latin-1), or on PostgreSQL every row of every table as JSON (what a dump of it would hold).
    /// </summary>
    public static async Task<string> ReadAllAsTextAsync(string store)
    {
        if (TestStores.OnPostgres) return await DumpPostgresAsync(store);
        var text = new StringBuilder();
        foreach (var path in new[] { store, store + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }
        return text.ToString();
    }

    private static async Task<string> DumpPostgresAsync(string database)
    {
        await using var connection = new NpgsqlConnection(TestStores.ConnectionString(database));
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", connection))
        await using (var names = await list.ExecuteReaderAsync())
            while (await names.ReadAsync()) tables.Add(names.GetString(0));
        if (tables.Count == 0) throw new InvalidOperationException($"The database {database} has no tables.");

        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        }
        return text.ToString();
    }
}
