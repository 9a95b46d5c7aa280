using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Data.Seeding;

internal sealed class StoreInitializer(
    StoreSchema schema,
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
    /// <summary>
    /// Migrations and every seed, one starting instance at a time: the next one in finds the store migrated and
    /// seeded, and its seeding (idempotent) changes nothing.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (await schema.LockStartAsync(cancellationToken))
        {
            await InitializeLockedAsync(cancellationToken);
        }
        logger.LogInformation("Store ready.");
    }

    private async Task InitializeLockedAsync(CancellationToken cancellationToken)
    {
        await schema.MigrateAsync(cancellationToken);
        await schema.EnsureKeyRingAsync(cancellationToken);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
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
    }
}
