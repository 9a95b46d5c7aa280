using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace LoanHub.Web.Data;

/// <summary>The database engines LoanHub runs on: SQLite, embedded, the default; PostgreSQL for a server of its own.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which database holds the store: <c>LoanHub:Database:Provider</c> picks the engine and <c>ConnectionStrings:LoanHub</c>
/// says where it is (<see href="../../docs/decisions/0012-postgresql-provider.md">ADR 0012</see>).
/// </summary>
public sealed class StoreConnection
{
    public const string ProviderKey = "LoanHub:Database:Provider";
    public const string ConnectionStringName = "LoanHub";

    private StoreConnection(StoreProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
    }

    public StoreProvider Provider { get; }

    /// <summary>For SQLite, with the file made absolute and a busy timeout; for PostgreSQL, as configured.</summary>
    public string ConnectionString { get; }

    public bool IsSqlite => Provider == StoreProvider.Sqlite;

    /// <summary>The store file; only SQLite has one.</summary>
    public string FilePath => IsSqlite
        ? new SqliteConnectionStringBuilder(ConnectionString).DataSource
        : throw new InvalidOperationException("A PostgreSQL store has no file.");

    /// <summary>The store as an operator recognises it in a message: a file, or a database on a server (never the password).</summary>
    public string Description
    {
        get
        {
            if (IsSqlite) return FilePath;
            var postgres = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"PostgreSQL database {postgres.Database} on {postgres.Host}:{postgres.Port}";
        }
    }

    /// <summary>Reads the provider and the connection string; an unknown provider or a PostgreSQL store without one stops the start.</summary>
    public static StoreConnection From(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        return ParseProvider(configuration[ProviderKey]) switch
        {
            StoreProvider.Postgres when string.IsNullOrWhiteSpace(configured) => throw new InvalidOperationException(
                $"{ProviderKey} is Postgres but ConnectionStrings:{ConnectionStringName} is empty; set it to the PostgreSQL " +
                "connection string (for example Host=db;Database=loanhub;Username=loanhub;Password=...)."),
            StoreProvider.Postgres => new StoreConnection(StoreProvider.Postgres, configured!),
            _ => new StoreConnection(StoreProvider.Sqlite, ResolveSqlite(configured, contentRoot)),
        };
    }

    private static StoreProvider ParseProvider(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured) || configured.Equals(nameof(StoreProvider.Sqlite), StringComparison.OrdinalIgnoreCase))
            return StoreProvider.Sqlite;
        if (configured.Equals(nameof(StoreProvider.Postgres), StringComparison.OrdinalIgnoreCase)) return StoreProvider.Postgres;
        throw new InvalidOperationException($"{ProviderKey} is '{configured}'; it must be Sqlite (the default) or Postgres.");
    }

    private static string ResolveSqlite(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=data/loanhub.db" : configured);
        if (builder.DataSource is not (":memory:" or "") && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(builder.DataSource) ? builder.DataSource : Path.Combine(contentRoot, builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }
        // Busy writers wait instead of failing at once with SQLITE_BUSY.
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        return builder.ToString();
    }

    /// <summary>The options every context of the store is built with, whichever context type (see <see cref="PostgresLoanHubDbContext"/>).</summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsSqlite) options.UseSqlite(ConnectionString).AddInterceptors(DurableCommits.Instance);
        else options.UseNpgsql(ConnectionString);
        options.ReplaceService<IModelCacheKeyFactory, PersonalDataModelCacheKeyFactory>();
    }

    // synchronous is a per-connection setting whose default is a build option of the native library; FULL makes
    // every commit (in WAL mode: the WAL) reach the disk before intake acknowledges it, so a power cut loses nothing
    // a source was told was stored. PostgreSQL's default (synchronous_commit=on, fsync=on) already does.
    private sealed class DurableCommits : DbConnectionInterceptor
    {
        public static readonly DurableCommits Instance = new();

        private const string Pragma = "PRAGMA synchronous=FULL;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // Each PersonalData (one per host) builds its own model with its own encrypting converters.
    private sealed class PersonalDataModelCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) =>
            (context.GetType(), ((LoanHubDbContext)context).PersonalData, designTime);
    }
}
