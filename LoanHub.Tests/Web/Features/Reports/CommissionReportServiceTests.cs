using LoanHub.Core.Domain;
using LoanHub.Web.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
}
