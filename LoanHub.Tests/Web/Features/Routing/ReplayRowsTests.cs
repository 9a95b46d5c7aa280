using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Routing;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Routing;

/// <summary>
/// The what-if reads its million rows with SQL of its own (faster than EF Core's materializer); it must read exactly
/// what the model's LINQ query reads, on either provider, column for column, in the same order.
/// </summary>
public class ReplayRowsTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    [Fact]
    public async Task The_replay_reads_each_routed_applicant_as_the_model_describes_it()
    {
        var client = host.CreateClient();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        var employments = new[] { "Salaried", "SelfEmployed", "BusinessOwner" };
        var purposes = new[] { "Consumption", "Education", "Renovation", "CarPurchase" };
        for (var i = 0; i < 12; i++)
        {
            var body = ValidBody(nationalId: NationalId(870_000 + i));
            body["employment"] = employments[i % employments.Length];
            body["purpose"] = purposes[i % purposes.Length];
            body["monthlyIncome"] = 9_000 + i * 731;
            body["requestedAmount"] = 5_000 + i * 1_250.5;
            body["termMonths"] = 3 + i % 4 * 3;
            body["provinceCode"] = i % 2 == 0 ? "31" : "44";
            if (i % 3 == 0) body.Remove("existingMonthlyDebt");
            if (i % 4 == 1) body.Remove("bureauScore");
            await PostAsync(client, body);
        }
        await PostAsync(client, ValidBody(nationalId: NationalId(870_000))); // a duplicate, not routed: not replayed
        var end = DateTimeOffset.UtcNow.AddSeconds(1);

        // States the example catalog's lenders do not reach on their own, written as the store would hold them.
        await using (var db = host.CreateDbContext())
        {
            var routed = await db.Allocations.OrderBy(a => a.AllocatedAt).Where(a => a.AllocatedAt >= start).Select(a => a.Id).ToListAsync();
            Assert.True(routed.Count >= 4, $"only {routed.Count} applicants were routed");
            await db.Allocations.Where(a => a.Id == routed[1]).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeliveryId, new DeliveryId(Guid.NewGuid())));
            var ids = await db.Applications.Where(a => a.ReceivedAt >= start).OrderBy(a => a.ReceivedAt).Select(a => a.Id).ToListAsync();
            await db.Applications.Where(a => a.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(a => a.UnmatchedCause, UnmatchedCause.RefusedByAll));
            await db.Applications.Where(a => a.Id == ids[3]).ExecuteUpdateAsync(s => s.SetProperty(a => a.UnmatchedCause, UnmatchedCause.Deadline));
            await db.Assessments.Where(a => a.ApplicationId == ids[4]).ExecuteUpdateAsync(s => s.SetProperty(a => a.ApplicantAge, (int?)null));
            await db.Assessments.Where(a => a.ApplicationId == ids[6]).ExecuteUpdateAsync(s => s.SetProperty(a => a.TurnedAwayForLimit, true));
        }

        await using var read = host.CreateDbContext();
        var rows = new List<RoutingService.ReplayRow>();
        await foreach (var row in RoutingService.ReplayRows(read, start, end)) rows.Add(row);
        var expected = await ModelRows(read, start, end).ToListAsync();

        Assert.Equal(expected, rows);
        Assert.Equal(12, rows.Count); // the duplicate is not replayed
        Assert.Contains(rows, r => r.Pulled);
        Assert.Contains(rows, r => r is { Product: not null, Pulled: false });
        Assert.Equal(2, rows.Count(r => r.Unplaced));
        Assert.Contains(rows, r => r.Age is null);
        Assert.Single(rows, r => r.RecordWithLimits is not null);
        Assert.Contains(rows, r => r.ExistingMonthlyDebt is null);
        Assert.Contains(rows, r => r.BureauScore is null);
        Assert.Equal(3, rows.Select(r => r.Employment).Distinct().Count());
        Assert.Equal(4, rows.Select(r => r.Purpose).Distinct().Count());
        Assert.Contains(rows, r => r.RequestedAmount % 1 != 0); // fen, not whole yuan
    }

    /// <summary>The same rows as the model's LINQ query reads them: what <see cref="RoutingService.ReplayRows"/> must agree with.</summary>
    private static IQueryable<RoutingService.ReplayRow> ModelRows(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end) =>
        from x in AssessedApplication.ReceivedIn(db, start, end).Where(x => x.Assessment.Decision == Decision.Route)
        join allocation in db.Allocations.AsNoTracking() on x.Application.Id equals allocation.ApplicationId into allocations
        from allocation in allocations.DefaultIfEmpty()
        orderby x.Application.ReceivedAt
        select new RoutingService.ReplayRow(x.Application.Id, x.Application.ReceivedAt, x.Assessment.ApplicantAge, x.Application.Applicant.MonthlyIncome,
            x.Application.Applicant.ExistingMonthlyDebt, x.Application.Applicant.Employment, x.Application.Applicant.RequestedAmount,
            x.Application.Applicant.TermMonths, x.Application.Applicant.ProvinceCode, x.Application.Applicant.BureauScore, x.Application.Applicant.Purpose,
            x.Assessment.Score, x.Assessment.Tier, x.Assessment.CatalogVersionId,
            x.Assessment.TurnedAwayForLimit ? x.Assessment.DecisionRecordJson : null,
            x.Application.UnmatchedCause == UnmatchedCause.RefusedByAll || x.Application.UnmatchedCause == UnmatchedCause.Deadline,
            (ProductId?)allocation.ProductId, allocation == null ? 0m : allocation.ExpectedCommission,
            allocation != null && allocation.DeliveryId == null);
}
