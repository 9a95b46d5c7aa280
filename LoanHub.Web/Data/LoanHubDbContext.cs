using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Data.Configuration;
using LoanHub.Web.Data.Counters;
using LoanHub.Web.Features.Cluster;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Data;

public class LoanHubDbContext : IdentityDbContext<ApplicationUser>
{
    public LoanHubDbContext(DbContextOptions<LoanHubDbContext> options, PersonalData personalData) : this((DbContextOptions)options, personalData) { }

    /// <summary>For a provider's migrations context (<see cref="PostgresLoanHubDbContext"/>): the same model, its own migrations.</summary>
    protected LoanHubDbContext(DbContextOptions options, PersonalData personalData) : base(options)
    {
        PersonalData = personalData;
    }

    /// <summary>The model depends on it (its encrypting converters), so it is part of the model cache key.</summary>
    internal PersonalData PersonalData { get; }

    public DbSet<TrafficSource> Sources => Set<TrafficSource>();
    public DbSet<Lender> Lenders => Set<Lender>();
    public DbSet<LenderProduct> Products => Set<LenderProduct>();
    public DbSet<LoanApplication> Applications => Set<LoanApplication>();
    public DbSet<RiskAssessment> Assessments => Set<RiskAssessment>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<OutcomeReport> Outcomes => Set<OutcomeReport>();
    public DbSet<ReviewCase> ReviewCases => Set<ReviewCase>();
    public DbSet<CommissionEntry> CommissionEntries => Set<CommissionEntry>();
    public DbSet<RoutingPolicy> RoutingPolicies => Set<RoutingPolicy>();
    public DbSet<RiskPolicyVersion> RiskPolicies => Set<RiskPolicyVersion>();
    public DbSet<CatalogVersion> CatalogVersions => Set<CatalogVersion>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<BlocklistEntry> Blocklist => Set<BlocklistEntry>();
    public DbSet<DailyApplicationCount> DailyApplicationCounts => Set<DailyApplicationCount>();
    public DbSet<DailyLenderCount> DailyLenderCounts => Set<DailyLenderCount>();
    public DbSet<WriterTurn> WriterTurns => Set<WriterTurn>();
    public DbSet<WriterInstance> WriterInstances => Set<WriterInstance>();
    public DbSet<Features.Alerts.Alert> Alerts => Set<Features.Alerts.Alert>();
    public DbSet<Features.Alerts.AlertRule> AlertRules => Set<Features.Alerts.AlertRule>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        StoreConventions.Apply(configurationBuilder);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LoanHubDbContext).Assembly);
        LoanApplicationConfiguration.EncryptPersonalData(builder, PersonalData, storeEnforcesLengths: !Database.IsSqlite());
        StoreConventions.UseVersionAsConcurrencyToken(builder);
    }

    // A save that moves the daily counts writes them in its own transaction (or the caller's). The changes are
    // accepted only once the counts are written too, so a caller that retries after a failure saves them again.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var counts = PrepareSave();
        if (counts.IsEmpty) return base.SaveChanges(acceptAllChangesOnSuccess);
        using var owned = Database.CurrentTransaction is null ? Database.BeginTransaction() : null;
        var saved = base.SaveChanges(acceptAllChangesOnSuccess: false);
        counts.Apply(Database);
        owned?.Commit();
        if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
        return saved;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var counts = PrepareSave();
        if (counts.IsEmpty) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await using var owned = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
        await counts.ApplyAsync(Database, cancellationToken);
        if (owned is not null) await owned.CommitAsync(cancellationToken);
        if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
        return saved;
    }

    // One scan of the change tracker per save. The store, not the page, moves versions on: a save made from a
    // stale copy then matches no row and EF Core raises DbUpdateConcurrencyException instead of overwriting the
    // other operator's change. The same entries tell what the save does to the daily counts.
    private DailyCountChanges PrepareSave()
    {
        var entries = ChangeTracker.Entries().ToList();
        foreach (var entry in entries)
        {
            if (entry is { State: EntityState.Modified, Entity: IVersioned })
            {
                var version = entry.Property(nameof(IVersioned.Version));
                version.CurrentValue = (int)version.OriginalValue! + 1;
            }
        }
        return DailyCountChanges.Collect(entries);
    }
}
