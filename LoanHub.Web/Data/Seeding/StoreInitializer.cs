using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Data.Seeding;

internal sealed class StoreInitializer(
    IDbContextFactory<LoanHubDbContext> contexts,
    IdentitySeeder identity,
    ConfigurationSeeder configuration,
    DemoDataGenerator demo,
    IOptions<SeedOptions> options,
    IHostEnvironment environment,
    LoanHub.Core.Engine.RiskPolicy configuredRisk,
    TimeProvider clock,
    ILogger<StoreInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
            // WAL lets the console read while intake writes; the setting is stored in the file itself.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            var upgraded = await DeviceAndIpAtRest.EncryptLegacyRowsAsync(db, db.PersonalData, cancellationToken);
            if (upgraded > 0) logger.LogInformation("Encrypted the device IDs and IP addresses of {Count} applications stored before they were.", upgraded);
            await LoanHub.Web.Features.Risk.RiskPolicyService.SeedAsync(db, configuredRisk, clock.GetUtcNow(), cancellationToken);
        }

        await identity.SeedAsync(cancellationToken);

        var seed = options.Value;
        if (!string.IsNullOrWhiteSpace(seed.File))
        {
            var path = Path.IsPathRooted(seed.File) ? seed.File : Path.Combine(environment.ContentRootPath, seed.File);
            await configuration.ApplyFileAsync(path, cancellationToken);
        }

        if (seed.Demo)
        {
            await demo.GenerateIfEmptyAsync(cancellationToken);
        }
        logger.LogInformation("Store ready.");
    }
}
