using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LoanHub.Tests.Web;

/// <summary>
/// Another process holding the store so that the application's writes wait (reads go on): SQLite's write lock
/// (<c>BEGIN IMMEDIATE</c>), or on PostgreSQL a lock on the applications table that conflicts with inserts.
/// Disposing rolls back and lets the writes through.
/// </summary>
internal sealed class StoreWriteLock : IAsyncDisposable
{
    private readonly DbConnection connection;
    private bool released;

    private StoreWriteLock(DbConnection connection) => this.connection = connection;

    public static async Task<StoreWriteLock> TakeAsync(string store)
    {
        DbConnection connection = TestStores.OnPostgres
            ? new NpgsqlConnection(TestStores.ConnectionString(store))
            : new SqliteConnection($"Data Source={store}");
        await connection.OpenAsync();
        var held = new StoreWriteLock(connection);
        await held.ExecuteAsync(TestStores.OnPostgres
            ? """BEGIN; LOCK TABLE "Applications" IN SHARE ROW EXCLUSIVE MODE"""
            : "BEGIN IMMEDIATE");
        return held;
    }

    public async ValueTask DisposeAsync()
    {
        if (!released)
        {
            released = true;
            await ExecuteAsync("ROLLBACK");
        }
        await connection.DisposeAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
