using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Features.Reports;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Alerts;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Alerts;

/// <summary>
/// The rules against a real store, each raising its alert once per episode and clearing it when the condition ends.
/// Assertions read the store, not what one check returned: the host's own monitor may run a check meanwhile.
/// National IDs come from the alerts' range (560,000–579,999).
/// </summary>
public class AlertBookTests
{
    private static int people = 560_000;

    private static ReportTraffic Traffic(LoanHubHost host) => new(host.CreateClient(), () => Interlocked.Increment(ref people));

    [Fact]
    public async Task A_product_at_its_daily_cap_raises_one_alert_per_episode_and_clears_when_the_cap_is_raised()
    {
        using var host = new LoanHubHost();
        var traffic = Traffic(host);
        await traffic.CplAsync();
        await traffic.CplAsync();
        var book = host.Services.GetRequiredService<AlertBook>();

        await SetLimitsAsync(host, "L2-MICRO", cap: 3);
        await book.CheckAsync();
        Assert.Empty(await OpenAsync(host));

        await SetLimitsAsync(host, "L2-MICRO", cap: 2);
        await book.CheckAsync();
        await book.CheckAsync(); // the same episode: nothing new
        var alert = Assert.Single(await OpenAsync(host));
        Assert.Equal((AlertKind.DailyCapReached, "L2-MICRO", 2m, 2m), (alert.Kind, alert.Subject, alert.Figure, alert.Limit));
        Assert.Equal(1, await CountAsync(host, AlertKind.DailyCapReached));

        await SetLimitsAsync(host, "L2-MICRO", cap: 5);
        await book.CheckAsync();
        Assert.Empty(await OpenAsync(host));
        var cleared = Assert.Single(await AllAsync(host));
        Assert.NotNull(cleared.ClearedAt);

        await SetLimitsAsync(host, "L2-MICRO", cap: 2);
        await book.CheckAsync(); // a new episode raises again
        Assert.Single(await OpenAsync(host));
        Assert.Equal(2, await CountAsync(host, AlertKind.DailyCapReached));
    }

    [Fact]
    public async Task A_budget_past_its_threshold_raises_with_the_share_committed_this_month()
    {
        using var host = new LoanHubHost();
        var traffic = Traffic(host);
        await traffic.CplAsync();
        await traffic.CplAsync();
        var book = host.Services.GetRequiredService<AlertBook>();
        decimal committed;
        await using (var db = host.CreateDbContext())
        {
            var product = await db.Products.SingleAsync(p => p.Code == "L2-MICRO");
            committed = (await db.Allocations.Where(a => a.ProductId == product.Id).Select(a => a.ExpectedCommission).ToListAsync()).Sum();
        }
        Assert.True(committed > 0);

        await SetLimitsAsync(host, "L2-MICRO", budget: decimal.Round(committed / 0.89m, 2)); // 89 %: under the 90 % default
        await book.CheckAsync();
        Assert.DoesNotContain(await OpenAsync(host), a => a.Kind == AlertKind.BudgetNearlySpent);

        await SetLimitsAsync(host, "L2-MICRO", budget: decimal.Round(committed / 0.95m, 2));
        await book.CheckAsync();
        var alert = Assert.Single(await OpenAsync(host), a => a.Kind == AlertKind.BudgetNearlySpent);
        Assert.Equal("L2-MICRO", alert.Subject);
        Assert.InRange(alert.Figure, 94.8m, 95.2m);
        Assert.Equal(90m, alert.Limit);
    }

    [Fact]
    public async Task A_lender_paused_automatically_raises_until_it_is_resumed()
    {
        using var host = new LoanHubHost();
        var book = host.Services.GetRequiredService<AlertBook>();
        await ChangeLenderAsync(host, "L2", l => l.PauseAutomatically("Endpoint failing."));
        await book.CheckAsync();
        var alert = Assert.Single(await OpenAsync(host));
        Assert.Equal((AlertKind.LenderAutoPaused, "L2"), (alert.Kind, alert.Subject));

        await ChangeLenderAsync(host, "L2", l => l.Resume());
        await book.CheckAsync();
        Assert.Empty(await OpenAsync(host));
    }

    [Fact]
    public async Task The_review_queue_past_its_sla_raises_and_an_acknowledgement_is_audited_and_takes_it_off_the_count()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = new LoanHubHost { Clock = clock };
        var client = host.CreateClient();
        var device = $"shared-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++) await PostAsync(client, ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)), deviceId: device), AppKey);
        var book = host.Services.GetRequiredService<AlertBook>();

        clock.Advance(TimeSpan.FromHours(3.9));
        await book.CheckAsync();
        Assert.DoesNotContain(await OpenAsync(host), a => a.Kind == AlertKind.ReviewSla);

        clock.Advance(TimeSpan.FromHours(0.2));
        await book.CheckAsync();
        var alert = Assert.Single(await OpenAsync(host), a => a.Kind == AlertKind.ReviewSla);
        Assert.InRange(alert.Figure, 4.0m, 4.2m);
        Assert.Equal(4m, alert.Limit);
        Assert.Equal(1, await book.UnacknowledgedAsync());

        var reviewer = TestUsers.Principal("reviewer@test.local", Roles.ComplianceReviewer);
        Assert.True((await book.AcknowledgeAsync(reviewer, alert.Id)).Succeeded);
        Assert.Equal(0, await book.UnacknowledgedAsync());
        var again = await book.AcknowledgeAsync(TestUsers.Admin, alert.Id);
        Assert.Equal(("{0} acknowledged this alert already.", "reviewer@test.local"), (again.Error, again.Arguments.Single()));
        await using var db = host.CreateDbContext();
        var audit = await db.Audit.SingleAsync(a => a.Action == AlertBook.AcknowledgedAction);
        Assert.Equal(("reviewer@test.local", nameof(Alert), alert.Id.ToString()), (audit.Actor, audit.EntityType, audit.EntityId));
        Assert.Contains("ReviewSla", audit.After, StringComparison.Ordinal);

        // Acknowledged, still the same episode: the next check raises nothing new.
        await book.CheckAsync();
        Assert.Equal(1, await CountAsync(host, AlertKind.ReviewSla));
        Assert.Equal(alert.Id, Assert.Single(await OpenAsync(host), a => a.Kind == AlertKind.ReviewSla).Id);
    }

    [Fact]
    public async Task Analysts_see_no_alerts_and_only_admins_read_the_rules()
    {
        using var host = new LoanHubHost();
        var book = host.Services.GetRequiredService<AlertBook>();
        var analyst = TestUsers.Principal("analyst@test.local", Roles.Analyst);
        var manager = TestUsers.Principal("ops@test.local", Roles.OperationsManager);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => book.ListAsync(analyst));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => book.AcknowledgeAsync(analyst, Guid.NewGuid()));
        Assert.Empty((await book.ListAsync(manager)).Open);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => book.RulesAsync(manager));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => book.SaveRuleAsync(manager, new AlertRuleChange(AlertKind.ReviewSla, 0, false, 4m, AlertChannel.None)));
    }

    [Fact]
    public async Task A_source_whose_applicants_raise_fraud_signals_over_the_hour_raises_once_enough_applicants_came()
    {
        using var host = new LoanHubHost();
        var client = host.CreateClient();
        var book = host.Services.GetRequiredService<AlertBook>();
        var rule = (await book.RulesAsync(TestUsers.Admin)).Single(r => r.Kind == AlertKind.SourceFraudRate);
        Assert.True((await book.SaveRuleAsync(TestUsers.Admin, new AlertRuleChange(AlertKind.SourceFraudRate, rule.Version, true, 5m, AlertChannel.None))).Succeeded);
        var device = $"shared-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++) await PostAsync(client, ValidBody(nationalId: NationalId(Interlocked.Increment(ref people)), deviceId: device), AppKey);
        for (var i = 0; i < AlertDefaults.MinApplicantsForFraudRate - 4; i++) await PostAsync(client, ValidBody(nationalId: NationalId(Interlocked.Increment(ref people))), AppKey);

        await book.CheckAsync(); // one applicant short of enough to tell
        Assert.DoesNotContain(await OpenAsync(host), a => a.Kind == AlertKind.SourceFraudRate);

        await PostAsync(client, ValidBody(nationalId: NationalId(Interlocked.Increment(ref people))), AppKey);
        await book.CheckAsync();
        var alert = Assert.Single(await OpenAsync(host), a => a.Kind == AlertKind.SourceFraudRate);
        Assert.Equal("APP", alert.Subject);
        int flagged;
        await using (var db = host.CreateDbContext()) flagged = await db.Applications.CountAsync(a => a.HasFraudSignals);
        Assert.Equal(decimal.Round(100m * flagged / AlertDefaults.MinApplicantsForFraudRate, 1), alert.Figure);
        Assert.Equal(5m, alert.Limit);
    }

    [Fact]
    public async Task A_lender_that_had_leads_and_reports_no_outcome_for_the_threshold_days_raises_until_it_reports()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = new LoanHubHost { Clock = clock };
        var traffic = Traffic(host);
        var lead = await traffic.CplAsync();
        var book = host.Services.GetRequiredService<AlertBook>();
        await book.CheckAsync();
        Assert.DoesNotContain(await OpenAsync(host), a => a.Kind == AlertKind.NoOutcomes); // its lead is new

        clock.Advance(TimeSpan.FromDays(4));
        await book.CheckAsync();
        var alert = Assert.Single(await OpenAsync(host), a => a.Kind == AlertKind.NoOutcomes);
        Assert.Equal(("L2", 3m), (alert.Subject, alert.Limit));

        var reported = await traffic.PostbackAsync(lead, "Approved", key: LoanHub.Tests.Web.Features.Outcomes.RoutedLeads.L2Key, occurredAt: clock.GetUtcNow());
        Assert.True(reported.IsSuccessStatusCode, await reported.Content.ReadAsStringAsync());
        await book.CheckAsync();
        Assert.DoesNotContain(await OpenAsync(host), a => a.Kind == AlertKind.NoOutcomes);
    }

    [Fact]
    public async Task A_rule_switched_off_clears_its_open_alert_and_raises_no_more()
    {
        using var host = new LoanHubHost();
        var book = host.Services.GetRequiredService<AlertBook>();
        await ChangeLenderAsync(host, "L2", l => l.PauseAutomatically("Endpoint failing."));
        await book.CheckAsync();
        Assert.Single(await OpenAsync(host));

        var rule = (await book.RulesAsync(TestUsers.Admin)).Single(r => r.Kind == AlertKind.LenderAutoPaused);
        Assert.True((await book.SaveRuleAsync(TestUsers.Admin, new AlertRuleChange(rule.Kind, rule.Version, false, null, AlertChannel.None))).Succeeded);
        await book.CheckAsync();
        Assert.Empty(await OpenAsync(host));
        await book.CheckAsync();
        Assert.Equal(1, await CountAsync(host, AlertKind.LenderAutoPaused));
    }

    internal static async Task SetLimitsAsync(LoanHubHost host, string product, int? cap = null, decimal? budget = null)
    {
        await using var db = host.CreateDbContext();
        var row = await db.Products.SingleAsync(p => p.Code == product);
        db.Entry(row).Property(p => p.Limits).CurrentValue = new ProductLimits(cap, budget, row.Limits.Weight, row.Limits.Priority);
        await db.SaveChangesAsync();
    }

    internal static async Task ChangeLenderAsync(LoanHubHost host, string code, Action<Lender> change)
    {
        await using var db = host.CreateDbContext();
        change(await db.Lenders.SingleAsync(l => l.Code == code));
        await db.SaveChangesAsync();
    }

    internal static async Task<List<Alert>> OpenAsync(LoanHubHost host)
    {
        await using var db = host.CreateDbContext();
        return await db.Alerts.AsNoTracking().Where(a => a.OpenKey != null).ToListAsync();
    }

    private static async Task<List<Alert>> AllAsync(LoanHubHost host)
    {
        await using var db = host.CreateDbContext();
        return await db.Alerts.AsNoTracking().ToListAsync();
    }

    private static async Task<int> CountAsync(LoanHubHost host, AlertKind kind)
    {
        await using LoanHubDbContext db = host.CreateDbContext();
        return await db.Alerts.CountAsync(a => a.Kind == kind);
    }
}
