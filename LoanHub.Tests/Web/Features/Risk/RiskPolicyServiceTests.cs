using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Features.Risk;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Risk;

/// <summary>
/// The one service risk policy changes go through, over the real application: backtest, save, restore, and the engine deciding the
/// next applicant by the saved version. National IDs 910,000–914,999.
/// </summary>
public class RiskPolicyServiceTests : IClassFixture<LoanHubHost>
{
    private static readonly ClaimsPrincipal Admin = TestUsers.Principal("risk.admin@test.local", Roles.Admin);

    private readonly LoanHubHost host;
    private readonly RiskPolicyService risk;

    public RiskPolicyServiceTests(LoanHubHost host)
    {
        this.host = host;
        risk = host.Services.GetRequiredService<RiskPolicyService>();
    }

    private Task<RiskBacktestRun> BacktestAsync(RiskPolicy proposal) => risk.BacktestAsync(proposal, 30, null, CancellationToken.None);

    private static RiskPolicy ReviewBelow(RiskPolicy policy, int score) => policy with { Decision = policy.Decision with { ReviewBelowScore = score } };

    private async Task<string> PostAsync(HttpClient client, int n, string? deviceId = null, string apiKey = AdsKey)
    {
        var response = await LoanHub.Tests.Web.Features.Intake.IntakeClient.PostAsync(client, ValidBody(nationalId: NationalId(n), deviceId: deviceId), apiKey);
        response.EnsureSuccessStatusCode();
        return (string)(await ReadAsync(response))["status"]!;
    }

    [Fact]
    public async Task Version_1_holds_the_thresholds_of_the_configuration()
    {
        await using var configured = new LoanHubHost { Settings = { ["LoanHub:Decision:ReviewBelowScore"] = "565", ["LoanHub:Fraud:RingMinIdentities"] = "4" } };

        var view = await configured.Services.GetRequiredService<RiskPolicyService>().LoadAsync();

        var first = Assert.Single(view.Versions);
        Assert.Equal(1, first.Version);
        Assert.True(first.IsActive);
        Assert.Equal(565, view.Active.Decision.ReviewBelowScore);
        Assert.Equal(4, view.Active.Fraud.RingMinIdentities);
        Assert.Equal(DecisionPolicy.Default.RejectBelowScore, view.Active.Decision.RejectBelowScore);
    }

    [Fact]
    public async Task Save_without_a_backtest_is_refused_and_changes_nothing()
    {
        var view = await risk.LoadAsync();

        var result = await risk.SaveAsync(ReviewBelow(view.Active, 560), null, "no backtest", Admin);

        Assert.False(result.Succeeded);
        Assert.Equal(RiskPolicyService.BacktestRequired, result.Message);
        Assert.Equal(view.ActiveVersion, (await risk.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Save_with_the_backtest_of_other_thresholds_is_refused_and_changes_nothing()
    {
        var view = await risk.LoadAsync();
        var tested = ReviewBelow(view.Active, 560);

        var result = await risk.SaveAsync(ReviewBelow(view.Active, 600), await BacktestAsync(tested), "slipped in a bigger change", Admin);

        Assert.False(result.Succeeded);
        Assert.Equal(RiskPolicyService.BacktestOfAnotherProposal, result.Message);
        Assert.Equal(view.Active, (await risk.LoadAsync()).Active);
    }

    [Fact]
    public async Task Save_with_a_backtest_receipt_not_sealed_by_this_server_is_refused()
    {
        var view = await risk.LoadAsync();
        var proposal = ReviewBelow(view.Active, 560);
        var run = await BacktestAsync(proposal);
        var forged = run with { Receipt = run.Receipt with { Seal = new string('0', run.Receipt.Seal.Length) } };

        var result = await risk.SaveAsync(proposal, forged, "hand-written receipt", Admin);

        Assert.False(result.Succeeded);
        Assert.Equal(RiskPolicyService.BacktestNotGenuine, result.Message);
        Assert.Equal(view.ActiveVersion, (await risk.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Save_without_a_comment_is_refused_and_changes_nothing()
    {
        var view = await risk.LoadAsync();
        var proposal = ReviewBelow(view.Active, 560);

        var result = await risk.SaveAsync(proposal, await BacktestAsync(proposal), "  ", Admin);

        Assert.False(result.Succeeded);
        Assert.Equal(RiskPolicyService.CommentRequired, result.Message);
        Assert.Equal(view.ActiveVersion, (await risk.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Save_by_an_operations_manager_is_refused_and_changes_nothing()
    {
        var view = await risk.LoadAsync();
        var proposal = ReviewBelow(view.Active, 560);

        var result = await risk.SaveAsync(proposal, await BacktestAsync(proposal), "not mine to change",
            TestUsers.Principal("ops@test.local", Roles.OperationsManager));

        Assert.False(result.Succeeded);
        Assert.Equal(RiskPolicyService.NotAllowed, result.Message);
        Assert.Equal(view.ActiveVersion, (await risk.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task Save_of_review_below_at_or_under_reject_below_is_refused_with_the_reason()
    {
        var view = await risk.LoadAsync();
        var proposal = ReviewBelow(view.Active, view.Active.Decision.RejectBelowScore);

        var result = await risk.SaveAsync(proposal, await BacktestAsync(proposal), "inverted bands", Admin);

        Assert.False(result.Succeeded);
        Assert.Contains("reject below", result.Message, StringComparison.Ordinal);
        Assert.Equal(view.ActiveVersion, (await risk.LoadAsync()).ActiveVersion);
    }

    [Fact]
    public async Task A_saved_threshold_decides_the_next_applicant_through_the_real_intake_without_a_restart_and_a_restore_brings_the_old_one_back()
    {
        using var client = host.CreateClient();
        var engine = host.Services.GetRequiredService<EngineHost>();
        Assert.Equal("Routed", await PostAsync(client, 910_000));
        var loads = engine.StateLoads;
        var before = await risk.LoadAsync();

        // Every score under 999 now goes to review.
        var proposal = ReviewBelow(before.Active, 999);
        var saved = await risk.SaveAsync(proposal, await BacktestAsync(proposal), "Hold everyone for a day", Admin);

        Assert.True(saved.Succeeded, saved.Message);
        Assert.Equal("InReview", await PostAsync(client, 910_001));
        Assert.Equal(loads, engine.StateLoads);

        var restored = await risk.RestoreAsync(before.ActiveVersion, "Back to normal", Admin, saved.Version!.Value);

        Assert.True(restored.Succeeded, restored.Message);
        Assert.Equal("Routed", await PostAsync(client, 910_002));
        var view = await risk.LoadAsync();
        Assert.Equal(before.Active, view.Active);
        Assert.Equal(saved.Version + 1, view.ActiveVersion);
        Assert.Equal(before.ActiveVersion, view.Versions.Single(v => v.IsActive).RestoredFromVersion);
        Assert.NotNull(view.Versions.Single(v => v.Version == saved.Version).Backtest);

        await using var db = host.CreateDbContext();
        var audit = await db.Audit.AsNoTracking().SingleAsync(a => a.Action == "Risk policy saved" && a.EntityId == saved.Version.ToString());
        Assert.Equal(Admin.Identity!.Name, audit.Actor);
        Assert.Matches("\"reviewBelowScore\":\\s*999", audit.After);
        Assert.Matches($"\"reviewBelowScore\":\\s*{before.Active.Decision.ReviewBelowScore}", audit.Before);
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "Risk policy restored" && a.EntityId == view.ActiveVersion.ToString()));
    }

    [Fact]
    public async Task A_saved_fraud_threshold_applies_to_the_next_applicant_in_place()
    {
        using var client = host.CreateClient();
        var engine = host.Services.GetRequiredService<EngineHost>();
        Assert.Equal("Routed", await PostAsync(client, 914_010)); // the state loaded at start is behind us
        var before = await risk.LoadAsync();
        var proposal = before.Active with { Fraud = before.Active.Fraud with { DeviceSharedMinIdentities = 2 } };
        var saved = await risk.SaveAsync(proposal, await BacktestAsync(proposal), "Two IDs on a device is enough", Admin);
        Assert.True(saved.Succeeded, saved.Message);
        var loads = engine.StateLoads;
        var device = $"risk-live-{Guid.NewGuid():N}";

        Assert.Equal("Routed", await PostAsync(client, 914_000, device));
        Assert.Equal("InReview", await PostAsync(client, 914_001, device));
        Assert.Equal(loads, engine.StateLoads);

        Assert.True((await risk.RestoreAsync(before.ActiveVersion, "Back to three", Admin, saved.Version!.Value)).Succeeded);
    }

    [Fact]
    public async Task A_longer_duplicate_look_back_than_the_fraud_index_kept_reads_the_history_again_before_the_next_applicant()
    {
        using var client = host.CreateClient();
        var engine = host.Services.GetRequiredService<EngineHost>();
        Assert.Equal("Routed", await PostAsync(client, 914_100));
        var before = await risk.LoadAsync();
        var proposal = before.Active with { Fraud = before.Active.Fraud with { DuplicateLookback = before.Active.Fraud.DuplicateLookback * 2 } };
        var saved = await risk.SaveAsync(proposal, await BacktestAsync(proposal), "Look further back for duplicates", Admin);
        Assert.True(saved.Succeeded, saved.Message);
        var loads = engine.StateLoads;

        Assert.Equal("Routed", await PostAsync(client, 914_101));
        Assert.Equal(loads + 1, engine.StateLoads);
        Assert.Equal("Duplicate", await PostAsync(client, 914_100));

        Assert.True((await risk.RestoreAsync(before.ActiveVersion, "Back to the usual look-back", Admin, saved.Version!.Value)).Succeeded);
    }

    [Fact]
    public async Task Backtest_counts_stored_applicants_moving_from_routed_to_review_by_source()
    {
        using var client = host.CreateClient();
        for (var n = 912_000; n < 912_003; n++) Assert.Equal("Routed", await PostAsync(client, n, apiKey: AppKey));
        var view = await risk.LoadAsync();

        var run = await BacktestAsync(ReviewBelow(view.Active, 999));

        var app = run.SourceNames.Single(s => s.Value.Contains("app", StringComparison.OrdinalIgnoreCase)).Key;
        Assert.True(run.Result.BySource[app][Decision.Route, Decision.Review] >= 3);
        Assert.False(run.Result.ReplayedHistory);
        Assert.True(run.Result.NoLongerRouted >= 3);
    }

    [Fact]
    public async Task Backtest_of_a_lower_shared_device_threshold_replays_the_stored_keyed_hashes()
    {
        using var client = host.CreateClient();
        var device = $"risk-shared-{Guid.NewGuid():N}";
        Assert.Equal("Routed", await PostAsync(client, 913_000, device));
        Assert.Equal("Routed", await PostAsync(client, 913_001, device));
        var view = await risk.LoadAsync();
        var proposal = view.Active with { Fraud = view.Active.Fraud with { DeviceSharedMinIdentities = 2 } };

        // The stored-signal backtest first: the replay after it must still read the hashes.
        var unchanged = await BacktestAsync(view.Active);
        var run = await BacktestAsync(proposal);

        Assert.True(run.Result.ReplayedHistory);
        Assert.Equal(unchanged.Result.Moves[Decision.Route, Decision.Review] + 1, run.Result.Moves[Decision.Route, Decision.Review]);
    }
}
