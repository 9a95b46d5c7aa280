using AngleSharp.Dom;
using Bunit;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Tests.Web.Components;
using LoanHub.Web.Features.Applications;
using static LoanHub.Tests.Web.Features.Applications.DeliveryBuilders;

namespace LoanHub.Tests.Web.Features.Applications;

/// <summary>How the detail page shows an application's delivery: the timeline's steps and the delivery panel.</summary>
public class DeliveryTimelineTests : ComponentTestContext
{
    private IReadOnlyList<IElement> Steps(IReadOnlyList<TimelineEvent> events) =>
        [.. Render<TimelineList>(p => p.Add(t => t.Events, events)).FindAll("[data-testid=timeline-step]")];

    private static IElement Step(IReadOnlyList<IElement> steps, string title) =>
        Assert.Single(steps, s => s.QuerySelector("strong")?.TextContent == title);

    private IRenderedComponent<DeliveryPanel> Panel(DeliveryView view) => Render<DeliveryPanel>(p => p.Add(d => d.Delivery, view));

    private static List<string> Cells(IElement row) => [.. row.QuerySelectorAll("td").Select(c => c.TextContent.Trim())];

    /// <summary>The outcome cell: the outcome's chip, and the reason or the lender's reference beneath it.</summary>
    private static (string Outcome, string? Why) Outcome(IElement row)
    {
        var cell = row.QuerySelector("td.outcome")!;
        return (cell.QuerySelector(".mud-chip")!.TextContent.Trim(), cell.QuerySelector(".why")?.TextContent.Trim());
    }

    [Fact]
    public void Accepted_delivery_shows_the_precheck_with_bid_and_latency_then_the_post_with_lender_ref_and_the_redirect_as_a_link()
    {
        var application = Application();
        var attempt = Attempt(application, 1, withPrecheck: true);
        attempt.RecordPrecheck(CallResult.Accepted, 34, 12.5m, null, At.AddSeconds(1));
        attempt.RecordPost(CallResult.Accepted, 120, "L1-REF-9", "https://l1.example/continue/9", null, At.AddSeconds(1));
        application.MarkRouted(attempt.LenderId, At.AddSeconds(1));

        var steps = Steps(Timeline(application, Allocation("L1", "L1-CASH", At.AddSeconds(1)), View(attempt, "L1", "L1-CASH")));

        var precheck = Step(steps, "Pre-check to L1 · L1-CASH: accepted");
        Assert.Contains("bid ¥12.50", precheck.TextContent);
        Assert.Contains("34 ms", precheck.TextContent);
        Assert.Contains("2026-03-02 10:00:00", precheck.TextContent);
        var post = Step(steps, "Post to L1 · L1-CASH: accepted");
        Assert.Contains("lender ref L1-REF-9", post.TextContent);
        Assert.Contains("120 ms", post.TextContent);
        var link = Assert.Single(post.QuerySelectorAll("a"));
        Assert.Equal("https://l1.example/continue/9", link.GetAttribute("href"));
        Assert.Equal("_blank", link.GetAttribute("target"));
        var routed = Step(steps, "Routed to L1 · L1-CASH");
        Assert.True(steps.ToList().IndexOf(precheck) < steps.ToList().IndexOf(post), "the pre-check comes before the post");
        Assert.True(steps.ToList().IndexOf(post) < steps.ToList().IndexOf(routed), "the accepting post comes before the allocation it leads to");
        Assert.DoesNotContain(DeliveryText.PullLender, routed.TextContent);
    }

    [Fact]
    public void In_chinese_the_steps_and_the_delivery_panel_read_in_chinese_with_figures_unchanged()
    {
        InLanguage("zh-CN");
        var application = Application();
        var attempt = Attempt(application, 1, withPrecheck: true);
        attempt.RecordPrecheck(CallResult.Accepted, 34, 12.5m, null, At.AddSeconds(1));
        attempt.RecordPost(CallResult.Accepted, 120, "L1-REF-9", null, null, At.AddSeconds(1));
        application.MarkRouted(attempt.LenderId, At.AddSeconds(1));
        var view = View(attempt, "L1", "L1-CASH");

        var steps = Steps(Timeline(application, Allocation("L1", "L1-CASH", At.AddSeconds(1)), view));

        Assert.Contains("¥20,000.00，期限 12 个月", Step(steps, "收到来自 Ad campaigns 的进件").TextContent);
        Assert.Contains("出价 ¥12.50", Step(steps, "向 L1 · L1-CASH 撞库：已接收").TextContent);
        Assert.Contains("机构单号 L1-REF-9", Step(steps, "推送至 L1 · L1-CASH：已接收").TextContent);
        Assert.Contains("加权轮转策略，预期佣金", Step(steps, "已分发至 L1 · L1-CASH").TextContent);
        var panel = Panel(new DeliveryView(ApplicationStatus.Routed, null, [view], null));
        Assert.Contains("推送记录", panel.Markup);
        Assert.Equal("已接收", Outcome(panel.Find("[data-testid=delivery-attempt]")).Outcome);
    }

    [Fact]
    public void Each_refusal_names_its_stage_lender_product_reason_and_latency_and_the_end_says_refused_by_every_eligible_lender()
    {
        var application = Application();
        var first = Attempt(application, 1, withPrecheck: true);
        first.RecordPrecheck(CallResult.Refused, 41, null, "blacklisted", At.AddSeconds(1));
        var second = Attempt(application, 2, withPrecheck: false, secondsAfterReceipt: 1);
        second.RecordPost(CallResult.Timeout, 800, null, null, "timeout after 800 ms", At.AddSeconds(2));
        application.MarkUnmatched(At.AddSeconds(2), UnmatchedCause.RefusedByAll);

        var steps = Steps(Timeline(application, null, View(first, "L1", "L1-CASH"), View(second, "L2", "L2-MICRO")));

        var refused = Step(steps, "Pre-check to L1 · L1-CASH: refused");
        Assert.Contains("attempt 1", refused.TextContent);
        Assert.Contains("blacklisted", refused.TextContent);
        Assert.Contains("41 ms", refused.TextContent);
        Assert.DoesNotContain(steps, s => s.TextContent.Contains("Post to L1")); // a refused pre-check is never followed by a post
        var timedOut = Step(steps, "Post to L2 · L2-MICRO: timed out");
        Assert.Contains("attempt 2", timedOut.TextContent);
        Assert.Contains("timeout after 800 ms", timedOut.TextContent);
        Assert.Equal("Unmatched: Refused by every eligible lender", steps[^1].QuerySelector("strong")!.TextContent);
        Assert.Empty(steps.SelectMany(s => s.QuerySelectorAll("a")));
    }

    [Theory]
    [InlineData(UnmatchedCause.NoEligibleProduct, "No eligible product")]
    [InlineData(UnmatchedCause.RefusedByAll, "Refused by every eligible lender")]
    [InlineData(UnmatchedCause.Deadline, "Delivery deadline passed")]
    public void Unmatched_delivery_states_its_cause_in_words(UnmatchedCause cause, string words)
    {
        var application = Application();
        application.MarkUnmatched(At, cause);

        var panel = Panel(new DeliveryView(ApplicationStatus.Unmatched, cause, [], null));

        Assert.Contains($"Unmatched: {words}", panel.Find("[data-testid=delivery-state]").TextContent);
        Assert.Equal($"Unmatched: {words}", Steps(Timeline(application, null))[^1].QuerySelector("strong")!.TextContent);
    }

    [Fact]
    public void Received_application_with_an_attempt_in_flight_shows_delivery_in_progress_and_whom_it_waits_for()
    {
        var application = Application();
        var waiting = Attempt(application, 1, withPrecheck: true);
        var view = View(waiting, "L1", "L1-CASH");

        var panel = Panel(new DeliveryView(ApplicationStatus.Received, null, [view], null));

        Assert.Equal("Delivery in progress: waiting for L1 · L1-CASH to answer the pre-check", panel.Find("[data-testid=delivery-state]").TextContent.Trim());
        Assert.Contains("waiting for the answer", Assert.Single(panel.FindAll("[data-testid=delivery-attempt]")).TextContent);
        var step = Step(Steps(Timeline(application, null, view)), "Pre-check to L1 · L1-CASH: waiting for the answer");
        Assert.Contains("Delivery in progress", step.TextContent);

        // Once the lender has answered and the lead is routed, nothing is in progress any more.
        waiting.RecordPrecheck(CallResult.Accepted, 20, null, null, At);
        waiting.RecordPost(CallResult.Accepted, 30, "R-1", null, null, At);
        var done = Panel(new DeliveryView(ApplicationStatus.Routed, null, [View(waiting, "L1", "L1-CASH")], Allocation("L1", "L1-CASH", At)));
        Assert.DoesNotContain("Delivery in progress", done.Markup);
        Assert.Contains("Accepted by L1 · L1-CASH", done.Find("[data-testid=delivery-state]").TextContent);
    }

    [Fact]
    public void Pull_lender_allocation_says_the_lead_is_fetched_through_the_leads_api()
    {
        var application = Application();
        application.MarkRouted(LenderId.New(), At);
        var pulled = Allocation("L3", "L3-PULL", At, pulled: true);

        var panel = Panel(new DeliveryView(ApplicationStatus.Routed, null, [], pulled));

        Assert.Contains("Pull lender: fetched through the leads API", panel.Find("[data-testid=delivery-state]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=delivery-attempt]"));
        Assert.Contains("Pull lender: fetched through the leads API", Step(Steps(Timeline(application, pulled)), "Routed to L3 · L3-PULL").TextContent);
    }

    [Fact]
    public void Delivery_table_has_one_row_per_attempt_with_each_calls_answer_latency_bid_and_reason()
    {
        var application = Application();
        var refused = Attempt(application, 1, withPrecheck: true);
        refused.RecordPrecheck(CallResult.Accepted, 25, 8m, null, At);
        refused.RecordPost(CallResult.Refused, 95, null, null, "income not verified", At.AddSeconds(1));
        var accepted = Attempt(application, 2, withPrecheck: false, secondsAfterReceipt: 1);
        accepted.RecordPost(CallResult.Accepted, 140, "L2-77", "https://l2.example/go/77", null, At.AddSeconds(2));

        var panel = Panel(new DeliveryView(ApplicationStatus.Routed, null,
            [View(refused, "L1", "L1-CASH"), View(accepted, "L2", "L2-MICRO")], Allocation("L2", "L2-MICRO", At.AddSeconds(2))));

        var rows = panel.FindAll("[data-testid=delivery-attempt]");
        Assert.Equal(2, rows.Count);
        var first = Cells(rows[0]);
        Assert.Equal(["1", "L1 · L1-CASH", "accepted · 25 ms", "¥8.00", "refused · 95 ms"], first[..5]);
        Assert.Equal(("Refused", "income not verified"), Outcome(rows[0]));
        Assert.Equal("10:00:00", first[6]);
        var second = Cells(rows[1]);
        Assert.Equal(["2", "L2 · L2-MICRO", "none", "–", "accepted · 140 ms"], second[..5]);
        Assert.Equal(("Accepted", "ref L2-77"), Outcome(rows[1]));
        Assert.Equal("10:00:01", second[6]);
        Assert.Equal("https://l2.example/go/77", rows[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("lender ref L2-77", panel.Find("[data-testid=delivery-state]").TextContent);
    }

    [Fact]
    public void Losing_auction_bid_shows_its_price_and_why_it_was_closed_and_never_reads_as_a_post()
    {
        var application = Application();
        var lost = Attempt(application, 1, withPrecheck: true);
        lost.RecordPrecheck(CallResult.Accepted, 30, 9m, null, At);
        lost.Abandon("Another lender's bid won the lead.", At.AddSeconds(1));
        var view = View(lost, "L1", "L1-CASH");

        var steps = Steps(Timeline(application, null, view));
        var panel = Panel(new DeliveryView(ApplicationStatus.Routed, null, [view], null));

        Assert.Contains("bid ¥9.00", Step(steps, "Pre-check to L1 · L1-CASH: accepted").TextContent);
        Assert.Contains("Another lender's bid won the lead.", Step(steps, "Attempt at L1 · L1-CASH: abandoned after the pre-check").TextContent);
        Assert.DoesNotContain(steps, s => s.TextContent.Contains("Post to L1"));
        var row = panel.Find("[data-testid=delivery-attempt]");
        Assert.Equal(["accepted · 30 ms", "¥9.00", "not sent"], Cells(row)[2..5]);
        Assert.Equal(("Abandoned", "Another lender's bid won the lead."), Outcome(row));
    }

    [Fact]
    public void A_redirect_url_that_is_not_a_web_address_is_shown_nowhere_as_a_link()
    {
        var application = Application();
        var attempt = Attempt(application, 1, withPrecheck: false);
        attempt.RecordPost(CallResult.Accepted, 50, "R-2", "javascript:alert(1)", null, At);
        var view = View(attempt, "L1", "L1-CASH");

        var panel = Panel(new DeliveryView(ApplicationStatus.Routed, null, [view], Allocation("L1", "L1-CASH", At)));
        var timeline = Render<TimelineList>(p => p.Add(t => t.Events, Timeline(application, null, view)));

        Assert.Empty(panel.FindAll("a"));
        Assert.Empty(timeline.FindAll("a"));
        Assert.Contains("ref R-2", panel.Markup);
    }
}
