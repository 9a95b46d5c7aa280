using System.Security.Claims;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Review;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Review;

public class ReviewServiceTests : IDisposable
{
    // Device IDs are encrypted at rest; the store finds them by their keyed hash.
    private string DeviceHash(string device) => host.Services.GetRequiredService<LoanHub.Web.Security.PersonalData>().LookupHash(device);

    private const string Alice = "alice@review.test";
    private const string Bob = "bob@review.test";

    private readonly LoanHubHost host = new();
    private readonly HttpClient client;

    public ReviewServiceTests() => client = host.CreateClient();

    public void Dispose() => host.Dispose();

    private ReviewService NewService() => host.Services.CreateScope().ServiceProvider.GetRequiredService<ReviewService>();

    private static ClaimsPrincipal Reviewer(string email, string role = Roles.ComplianceReviewer) => TestUsers.Principal(email, role);

    /// <summary>Four identities on one device: the first two are routed before the ring forms, the last two wait in review.</summary>
    private async Task<List<Guid>> PostRingAsync(int firstId, int members = 4)
    {
        var device = $"ring-{Guid.NewGuid():N}";
        for (var i = 0; i < members; i++)
            (await PostAsync(client, ValidBody(nationalId: NationalId(firstId + i), deviceId: device))).EnsureSuccessStatusCode();
        await using var db = host.CreateDbContext();
        var ids = (await db.Applications.Where(a => a.DeviceHash == DeviceHash(device)).Select(a => a.Id).ToListAsync()).ToHashSet();
        return await db.ReviewCases.Where(r => ids.Contains(r.ApplicationId)).OrderBy(r => r.OpenedAt).Select(r => r.Id).ToListAsync();
    }

    /// <summary>Two identities on one phone: the second waits in review with PHONE_SHARED.</summary>
    private async Task<Guid> PostSharedPhoneAsync(int firstId, string apiKey = AdsKey)
    {
        var phone = $"137{Random.Shared.Next(10_000_000, 99_999_999)}";
        (await PostAsync(client, ValidBody(nationalId: NationalId(firstId), phone: phone), apiKey)).EnsureSuccessStatusCode();
        var second = await ReadAsync(await PostAsync(client, ValidBody(nationalId: NationalId(firstId + 1), phone: phone), apiKey));
        Assert.Equal("InReview", (string?)second["status"]);
        await using var db = host.CreateDbContext();
        var applicationId = new LoanHub.Core.Domain.ApplicationId(Guid.Parse((string)second["applicationId"]!));
        return await db.ReviewCases.Where(r => r.ApplicationId == applicationId).Select(r => r.Id).SingleAsync();
    }

    private async Task<int> VersionOfAsync(Guid caseId)
    {
        await using var db = host.CreateDbContext();
        return await db.ReviewCases.Where(r => r.Id == caseId).Select(r => r.Version).SingleAsync();
    }

    [Fact]
    public async Task Queue_lists_open_cases_oldest_first_with_reasons_score_and_ring_size()
    {
        var phoneCase = await PostSharedPhoneAsync(350_000);
        var ring = await PostRingAsync(350_010);

        var queue = await NewService().GetQueueAsync(Reviewer(Alice), new ReviewQueueFilter());

        Assert.Equal([phoneCase, .. ring], queue.Items.Select(i => i.CaseId));
        Assert.Equal(3, queue.TotalOpen);
        Assert.Contains(FraudSignal.PhoneShared, queue.Items[0].Reasons);
        Assert.All(queue.Items.Skip(1), i => Assert.Contains(FraudSignal.Ring, i.Reasons));
        Assert.All(queue.Items.Skip(1), i => Assert.Equal(4, i.RingMembers));
        Assert.Null(queue.Items[0].ClusterId);
        Assert.All(queue.Items, i => Assert.InRange(i.Score, 300, 900));
        Assert.Equal("王*", queue.Items[0].MaskedName);
        Assert.Equal(2, queue.SignalCounts[FraudSignal.Ring]);
        Assert.Equal(2, queue.InRings);
    }

    [Fact]
    public async Task Queue_filters_by_signal_and_by_source()
    {
        var phoneCase = await PostSharedPhoneAsync(350_100);
        var fromApp = await PostSharedPhoneAsync(350_110, AppKey);
        var ring = await PostRingAsync(350_120);
        var service = NewService();

        var byRing = await service.GetQueueAsync(Reviewer(Alice), new ReviewQueueFilter(Signal: FraudSignal.Ring));
        Assert.Equal(ring, byRing.Items.Select(i => i.CaseId));
        Assert.Equal(4, byRing.TotalOpen);

        var sources = (await service.GetQueueAsync(Reviewer(Alice), new ReviewQueueFilter())).Sources;
        var app = sources.Single(s => s.Code == "APP");
        var byApp = await service.GetQueueAsync(Reviewer(Alice), new ReviewQueueFilter(SourceId: app.Id));
        Assert.Equal([fromApp], byApp.Items.Select(i => i.CaseId));
        Assert.Equal("APP", byApp.Items[0].SourceCode);

        var phoneFromAds = await service.GetQueueAsync(Reviewer(Alice), new ReviewQueueFilter(FraudSignal.PhoneShared, sources.Single(s => s.Code == "ADS").Id));
        Assert.Equal([phoneCase], phoneFromAds.Items.Select(i => i.CaseId));
    }

    [Fact]
    public async Task Of_two_reviewers_claiming_the_same_case_one_wins_and_the_other_is_told_who_has_it()
    {
        var caseId = await PostSharedPhoneAsync(350_200);
        var seen = await VersionOfAsync(caseId);

        var first = await NewService().ClaimAsync(Reviewer(Alice), caseId, seen);
        var second = await NewService().ClaimAsync(Reviewer(Bob), caseId, seen);

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal($"This case is already claimed by {Alice}.", second.Message);
        var queue = await NewService().GetQueueAsync(Reviewer(Bob), new ReviewQueueFilter());
        var item = Assert.Single(queue.Items);
        Assert.Equal(ReviewStatus.Claimed, item.Status);
        Assert.Equal(Alice, item.ClaimedBy);
        Assert.Equal(0, queue.ClaimedByMe);
    }

    [Fact]
    public async Task Concurrent_claims_from_the_same_view_let_exactly_one_reviewer_win()
    {
        var caseId = await PostSharedPhoneAsync(350_300);
        var seen = await VersionOfAsync(caseId);
        var reviewers = Enumerable.Range(0, 6).Select(i => $"r{i}@review.test").ToList();

        var results = await Task.WhenAll(reviewers.Select(r => Task.Run(() => NewService().ClaimAsync(Reviewer(r), caseId, seen))));

        var winner = Assert.Single(results, r => r.Succeeded);
        await using var db = host.CreateDbContext();
        var review = await db.ReviewCases.SingleAsync(r => r.Id == caseId);
        Assert.Equal(reviewers[Array.IndexOf(results, winner)], review.ClaimedBy);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains(review.ClaimedBy!, r.Message));
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "Case claimed" && a.EntityId == caseId.ToString()));
    }

    [Fact]
    public async Task A_case_claimed_by_someone_else_cannot_be_decided_or_released()
    {
        var caseId = await PostSharedPhoneAsync(350_400);
        Assert.True((await NewService().ClaimAsync(Reviewer(Alice), caseId, await VersionOfAsync(caseId))).Succeeded);

        var decision = await NewService().DecideAsync(Reviewer(Bob), caseId, approve: true, "Looks fine", wholeRing: false);
        var release = await NewService().ReleaseAsync(Reviewer(Bob), caseId, await VersionOfAsync(caseId));

        Assert.False(decision.Succeeded);
        Assert.Contains($"claimed by {Alice}", decision.Message);
        Assert.False(release.Succeeded);
        await using var db = host.CreateDbContext();
        var review = await db.ReviewCases.SingleAsync(r => r.Id == caseId);
        Assert.Equal(ReviewStatus.Claimed, review.Status);
        Assert.Equal(Alice, review.ClaimedBy);
        Assert.False(await db.Allocations.AnyAsync(a => a.ApplicationId == review.ApplicationId));
    }

    [Fact]
    public async Task An_admin_takes_over_a_case_another_reviewer_claimed_and_a_reviewer_cannot()
    {
        var caseId = await PostSharedPhoneAsync(350_500);
        Assert.True((await NewService().ClaimAsync(Reviewer(Alice), caseId, await VersionOfAsync(caseId))).Succeeded);
        // On PostgreSQL the signal comes back through LISTEN/NOTIFY, a moment after the change: waited for, not polled.
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<LoanHub.Web.Features.Cluster.ClusterSignals>().Received += signal =>
        {
            if (signal == LoanHub.Web.Features.Cluster.ClusterSignal.Reviews) told.TrySetResult();
        };

        var byReviewer = await NewService().TakeOverAsync(Reviewer(Bob), caseId, await VersionOfAsync(caseId));
        var byAdmin = await NewService().TakeOverAsync(Reviewer("boss@review.test", Roles.Admin), caseId, await VersionOfAsync(caseId));

        Assert.Equal((false, "Only an admin can take over a case someone else claimed."), (byReviewer.Succeeded, byReviewer.Message));
        Assert.True(byAdmin.Succeeded, byAdmin.Message);
        await told.Task.WaitAsync(TimeSpan.FromSeconds(10)); // open queues and case pages refresh at once
        await using var db = host.CreateDbContext();
        Assert.Equal("boss@review.test", (await db.ReviewCases.SingleAsync(r => r.Id == caseId)).ClaimedBy);
        var audit = await db.Audit.SingleAsync(a => a.Action == "Case taken over" && a.EntityId == caseId.ToString());
        Assert.Contains(Alice, audit.Before, StringComparison.Ordinal);
        Assert.True((await NewService().DecideAsync(Reviewer("boss@review.test", Roles.Admin), caseId, approve: false, "Taken over and closed", wholeRing: false)).Succeeded);
    }

    [Fact]
    public async Task An_admin_gives_a_case_to_a_named_reviewer_who_may_work_the_queue_and_nobody_else_can()
    {
        var caseId = await PostSharedPhoneAsync(350_520);
        Assert.True((await NewService().ClaimAsync(Reviewer(Alice), caseId, await VersionOfAsync(caseId))).Succeeded);
        var carol = await LoanHub.Tests.Web.Features.Account.AccountClient.NewUserAsync(host, Roles.ComplianceReviewer, "reassign-Pass-2026!");
        var analyst = await LoanHub.Tests.Web.Features.Account.AccountClient.NewUserAsync(host, Roles.Analyst, "reassign-Pass-2026!");
        var admin = Reviewer("boss@review.test", Roles.Admin);

        var reviewers = await NewService().ReviewersAsync(admin);
        var byReviewer = await NewService().ReassignAsync(Reviewer(Bob), caseId, await VersionOfAsync(caseId), carol);
        var toAnalyst = await NewService().ReassignAsync(admin, caseId, await VersionOfAsync(caseId), analyst);
        var toCarol = await NewService().ReassignAsync(admin, caseId, await VersionOfAsync(caseId), carol);
        var again = await NewService().ReassignAsync(admin, caseId, await VersionOfAsync(caseId), carol);

        Assert.Contains(carol, reviewers);
        Assert.DoesNotContain(analyst, reviewers);
        Assert.Equal((false, "Only an admin can give a case to another reviewer."), (byReviewer.Succeeded, byReviewer.Message));
        Assert.Equal((false, "Only a reviewer who may work the queue and is not locked out can be given a case."), (toAnalyst.Succeeded, toAnalyst.Message));
        Assert.True(toCarol.Succeeded, toCarol.Message);
        Assert.Equal((false, "The case is already claimed by that reviewer."), (again.Succeeded, again.Message));
        await using var db = host.CreateDbContext();
        var review = await db.ReviewCases.SingleAsync(r => r.Id == caseId);
        Assert.Equal((ReviewStatus.Claimed, carol), (review.Status, review.ClaimedBy));
        var audit = await db.Audit.SingleAsync(a => a.Action == "Case reassigned" && a.EntityId == caseId.ToString());
        Assert.Equal("boss@review.test", audit.Actor);
        Assert.Contains(Alice, audit.Before, StringComparison.Ordinal);
        Assert.Contains(carol, audit.After, StringComparison.Ordinal);
        // The case is now carol's to decide, not the admin's nor alice's.
        Assert.False((await NewService().DecideAsync(Reviewer(Alice), caseId, approve: true, "Mine", wholeRing: false)).Succeeded);
        Assert.True((await NewService().DecideAsync(Reviewer(carol), caseId, approve: true, "Given to me", wholeRing: false)).Succeeded);
    }

    [Fact]
    public async Task A_locked_out_reviewer_cannot_be_given_a_case_and_an_open_case_can_be_given()
    {
        var caseId = await PostSharedPhoneAsync(350_540);
        var dave = await LoanHub.Tests.Web.Features.Account.AccountClient.NewUserAsync(host, Roles.ComplianceReviewer, "reassign-Pass-2026!");
        var erin = await LoanHub.Tests.Web.Features.Account.AccountClient.NewUserAsync(host, Roles.ComplianceReviewer, "reassign-Pass-2026!");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<LoanHub.Web.Data.ApplicationUser>>();
            Assert.True((await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(dave))!, DateTimeOffset.UtcNow.AddDays(1))).Succeeded);
        }
        var admin = Reviewer("boss@review.test", Roles.Admin);

        var toDave = await NewService().ReassignAsync(admin, caseId, await VersionOfAsync(caseId), dave);
        var toErin = await NewService().ReassignAsync(admin, caseId, await VersionOfAsync(caseId), erin);

        Assert.DoesNotContain(dave, await NewService().ReviewersAsync(admin));
        Assert.False(toDave.Succeeded);
        Assert.True(toErin.Succeeded, toErin.Message);
        await using var db = host.CreateDbContext();
        Assert.Equal(erin, (await db.ReviewCases.SingleAsync(r => r.Id == caseId)).ClaimedBy);
    }

    [Fact]
    public async Task The_queue_and_the_case_carry_the_sla_an_admin_tuned_on_the_review_alert_rule()
    {
        var caseId = await PostSharedPhoneAsync(350_560);
        var book = host.Services.GetRequiredService<LoanHub.Web.Features.Alerts.AlertBook>();
        var before = await NewService().GetQueueAsync(Reviewer(Alice), new ReviewQueueFilter());
        var rule = (await book.RulesAsync(TestUsers.Admin)).Single(r => r.Kind == LoanHub.Web.Features.Alerts.AlertKind.ReviewSla);
        Assert.True((await book.SaveRuleAsync(TestUsers.Admin, new LoanHub.Web.Features.Alerts.AlertRuleChange(
            rule.Kind, rule.Version, false, 1.5m, LoanHub.Web.Features.Alerts.AlertChannel.None))).Succeeded);

        var after = await NewService().GetQueueAsync(Reviewer(Alice), new ReviewQueueFilter());
        var detail = await NewService().GetCaseAsync(Reviewer(Alice), caseId);

        Assert.Equal(TimeSpan.FromHours(4), before.Sla);
        Assert.Equal(TimeSpan.FromHours(1.5), after.Sla); // the rule switched off still sets the queue's SLA
        Assert.Equal(TimeSpan.FromHours(1.5), detail!.Sla);
        Assert.Equal(SlaStanding.Within, after.StandingOf(after.Items.Single().OpenedAt));
        Assert.Equal(SlaStanding.Past, after.StandingOf(after.LoadedAt - TimeSpan.FromHours(2)));
    }

    [Fact]
    public async Task A_waiting_case_shows_which_products_would_take_it_and_approval_routes_to_one_of_them()
    {
        var caseId = await PostSharedPhoneAsync(350_700);
        var detail = await NewService().GetCaseAsync(Reviewer(Alice), caseId);

        var preview = Assert.IsAssignableFrom<IReadOnlyList<LoanHub.Core.Engine.ProductEligibility>>(detail!.Preview);
        Assert.Equal(3, preview.Count); // every product of the example seed file
        Assert.False(detail.NoProductWouldTakeIt);
        Assert.All(preview.Where(p => !p.IsEligible), p => Assert.NotEmpty(p.Reasons));
        var eligible = preview.Where(p => p.IsEligible).Select(p => p.ProductCode).ToList();
        Assert.True(preview.TakeWhile(p => p.IsEligible).Count() == eligible.Count); // eligible first

        Assert.True((await NewService().ClaimAsync(Reviewer(Alice), caseId, await VersionOfAsync(caseId))).Succeeded);
        var decision = await NewService().DecideAsync(Reviewer(Alice), caseId, approve: true, "Checked", wholeRing: false);
        Assert.Contains(Assert.Single(decision.Cases).RoutedTo!.ProductCode, eligible);
        Assert.Null((await NewService().GetCaseAsync(Reviewer(Alice), caseId))!.Preview); // decided: the record says what happened
    }

    [Fact]
    public async Task When_no_product_would_take_the_applicant_the_case_says_so_before_approval_with_each_reason()
    {
        var caseId = await PostSharedPhoneAsync(350_710);
        await using (var db = host.CreateDbContext())
        {
            foreach (var product in await db.Products.ToListAsync()) product.Pause();
            await db.SaveChangesAsync();
        }

        var detail = await NewService().GetCaseAsync(Reviewer(Alice), caseId);

        Assert.True(detail!.NoProductWouldTakeIt);
        Assert.All(detail.Preview!, p => Assert.Contains(p.Reasons, r => r.Code == LoanHub.Core.Engine.Eligibility.Paused));
    }

    [Fact]
    public async Task Selected_cases_are_decided_together_with_one_note_or_none_is_when_one_is_held_by_someone_else()
    {
        var first = await PostSharedPhoneAsync(350_800);
        var second = await PostSharedPhoneAsync(350_810);
        var held = await PostSharedPhoneAsync(350_820);
        Assert.True((await NewService().ClaimAsync(Reviewer(Bob), held, await VersionOfAsync(held))).Succeeded);

        var refused = await NewService().DecideSelectedAsync(Reviewer(Alice), [first, second, held], approve: false, "Same broker", block: null);
        Assert.False(refused.Succeeded);
        await using (var db = host.CreateDbContext())
            Assert.Equal(3, await db.ReviewCases.CountAsync(r => (r.Id == first || r.Id == second || r.Id == held) && !r.DecidedAt.HasValue));

        Assert.Equal("Write a note that explains the decision.", (await NewService().DecideSelectedAsync(Reviewer(Alice), [first, second], false, " ", null)).Message);
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<LoanHub.Web.Features.Cluster.ClusterSignals>().Received += signal =>
        {
            if (signal == LoanHub.Web.Features.Cluster.ClusterSignal.Reviews) told.TrySetResult();
        };
        var decided = await NewService().DecideSelectedAsync(Reviewer(Alice), [first, second], approve: false, "Same broker", block: null);
        Assert.True(decided.Succeeded, decided.Message);
        Assert.Equal(new[] { first, second }.Order(), decided.Cases.Select(c => c.CaseId).Order());
        await told.Task.WaitAsync(TimeSpan.FromSeconds(10)); // other reviewers' pages see the decision at once
        await using var after = host.CreateDbContext();
        Assert.All(await after.ReviewCases.Where(r => r.Id == first || r.Id == second).ToListAsync(),
            r => Assert.Equal((ReviewStatus.Rejected, Alice, "Same broker"), (r.Status, r.DecidedBy, r.Note)));
    }

    [Fact]
    public async Task The_next_case_is_the_oldest_one_waiting_that_nobody_else_holds()
    {
        var first = await PostSharedPhoneAsync(350_600);
        var second = await PostSharedPhoneAsync(350_610);
        var third = await PostSharedPhoneAsync(350_620);
        Assert.True((await NewService().ClaimAsync(Reviewer(Bob), second, await VersionOfAsync(second))).Succeeded);
        await using (var db = host.CreateDbContext())
        {
            var older = await db.ReviewCases.Where(r => r.Id != first && r.Id != second && r.Id != third && (r.Status == ReviewStatus.Open || r.Status == ReviewStatus.Claimed)).ToListAsync();
            Assert.DoesNotContain(older, r => r.Status == ReviewStatus.Open); // only this test's cases wait in this host
        }

        Assert.Equal(third, await NewService().NextCaseAsync(Reviewer(Alice), first)); // Bob holds the second
        Assert.Equal(second, await NewService().NextCaseAsync(Reviewer(Bob), first)); // his own claim is his next
        Assert.Equal(first, await NewService().NextCaseAsync(Reviewer(Alice), third));
    }

    [Fact]
    public async Task Approving_a_claimed_case_routes_it_and_names_the_product_and_a_second_decision_is_refused()
    {
        var caseId = await PostSharedPhoneAsync(350_500);
        var service = NewService();
        Assert.True((await service.ClaimAsync(Reviewer(Alice), caseId, await VersionOfAsync(caseId))).Succeeded);

        var result = await service.DecideAsync(Reviewer(Alice), caseId, approve: true, "  Called the applicant; the phone is her husband's.  ", wholeRing: false);

        Assert.True(result.Succeeded, result.Message);
        var decided = Assert.Single(result.Cases);
        Assert.Equal(ApplicationStatus.Routed, decided.Status);
        Assert.NotNull(decided.RoutedTo);
        await using var db = host.CreateDbContext();
        var allocation = await db.Allocations.SingleAsync(a => a.ApplicationId == decided.ApplicationId);
        var product = await db.Products.SingleAsync(p => p.Id == allocation.ProductId);
        Assert.Equal(product.Code, decided.RoutedTo!.ProductCode);
        var review = await db.ReviewCases.SingleAsync(r => r.Id == caseId);
        Assert.Equal("Called the applicant; the phone is her husband's.", review.Note);

        var detail = await service.GetCaseAsync(Reviewer(Alice), caseId);
        Assert.Equal(ReviewStatus.Approved, detail!.Status);
        Assert.Equal(product.Code, detail.RoutedTo!.ProductCode);

        var again = await service.DecideAsync(Reviewer(Alice), caseId, approve: false, "Changed my mind", wholeRing: false);
        Assert.False(again.Succeeded);
        Assert.Contains("already decided", again.Message);
    }

    [Fact]
    public async Task A_decision_without_a_note_is_refused()
    {
        var caseId = await PostSharedPhoneAsync(350_600);

        var result = await NewService().DecideAsync(Reviewer(Alice), caseId, approve: true, "   ", wholeRing: false);

        Assert.False(result.Succeeded);
        Assert.Equal("Write a note that explains the decision.", result.Message);
        await using var db = host.CreateDbContext();
        Assert.Equal(ReviewStatus.Open, (await db.ReviewCases.SingleAsync(r => r.Id == caseId)).Status);
    }

    [Fact]
    public async Task Case_page_shows_the_ring_with_its_links_and_the_other_members_statuses()
    {
        var ring = await PostRingAsync(350_700);

        var detail = await NewService().GetCaseAsync(Reviewer(Alice), ring[^1]);

        var cluster = detail!.Cluster!;
        Assert.Equal(4, cluster.Nodes.Count);
        Assert.Equal(2, cluster.Nodes.Count(n => n.Status == ApplicationStatus.Routed));
        Assert.Equal(2, cluster.OpenCases.Count);
        Assert.Single(cluster.Nodes, n => n.IsCurrent);
        var device = Assert.Single(cluster.Links, l => l.Kind == LinkKind.Device);
        Assert.Equal(4, device.Applications.Count);
        Assert.Equal("310104********" + NationalId(350_703)[14..], detail.Applicant.MaskedNationalId);
        Assert.Contains(detail.Record.Signals, s => s.Code == FraudSignal.DeviceShared);
    }

    [Fact]
    public async Task Deciding_the_whole_ring_decides_every_open_case_of_it_in_one_go()
    {
        var ring = await PostRingAsync(350_800, members: 5);
        var other = await PostSharedPhoneAsync(350_820);
        Assert.Equal(3, ring.Count);
        var service = NewService();
        Assert.True((await service.ClaimAsync(Reviewer(Alice), ring[0], await VersionOfAsync(ring[0]))).Succeeded);

        var result = await service.DecideAsync(Reviewer(Alice), ring[0], approve: false, "Synthetic identities on one phone farm", wholeRing: true);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(ring.Order(), result.Cases.Select(c => c.CaseId).Order());
        Assert.All(result.Cases, c => Assert.Equal(ApplicationStatus.Rejected, c.Status));
        await using var db = host.CreateDbContext();
        Assert.All(await db.ReviewCases.Where(r => ring.Contains(r.Id)).ToListAsync(), r => Assert.Equal(ReviewStatus.Rejected, r.Status));
        Assert.Equal(ReviewStatus.Open, (await db.ReviewCases.SingleAsync(r => r.Id == other)).Status);
    }

    [Fact]
    public async Task Roles_without_the_review_right_are_refused_by_the_service()
    {
        var caseId = await PostSharedPhoneAsync(350_900);
        var service = NewService();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => service.GetQueueAsync(Reviewer("ann@review.test", Roles.Analyst), new ReviewQueueFilter()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => service.ClaimAsync(Reviewer("olga@review.test", Roles.OperationsManager), caseId, 0));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => service.DecideAsync(Reviewer("ann@review.test", Roles.Analyst), caseId, true, "note", false));
        Assert.True((await service.ClaimAsync(Reviewer("root@review.test", Roles.Admin), caseId, await VersionOfAsync(caseId))).Succeeded);
    }
}
