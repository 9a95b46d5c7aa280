using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoanHub.Tests.Web.Privacy;

/// <summary>A value that must not be found somewhere, and the byte forms it could be found in.</summary>
internal sealed record Secret(string What, string Value, bool AlsoUtf16 = false)
{
    /// <summary>Key material as bytes: found as they are or as the base64 text of <see cref="Value"/>.</summary>
    public static Secret Key(string what, byte[] key) => new(what, Convert.ToBase64String(key)) { Raw = key };

    public byte[]? Raw { get; init; }

    public IEnumerable<(string Form, byte[] Bytes)> Forms()
    {
        yield return ("UTF-8", Encoding.UTF8.GetBytes(Value));
        if (AlsoUtf16) yield return ("UTF-16", Encoding.Unicode.GetBytes(Value));
        if (Raw is { } raw) yield return ("raw bytes", raw);
    }
}

/// <summary>Somewhere personal data could leak to: a file, a workbook part, the log.</summary>
internal sealed record Place(string Name, byte[] Bytes);

/// <summary>
/// Looks for known personal values, byte for byte, wherever the application writes. Each kind of place has its own
/// reader, so a new one (a backup file, say: <see cref="File"/>) joins the same check with one line.
/// </summary>
internal static class PersonalDataLeaks
{
    /// <summary>Fails naming every secret found and where, in which encoding.</summary>
    public static void AssertAbsent(IEnumerable<Secret> secrets, IEnumerable<Place> places)
    {
        var placeList = places.ToList();
        Assert.NotEmpty(placeList);
        var found = (from place in placeList
                     from secret in secrets
                     from form in secret.Forms()
                     where place.Bytes.AsSpan().IndexOf(form.Bytes) >= 0
                     select $"{secret.What} ({form.Form}) in {place.Name}").ToList();
        Assert.True(found.Count == 0, "Personal data found: " + string.Join("; ", found));
    }

    /// <summary>A file as it is on disk now (read while the application may hold it open), or nothing if it does not exist.</summary>
    public static IEnumerable<Place> File(string path)
    {
        if (!System.IO.File.Exists(path)) yield break;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        yield return new Place(Path.GetFileName(path), copy.ToArray());
    }

    /// <summary>Every file under a folder (a backup, say), each named by its path inside it.</summary>
    public static IEnumerable<Place> Folder(string path)
    {
        var files = Directory.GetFiles(path, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        return files.Order(StringComparer.Ordinal).SelectMany(file =>
            File(file).Select(place => place with { Name = $"{Path.GetFileName(path)}/{Path.GetRelativePath(path, file)}" }));
    }

    /// <summary>The SQLite store and its write-ahead log, or on PostgreSQL every row of the database.</summary>
    public static IEnumerable<Place> Store(string databasePath) => TestStores.OnPostgres
        ? [new Place($"database {databasePath}", System.Text.Encoding.UTF8.GetBytes(StoreFiles.ReadAllAsTextAsync(databasePath).GetAwaiter().GetResult()))]
        : File(databasePath).Concat(File(databasePath + "-wal"));

    /// <summary>Every part of an xlsx workbook (a zip), uncompressed: the strings live in its XML.</summary>
    public static IEnumerable<Place> Workbook(string name, byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        var parts = new List<Place>();
        foreach (var entry in zip.Entries)
        {
            using var part = entry.Open();
            using var copy = new MemoryStream();
            part.CopyTo(copy);
            parts.Add(new Place($"{name}:{entry.FullName}", copy.ToArray()));
        }
        Assert.Contains(parts, p => p.Name.EndsWith(".xml", StringComparison.Ordinal)); // really a workbook, not an error page
        return parts;
    }

    public static Place Log(CapturedLogs logs) => new("the log", Encoding.UTF8.GetBytes(string.Join("\n", logs.Lines)));
}

/// <summary>Every log line the application writes, at every level, with its exception and scopes.</summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> lines = new();
    private IExternalScopeProvider? scopes;

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) line.Append($" {key}={value}");
            owner.scopes?.ForEachScope((scope, text) => text.Append(" scope=").Append(scope), line);
            owner.lines.Enqueue(line.ToString());
        }
    }
}

/// <summary>The real application, with every log line at every level captured.</summary>
internal sealed class LoggedHost : LoanHubHost
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturedLogs>(null, LogLevel.Trace));
    }
}
