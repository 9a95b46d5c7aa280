using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace LoanHub.Web.Data;

/// <summary>
/// Brings the store's schema up to date at start, each provider with its own migrations, and keeps instances that
/// start together on one PostgreSQL database from migrating and seeding at the same time.
/// </summary>
internal sealed class StoreSchema(StoreConnection store, IServiceProvider services)
{
    // Any fixed number: every LoanHub instance on the database asks for the same one.
    private const long StartLockKey = 0x4C6F_616E_4875_6231; // "LoanHub1"

    /// <summary>
    /// Until disposed, this process is the only LoanHub instance migrating or seeding the store. On PostgreSQL a
    /// session advisory lock, so a crashed instance lets go with its connection; SQLite has one process to begin with.
    /// </summary>
    public async Task<IAsyncDisposable> LockStartAsync(CancellationToken cancellationToken)
    {
        if (store.IsSqlite) return NoLock.Instance;
        await CreateDatabaseIfMissingAsync(cancellationToken);
        // Not pooled: the lock lives exactly as long as this connection.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection) { Parameters = { new() { Value = StartLockKey } } };
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new AdvisoryLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await CreateMigrationsContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        // WAL lets the console read while intake writes; the setting is stored in the file itself.
        if (store.IsSqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    /// <summary>The provider's migrations the store has applied and those it has not.</summary>
    public async Task<(IReadOnlyList<string> Applied, IReadOnlyList<string> Pending)> MigrationsAsync(CancellationToken cancellationToken)
    {
        await using var db = await CreateMigrationsContextAsync(cancellationToken);
        return ([.. await db.Database.GetAppliedMigrationsAsync(cancellationToken)], [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)]);
    }

    // EF Core finds a context's migrations by its exact type: SQLite's belong to LoanHubDbContext, PostgreSQL's to
    // PostgresLoanHubDbContext.
    /// <summary>
    /// A ring kept in the database: refuses a store whose rows need keys it lost, then makes the ring and the look-up key
    /// if there are none yet, under the start lock, so instances starting together share the first one made.
    /// </summary>
    public async Task EnsureKeyRingAsync(CancellationToken cancellationToken)
    {
        var keyRing = services.GetRequiredService<KeyRing>();
        if (!keyRing.InDatabase) return;
        await using (var db = await services.GetRequiredService<IDbContextFactory<PostgresLoanHubDbContext>>().CreateDbContextAsync(cancellationToken))
            await keyRing.EnsurePresentInDatabaseAsync(db, cancellationToken);
        services.GetRequiredService<Security.PersonalData>().LookupHash("key ring"); // reads or makes both
    }

    private async Task<DbContext> CreateMigrationsContextAsync(CancellationToken cancellationToken) => store.IsSqlite
        ? await services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContextAsync(cancellationToken)
        : await services.GetRequiredService<IDbContextFactory<PostgresLoanHubDbContext>>().CreateDbContextAsync(cancellationToken);

    private async Task CreateDatabaseIfMissingAsync(CancellationToken cancellationToken)
    {
        await using var db = await CreateMigrationsContextAsync(cancellationToken);
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken)) return;
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another instance created it first.
        }
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (connection)
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = StartLockKey } } };
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
