using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Reports;

public class CommissionReportServiceTests : IClassFixture<LoanHubHost>
{
    private static int people = 500_000;

    private readonly LoanHubHost host;
    private readonly ReportTraffic traffic;
    private readonly CommissionReportService reports;

    public CommissionReportServiceTests(LoanHubHost host)
    {
        this.host = host;
        traffic = new ReportTraffic(host.CreateClient(), () => Interlocked.Increment(ref people));
        reports = host.Services.GetRequiredService<CommissionReportService>();
    }

    private static (int Leads, int Approved, int Funded, decimal FundedAmount, decimal Commission) Line(IEnumerable<SummaryRow> rows, string product)
    {
        var row = rows.SingleOrDefault(r => r.ProductCode == product);
        return row is null ? default : (row.Leads, row.Approved, row.Funded, row.FundedAmount, row.Commission);
    }

    private static (int, int, int, decimal, decimal) Delta((int, int, int, decimal, decimal) before, (int, int, int, decimal, decimal) after) =>
        (after.Item1 - before.Item1, after.Item2 - before.Item2, after.Item3 - before.Item3, after.Item4 - before.Item4, after.Item5 - before.Item5);

    private async Task<List<CommissionEntry>> LedgerAsync(ReportFilter filter)
    {
        var (start, end) = filter.Window;
        await using var db = host.CreateDbContext();
        return (await db.CommissionEntries.AsNoTracking().ToListAsync()).Where(e => e.OccurredAt >= start && e.OccurredAt < end).ToList();
    }

    [Fact]
    public async Task Summary_counts_leads_approvals_fundings_and_commission_per_contract_model()
    {
        var before = await reports.SummaryAsync(ReportTraffic.AroundToday());

        var cps = await traffic.CpsAsync();
        await traffic.OutcomeAsync(cps, "Approved");
        await traffic.OutcomeAsync(cps, "Funded", 12_345.25m);
        var cpa = await traffic.CpaAsync();
        await traffic.OutcomeAsync(cpa, "Approved");
        await traffic.CplAsync();

        var after = await reports.SummaryAsync(ReportTraffic.AroundToday());

        Assert.Equal((1, 1, 1, 12_345.25m, 246.91m), Delta(Line(before, "L1-CASH"), Line(after, "L1-CASH")));
        Assert.Equal((1, 1, 0, 0m, 200m), Delta(Line(before, "L1-INST"), Line(after, "L1-INST")));
        Assert.Equal((1, 0, 0, 0m, 30m), Delta(Line(before, "L2-MICRO"), Line(after, "L2-MICRO")));
        Assert.Equal([CommissionModel.CPS, CommissionModel.CPA, CommissionModel.CPL],
            new[] { "L1-CASH", "L1-INST", "L2-MICRO" }.Select(p => after.Single(r => r.ProductCode == p).Model));
    }

    [Fact]
    public async Task Preview_totals_and_days_equal_the_ledger_to_the_fen()
    {
        var cps = await traffic.CpsAsync();
        await traffic.OutcomeAsync(cps, "Approved");
        await traffic.OutcomeAsync(cps, "Funded", 7_777.77m);
        await traffic.CplAsync();
        var filter = ReportTraffic.AroundToday();

        var preview = await reports.PreviewAsync(filter);
        var ledger = await LedgerAsync(filter);

        Assert.Equal(ledger.Count, preview.LedgerEntries);
        Assert.Equal(ledger.Count, await reports.CountEntriesAsync(filter)); // what the export checks against one worksheet's rows
        Assert.Equal(new SummaryTotals(ledger.Count(e => e.Event == CommissionEvent.Delivered), ledger.Count(e => e.Event == CommissionEvent.Approved),
            ledger.Count(e => e.Event == CommissionEvent.Funded), ledger.Sum(e => e.FundedAmount ?? 0m), ledger.Sum(e => e.Amount)), preview.Totals);
        Assert.Equal(preview.Totals.Commission, preview.PerDay.Sum(d => d.Commission));
        Assert.All(preview.PerDay, d => Assert.InRange(d.Day, filter.From, filter.To));
        Assert.Equal(preview.Rows.GroupBy(r => r.LenderCode).Where(g => g.Sum(r => r.Commission) != 0).ToDictionary(g => g.Key, g => g.Sum(r => r.Commission)),
            preview.PerDay.GroupBy(d => d.LenderCode).ToDictionary(g => g.Key, g => g.Sum(d => d.Commission)));
    }

    [Fact]
    public async Task Filters_narrow_the_report_to_a_lender_a_product_a_source_and_the_period()
    {
        await traffic.CpaAsync();
        await traffic.CplAsync();
        var viaApp = await traffic.CplAsync(AppKey);

        var l2 = await reports.SummaryAsync(ReportTraffic.AroundToday(lender: "L2"));
        Assert.NotEmpty(l2);
        Assert.All(l2, r => Assert.Equal("L2", r.LenderCode));

        var instalment = await reports.SummaryAsync(ReportTraffic.AroundToday(product: "L1-INST"));
        Assert.Equal("L1-INST", Assert.Single(instalment).ProductCode);

        var app = await reports.PreviewAsync(ReportTraffic.AroundToday(source: "APP"));
        var ledger = await LedgerAsync(ReportTraffic.AroundToday());
        await using (var db = host.CreateDbContext())
        {
            var appId = await db.Sources.Where(s => s.Code == "APP").Select(s => s.Id).SingleAsync();
            Assert.Equal(ledger.Count(e => e.SourceId == appId), app.LedgerEntries);
        }
        var detail = await reports.DetailAsync(ReportTraffic.AroundToday(source: "APP")).ToListAsync();
        Assert.Contains(detail, d => d.ApplicationId == Guid.Parse(viaApp));
        Assert.All(detail, d => Assert.Equal("APP", d.Source));

        var past = await reports.PreviewAsync(new ReportFilter(new DateOnly(2020, 1, 1), new DateOnly(2020, 1, 31)));
        Assert.Empty(past.Rows);
        Assert.Equal(0, past.LedgerEntries);

        await Assert.ThrowsAsync<UnknownCodeException>(() => reports.SummaryAsync(ReportTraffic.AroundToday(lender: "NOPE")));
    }

    [Fact]
    public async Task Detail_streams_one_row_per_ledger_entry_oldest_first()
    {
        var cps = await traffic.CpsAsync();
        await traffic.OutcomeAsync(cps, "Approved");
        await traffic.OutcomeAsync(cps, "Funded", 1_000.05m);
        var filter = ReportTraffic.AroundToday();

        var detail = await reports.DetailAsync(filter).ToListAsync();
        var ledger = (await LedgerAsync(filter)).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();

        Assert.Equal(ledger.Count, detail.Count);
        Assert.Equal(ledger.Select(e => (e.ApplicationId.Value, e.Event, e.FundedAmount, e.Amount, e.OccurredAt.ToOffset(TimeSpan.FromHours(8)).DateTime)),
            detail.Select(d => (d.ApplicationId, d.Event, d.FundedAmount, d.Commission, d.OccurredAt)));
        var funded = detail.Single(d => d.ApplicationId == Guid.Parse(cps) && d.Event == CommissionEvent.Funded);
        Assert.Equal(("L1", "L1-CASH", "ADS", 1_000.05m, 20.00m), (funded.Lender, funded.Product, funded.Source, funded.FundedAmount!.Value, funded.Commission));
    }

    [Fact]
    public async Task Reconciliation_flags_leads_delivered_longer_ago_than_the_threshold_without_an_outcome()
    {
        var filter = ReportTraffic.AroundToday(lender: "L2");
        var before = await reports.ReconcileAsync(filter, olderThanDays: 0);

        var silent = await traffic.CplAsync();
        var answered = await traffic.CplAsync();
        await traffic.OutcomeAsync(answered, "Declined", key: ReportTraffic.L2Key);

        var now = await reports.ReconcileAsync(filter, olderThanDays: 0);
        Assert.Equal(before.UnreportedCount + 1, now.UnreportedCount);
        var l2 = Assert.Single(now.Lenders);
        Assert.Equal(("L2", now.UnreportedCount), (l2.LenderCode, l2.AwaitingOutcome));
        Assert.Equal(before.Lenders.SingleOrDefault()?.Leads + 2 ?? 2, l2.Leads);
        Assert.Equal(l2.Leads * 30m, l2.ExpectedCommission);
        if (now.UnreportedCount <= CommissionReportService.UnreportedPageSize)
        {
            Assert.Contains(now.FirstUnreported, u => u.ApplicationId == Guid.Parse(silent));
            Assert.DoesNotContain(now.FirstUnreported, u => u.ApplicationId == Guid.Parse(answered));
        }
        Assert.Equal(now.FirstUnreported.OrderBy(u => u.RoutedAt), now.FirstUnreported);

        var fortnight = await reports.ReconcileAsync(filter);
        Assert.Equal(14, fortnight.OlderThanDays);
        Assert.Equal(0, fortnight.UnreportedCount); // everything here was routed minutes ago
        Assert.Empty(fortnight.FirstUnreported);
    }

    [Fact]
    public async Task Report_days_are_China_Standard_Time_days_from_the_first_instant_to_the_last()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.FromHours(8)));
        using var own = new LoanHubHost { Clock = clock };
        var leads = new ReportTraffic(own.CreateClient(), () => Interlocked.Increment(ref people));
        var march = await leads.CplAsync(); // ¥30 on delivery, the last second of 31 March in Beijing
        clock.Advance(TimeSpan.FromSeconds(1));
        var april = await leads.CplAsync(); // and the first of 1 April
        var service = own.Services.GetRequiredService<CommissionReportService>();
        var lastOfMarch = new DateOnly(2026, 3, 31);
        var firstOfApril = new DateOnly(2026, 4, 1);

        var marchOnly = await service.PreviewAsync(new ReportFilter(lastOfMarch, lastOfMarch));
        var aprilOnly = await service.PreviewAsync(new ReportFilter(firstOfApril, firstOfApril));
        var both = await service.PreviewAsync(new ReportFilter(lastOfMarch.AddDays(-1), firstOfApril.AddDays(1)));

        Assert.Equal([new DailyCommission(lastOfMarch, "L2", 30m)], marchOnly.PerDay);
        Assert.Equal([new DailyCommission(firstOfApril, "L2", 30m)], aprilOnly.PerDay);
        Assert.Equal([new DailyCommission(lastOfMarch, "L2", 30m), new DailyCommission(firstOfApril, "L2", 30m)], both.PerDay);
        Assert.Equal((1, 1, 2), (marchOnly.Totals.Leads, aprilOnly.Totals.Leads, both.Totals.Leads));
        Assert.Equal([Guid.Parse(march)], (await service.DetailAsync(new ReportFilter(lastOfMarch, lastOfMarch)).ToListAsync()).Select(d => d.ApplicationId));
        Assert.Equal([Guid.Parse(april)], (await service.DetailAsync(new ReportFilter(firstOfApril, firstOfApril)).ToListAsync()).Select(d => d.ApplicationId));

        clock.Advance(TimeSpan.FromDays(15));
        var overdueInMarch = await service.ReconcileAsync(new ReportFilter(lastOfMarch, lastOfMarch));
        Assert.Equal((Guid.Parse(march), 15), (Assert.Single(overdueInMarch.FirstUnreported).ApplicationId, overdueInMarch.FirstUnreported[0].DaysSince));
        Assert.Equal(1, Assert.Single(overdueInMarch.Lenders).AwaitingOutcome);
        var overdueInApril = await service.ReconcileAsync(new ReportFilter(firstOfApril, firstOfApril));
        Assert.Equal(Guid.Parse(april), Assert.Single(overdueInApril.FirstUnreported).ApplicationId);
        Assert.Equal(0, (await service.ReconcileAsync(new ReportFilter(lastOfMarch, lastOfMarch), olderThanDays: 16)).UnreportedCount); // 15 days and a second
        // Delivered exactly 15 days ago is older than a threshold of 15 days.
        Assert.Equal(Guid.Parse(april), Assert.Single((await service.ReconcileAsync(new ReportFilter(firstOfApril, firstOfApril), olderThanDays: 15)).FirstUnreported).ApplicationId);
    }

    [Fact]
    public async Task Reconciliation_expects_of_each_lender_what_its_summary_lines_add_up_to_in_the_order_of_their_codes()
    {
        var cps = await traffic.CpsAsync();
        await traffic.OutcomeAsync(cps, "Approved");
        await traffic.OutcomeAsync(cps, "Funded", 5_000m);
        // A second line for L1, so its expectation is the sum of two lines and their order within the lender shows.
        var cpa = await traffic.CpaAsync();
        await traffic.OutcomeAsync(cpa, "Approved");
        await traffic.CplAsync();
        var filter = ReportTraffic.AroundToday();

        var summary = await reports.SummaryAsync(filter);
        var reconciliation = await reports.ReconcileAsync(filter, olderThanDays: 0);

        Assert.Equal(summary.OrderBy(r => r.LenderCode, StringComparer.Ordinal).ThenBy(r => r.ProductCode, StringComparer.Ordinal).ThenBy(r => r.Model), summary);
        Assert.Equal(["L1", "L2"], reconciliation.Lenders.Select(l => l.LenderCode));
        Assert.Equal(["L1-CASH", "L1-INST"], summary.Where(r => r.LenderCode == "L1").Select(r => r.ProductCode).Distinct());
        Assert.Equal(summary.GroupBy(r => (r.LenderCode, r.LenderName)).Select(g => (g.Key.LenderCode, g.Key.LenderName, g.Sum(r => r.Leads),
                g.Sum(r => r.Approved), g.Sum(r => r.Funded), g.Sum(r => r.FundedAmount), g.Sum(r => r.Commission))),
            reconciliation.Lenders.Select(l => (l.LenderCode, l.LenderName, l.Leads, l.Approved, l.Funded, l.FundedAmount, l.ExpectedCommission)));
        Assert.Equal(reconciliation.UnreportedCount, reconciliation.Lenders.Sum(l => l.AwaitingOutcome));
    }

    [Fact]
    public async Task Reconciliation_narrows_the_leads_awaiting_an_outcome_to_the_product_and_the_source()
    {
        var viaApp = await traffic.CpaAsync(AppKey);
        var viaAds = await traffic.CpsAsync();

        var instalment = await reports.ReconcileAsync(ReportTraffic.AroundToday(product: "L1-INST"), olderThanDays: 0);
        var app = await reports.ReconcileAsync(ReportTraffic.AroundToday(source: "APP"), olderThanDays: 0);

        Assert.Contains(instalment.FirstUnreported, u => u.ApplicationId == Guid.Parse(viaApp));
        Assert.All(instalment.FirstUnreported, u => Assert.Equal("L1-INST", u.ProductCode));
        Assert.Equal(instalment.UnreportedCount, instalment.Lenders.Sum(l => l.AwaitingOutcome));
        Assert.DoesNotContain(app.FirstUnreported, u => u.ApplicationId == Guid.Parse(viaAds));
        Assert.All(app.FirstUnreported, u => Assert.Equal("APP", u.SourceCode));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reports.ReconcileAsync(ReportTraffic.AroundToday(), olderThanDays: -1));
    }

    [Fact]
    public async Task A_report_of_one_day_is_a_period_and_one_that_ends_before_it_starts_is_refused()
    {
        var today = BusinessDay.Of(DateTimeOffset.UtcNow);
        var cpl = await traffic.CplAsync();

        var oneDay = await reports.DetailAsync(new ReportFilter(today, today, Lender: " l2 ")).ToListAsync(); // codes as typed: any case, spaces around

        Assert.Contains(oneDay, d => d.ApplicationId == Guid.Parse(cpl));
        await Assert.ThrowsAsync<ArgumentException>(() => reports.SummaryAsync(new ReportFilter(today, today.AddDays(-1))));
    }

    [Fact]
    public async Task Choices_list_the_codes_of_the_lenders_their_products_and_the_sources()
    {
        var choices = await reports.ChoicesAsync();

        Assert.Equal(["L1", "L2"], choices.Lenders.Select(c => c.Code));
        Assert.Equal([("L1-CASH", "L1"), ("L1-INST", "L1"), ("L2-MICRO", "L2")], choices.Products.Select(c => (c.Code, c.Parent!)));
        Assert.Equal(["ADS", "APP"], choices.Sources.Select(c => c.Code));
    }
}
