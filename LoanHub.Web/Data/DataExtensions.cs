using LoanHub.Web.Data.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

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
        builder.Services.AddDbContextFactory<LoanHubDbContext>(options => options.UseSqlite(connectionString));
        builder.Services.AddOptions<SeedOptions>().Bind(builder.Configuration.GetSection(SeedOptions.Section));
        builder.Services.AddScoped<StoreInitializer>();
        builder.Services.AddHealthChecks().AddDbContextCheck<LoanHubDbContext>("store");
        return builder;
    }

    /// <summary>Applies migrations, switches the file to WAL and seeds what configuration asks for.</summary>
    public static async Task InitializeStoreAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StoreInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);
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
