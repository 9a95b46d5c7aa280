using System.Collections.Concurrent;
using LoanHub.Web.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;

namespace LoanHub.Tests.Web;

/// <summary>
/// Where the integration tests keep their stores: a fresh SQLite file each, or with <c>LOANHUB_TEST_PROVIDER=Postgres</c>
/// a fresh database each (<c>loanhub_test_&lt;guid&gt;</c>) on the PostgreSQL server of <c>LOANHUB_TEST_POSTGRES</c>, a
/// connection string with the right to create databases. <c>./test.sh</c> runs the integration tests both ways.
/// </summary>
public static class TestStores
{
    public const string ProviderVariable = "LOANHUB_TEST_PROVIDER";
    public const string ServerVariable = "LOANHUB_TEST_POSTGRES";

    public static bool OnPostgres { get; } =
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), nameof(StoreProvider.Postgres), StringComparison.OrdinalIgnoreCase);

    public static string Folder => Path.Combine(Path.GetTempPath(), "loanhub-tests");

    // Databases whose name a test holds to open them again (a restart); dropped when the test process ends.
    private static readonly ConcurrentDictionary<string, bool> Kept = new();

    static TestStores()
    {
        if (OnPostgres) AppDomain.CurrentDomain.ProcessExit += (_, _) => DropKept();
    }

    /// <summary>A store nobody uses yet: a file path on SQLite, a database name on PostgreSQL (created by the first start).</summary>
    public static string NewStore() => OnPostgres ? $"loanhub_test_{Guid.NewGuid():N}" : Path.Combine(Folder, $"{Guid.NewGuid():N}.db");

    /// <summary>A store for tests that open it again after a host is gone; on PostgreSQL it lives until the test process ends.</summary>
    public static string NewKeptStore()
    {
        var store = NewStore();
        if (OnPostgres) Kept[store] = true;
        return store;
    }

    /// <summary>The configuration that puts the application on <paramref name="store"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(string store)
    {
        if (!OnPostgres)
        {
            yield return new("ConnectionStrings:LoanHub", $"Data Source={store}");
            yield break;
        }
        yield return new(StoreConnection.ProviderKey, nameof(StoreProvider.Postgres));
        yield return new("ConnectionStrings:LoanHub", ConnectionString(store));
        // No KeysPath: the key ring and the look-up key are kept in the database, as a PostgreSQL store keeps them by default.
    }

    /// <summary>Where the store's key ring and look-up key are as files: beside a SQLite store, or a folder a test names for a PostgreSQL one.</summary>
    public static string KeysDirectory(string store) =>
        OnPostgres ? Path.Combine(Folder, store + "-keys") : Path.ChangeExtension(store, null) + "-keys";

    public static string ConnectionString(string database) => new NpgsqlConnectionStringBuilder(Server) { Database = database }.ToString();

    private static string Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server
        : throw new InvalidOperationException($"{ProviderVariable}=Postgres needs {ServerVariable}, a connection string with the right to create databases.");

    /// <summary>A connection straight to the store, beside the application's (read-only on SQLite).</summary>
    public static async Task<System.Data.Common.DbConnection> OpenAsync(string store)
    {
        System.Data.Common.DbConnection connection = OnPostgres
            ? new NpgsqlConnection(ConnectionString(store))
            : new SqliteConnection($"Data Source={store};Mode=ReadOnly");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Lets go of the store's connections; on PostgreSQL drops its database.</summary>
    public static void Release(string store)
    {
        if (!OnPostgres)
        {
            SqliteConnection.ClearAllPools();
            return;
        }
        if (Kept.ContainsKey(store)) return;
        Drop(store);
    }

    private static void Drop(string database)
    {
        using (var pooled = new NpgsqlConnection(ConnectionString(database))) NpgsqlConnection.ClearPool(pooled);
        using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Pooling = false }.ToString());
        server.Open();
        using var drop = server.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        drop.ExecuteNonQuery();
    }

    private static void DropKept()
    {
        foreach (var database in Kept.Keys)
        {
            try
            {
                Drop(database);
            }
            catch (NpgsqlException)
            {
                // The throwaway server may be gone already; its cluster goes with it.
            }
        }
    }
}

/// <summary>A test of what only a SQLite store has (its file, its PRAGMAs, its single-writer lock): skipped on PostgreSQL.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute(string why)
    {
        if (TestStores.OnPostgres) Skip = $"SQLite only: {why}";
    }
}

/// <summary>A test of what only a PostgreSQL store does (several instances on one database): skipped on SQLite.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute(string why)
    {
        if (!TestStores.OnPostgres) Skip = $"PostgreSQL only ({TestStores.ProviderVariable}=Postgres): {why}";
    }
}
