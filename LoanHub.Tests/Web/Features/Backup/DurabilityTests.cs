using Microsoft.EntityFrameworkCore;

namespace LoanHub.Tests.Web.Features.Backup;

public class DurabilityTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    [SqliteFact("synchronous is a SQLite PRAGMA; PostgreSQL's synchronous_commit is on by default")]
    public async Task Every_connection_the_app_opens_syncs_each_commit_to_disk()
    {
        await using var db = host.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        Assert.Equal(2L, await ScalarAsync(db, "PRAGMA synchronous;")); // FULL

        // The native default happens to be FULL too; what must hold is that the app sets it on every open, so a
        // connection that comes back from the pool with another value (or a library built with another default)
        // is put right.
        await ScalarAsync(db, "PRAGMA synchronous=OFF;");
        await db.Database.CloseConnectionAsync();
        await db.Database.OpenConnectionAsync();

        Assert.Equal(2L, await ScalarAsync(db, "PRAGMA synchronous;"));
    }

    private static async Task<object?> ScalarAsync(DbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
