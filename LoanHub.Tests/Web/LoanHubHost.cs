using LoanHub.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LoanHub.Tests.Web;

/// <summary>
/// The real application over a fresh store of its own (a SQLite file, or a PostgreSQL database: see <see cref="TestStores"/>):
/// real migrations, Identity and seeding. Shared by the integration tests of one collection; each host gets a new store.
/// </summary>
public class LoanHubHost : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Test-Admin-Passw0rd";

    /// <summary>The store: a SQLite file, or on PostgreSQL the database's name.</summary>
    public string DatabasePath { get; }

    /// <summary>Set before the host starts to run the application on a controllable clock.</summary>
    public TimeProvider? Clock { get; set; }
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public LoanHubHost() : this(TestStores.NewStore()) { }

    /// <summary>A host over an existing store (from <see cref="NewDatabasePath"/>), to test what a restart sees.</summary>
    public static LoanHubHost OnDatabase(string databasePath) => new(databasePath);

    protected LoanHubHost(string databasePath)
    {
        DatabasePath = databasePath;
        foreach (var (key, value) in TestStores.Settings(databasePath)) Settings[key] = value;
        Settings["LoanHub:Seed:AdminEmail"] = AdminEmail;
        Settings["LoanHub:Seed:AdminPassword"] = AdminPassword;
        Settings["LoanHub:Seed:Demo"] = "false";
        Settings["LoanHub:Seed:File"] = ExampleSeedFile;
        // The general hosts sign in with a password alone and many times a minute from one address; the sign-in
        // tests (Features/Account) turn two-factor and the attempt limits back on.
        Settings["LoanHub:Security:RequireTwoFactor"] = "false";
        Settings["LoanHub:Security:SignInAttemptsPerMinutePerAddress"] = "100000";
        Settings["LoanHub:Security:SignInAttemptsPerMinutePerAccount"] = "100000";
    }

    /// <summary>The example configuration file checked in at the repository root.</summary>
    public static string ExampleSeedFile => Path.Combine(RepositoryRoot, "seed", "loanhub.example.json");

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LoanHub.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("LoanHub.sln not found above the test output.");
        }
    }

    /// <summary>A store that outlives its hosts, for tests that start a host over it again.</summary>
    public static string NewDatabasePath() => TestStores.NewKeptStore();

    /// <summary>Every client reads English unless its test says otherwise: the console's default for a browser that asks for no language is Chinese.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("Accept-Language", "en-US");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (Clock is { } clock) builder.ConfigureServices(services => services.AddSingleton(clock));
    }

    public LoanHubDbContext CreateDbContext() =>
        Services.GetRequiredService<IDbContextFactory<LoanHubDbContext>>().CreateDbContext();

    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            if (disposing) TestStores.Release(DatabasePath);
        }
    }
}
