using LoanHub.Web.Data.Seeding;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Data;

public static class DataExtensions
{
    /// <summary>
    /// EF Core over the store <c>LoanHub:Database:Provider</c> names: SQLite (<c>ConnectionStrings:LoanHub</c>, default
    /// <c>data/loanhub.db</c> under the content root) or PostgreSQL. Interactive code takes a short-lived context from
    /// <see cref="IDbContextFactory{TContext}"/> per operation, on either.
    /// </summary>
    public static IHostApplicationBuilder AddLoanHubData(this IHostApplicationBuilder builder)
    {
        var store = StoreConnection.From(builder.Configuration, builder.Environment.ContentRootPath);
        var keyRing = KeyRing.From(builder.Configuration, builder.Environment, store);
        keyRing.Configure(builder.Services.AddDataProtection());
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(keyRing);
        builder.Services.AddSingleton<LookupKeyStore>(keyRing.LookupKeys);
        builder.Services.AddSingleton<PersonalData>();
        builder.Services.AddDbContextFactory<LoanHubDbContext>(store.Configure);
        // Only to find and apply PostgreSQL's own migrations (see PostgresLoanHubDbContext).
        if (!store.IsSqlite) builder.Services.AddDbContextFactory<PostgresLoanHubDbContext>(store.Configure);
        builder.Services.AddOptions<SeedOptions>().Bind(builder.Configuration.GetSection(SeedOptions.Section));
        builder.Services.AddSingleton<StoreSchema>();
        builder.Services.AddScoped<StoreInitializer>();
        builder.Services.AddHealthChecks().AddDbContextCheck<LoanHubDbContext>("store");
        return builder;
    }

    /// <summary>
    /// Checks the key ring is there for the rows already stored, applies migrations (a SQLite file is switched to WAL)
    /// and seeds what configuration asks for.
    /// </summary>
    public static async Task InitializeStoreAsync(this WebApplication app)
    {
        // Before the first context: opening one loads the look-up key, and Data Protection would make a new ring.
        app.Services.GetRequiredService<KeyRing>().EnsurePresentForStore();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StoreInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
    }

    /// <summary>
    /// The Data Protection key ring lives beside a SQLite store by default, so a store and its keys travel together.
    /// A PostgreSQL store keeps it in the database (null here) unless a folder is named.
    /// </summary>
    internal static string? ResolveKeysDirectory(string? configured, StoreConnection store, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return Path.IsPathRooted(configured) ? configured : Path.Combine(contentRoot, configured);
        if (!store.IsSqlite) return null;
        var dataSource = store.FilePath;
        var folder = Path.IsPathRooted(dataSource) ? Path.GetDirectoryName(dataSource)! : Path.Combine(contentRoot, "data");
        return Path.Combine(folder, Path.GetFileNameWithoutExtension(dataSource) + "-keys");
    }
}
