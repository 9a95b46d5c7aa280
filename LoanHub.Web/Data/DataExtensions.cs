using System.Data.Common;
using LoanHub.Web.Data.Seeding;
using Microsoft.Data.Sqlite;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace LoanHub.Web.Data;

public static class DataExtensions
{
    /// <summary>
    /// EF Core over SQLite (<c>ConnectionStrings:LoanHub</c>, default <c>data/loanhub.db</c> under the content root).
    /// Interactive code takes a short-lived context from <see cref="IDbContextFactory{TContext}"/> per operation.
    /// </summary>
    public static IHostApplicationBuilder AddLoanHubData(this IHostApplicationBuilder builder)
    {
        var connectionString = ResolveConnectionString(builder.Configuration.GetConnectionString("LoanHub"), builder.Environment.ContentRootPath);
        var keyRing = KeyRing.From(builder.Configuration, builder.Environment, connectionString);
        keyRing.Configure(builder.Services.AddDataProtection());
        builder.Services.AddSingleton(keyRing);
        builder.Services.AddSingleton(new PersonalDataOptions(keyRing.Directory));
        builder.Services.AddSingleton<PersonalData>();
        builder.Services.AddDbContextFactory<LoanHubDbContext>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(DurableCommits.Instance)
            .ReplaceService<IModelCacheKeyFactory, PersonalDataModelCacheKeyFactory>());
        builder.Services.AddOptions<SeedOptions>().Bind(builder.Configuration.GetSection(SeedOptions.Section));
        builder.Services.AddScoped<StoreInitializer>();
        builder.Services.AddHealthChecks().AddDbContextCheck<LoanHubDbContext>("store");
        return builder;
    }

    /// <summary>
    /// Checks the key ring is there for the rows already stored, applies migrations, switches the file to WAL and
    /// seeds what configuration asks for.
    /// </summary>
    public static async Task InitializeStoreAsync(this WebApplication app)
    {
        // Before the first context: opening one loads the look-up key, and Data Protection would make a new ring.
        app.Services.GetRequiredService<KeyRing>().EnsurePresentForStore();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StoreInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
    }

    /// <summary>The Data Protection key ring lives beside the store by default, so a store and its keys travel together.</summary>
    internal static string ResolveKeysDirectory(string? configured, string connectionString, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return Path.IsPathRooted(configured) ? configured : Path.Combine(contentRoot, configured);
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.IsPathRooted(dataSource) ? Path.GetDirectoryName(dataSource)! : Path.Combine(contentRoot, "data");
        return Path.Combine(folder, Path.GetFileNameWithoutExtension(dataSource) + "-keys");
    }

    // synchronous is a per-connection setting whose default is a build option of the native library; FULL makes
    // every commit (in WAL mode: the WAL) reach the disk before intake acknowledges it, so a power cut loses nothing
    // a source was told was stored.
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

    internal static string ResolveConnectionString(string? configured, string contentRoot)
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
}
