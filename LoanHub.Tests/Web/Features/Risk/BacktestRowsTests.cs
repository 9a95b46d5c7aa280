using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Risk;
using Microsoft.EntityFrameworkCore;
using static LoanHub.Tests.Web.Features.Intake.IntakeClient;

namespace LoanHub.Tests.Web.Features.Risk;

/// <summary>
/// The backtest reads its million rows with SQL of its own; it must read exactly what the model's LINQ query reads, on
/// either provider, column for column, in arrival order, with and without the keyed hashes.
/// </summary>
public class BacktestRowsTests(LoanHubHost host) : IClassFixture<LoanHubHost>
{
    [Fact]
    public async Task The_backtest_reads_each_applicant_as_the_model_describes_it()
    {
        var client = host.CreateClient();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 8; i++)
        {
            // Three on one device: a shared-device signal for the later ones.
            var body = ValidBody(nationalId: NationalId(880_000 + i), deviceId: i < 3 ? "backtest-rows-shared" : null);
            body["monthlyIncome"] = 8_000 + i * 917;
            body["requestedAmount"] = 3_000 + i * 2_000.25;
            await PostAsync(client, body);
        }
        await PostAsync(client, ValidBody(nationalId: NationalId(880_000))); // a duplicate
        await PostAsync(client, ValidBody(nationalId: NationalId(880_001)), apiKey: AppKey); // from the other source
        var end = DateTimeOffset.UtcNow.AddSeconds(1);

        await using var db = host.CreateDbContext();
        foreach (var withHashes in new[] { true, false })
        {
            var rows = new List<BacktestApplicant>();
            await foreach (var row in BacktestQuery.Applicants(db, start, end, withHashes)) rows.Add(row);
            var expected = await ModelRows(db, start, end, withHashes).ToListAsync();

            Assert.Equal(10, rows.Count);
            Assert.Equal(expected.Select(Comparable), rows.Select(Comparable));
            Assert.Equal(withHashes, rows.All(r => r.IdentityHash.Length == BacktestQuery.KeyLength && r.IpHash.Length == BacktestQuery.KeyLength));
        }

        var read = new List<BacktestApplicant>();
        await foreach (var row in BacktestQuery.Applicants(db, start, end, withHashes: true)) read.Add(row);
        Assert.Contains(read, r => r.Signals.Count > 0);
        Assert.Contains(read, r => r.Signals.Count == 0);
        Assert.Contains(read, r => r.Routed);
        Assert.Contains(read, r => !r.Routed);
        Assert.Equal(2, read.Select(r => r.SourceId).Distinct().Count());
        Assert.Single(read.Take(3).Select(r => r.DeviceHash).Distinct()); // the shared device links on one key
        Assert.Equal(8, read.Skip(2).Select(r => r.DeviceHash).Distinct().Count());
        Assert.Contains(read, r => r.RequestedAmount % 1 != 0); // fen, not whole yuan
    }

    /// <summary>A record's list compares by reference: the signals compared as their text.</summary>
    private static (BacktestApplicant Others, string Signals) Comparable(BacktestApplicant a) => (a with { Signals = [] }, string.Join(",", a.Signals));

    /// <summary>The same rows as the model's LINQ query reads them: what <see cref="BacktestQuery.Applicants"/> must agree with.</summary>
    private static IQueryable<BacktestApplicant> ModelRows(LoanHubDbContext db, DateTimeOffset start, DateTimeOffset end, bool withHashes) =>
        from x in AssessedApplication.ReceivedIn(db, start, end).OrderBy(x => x.Application.ReceivedAt)
        select new BacktestApplicant(x.Application.Id, x.Application.SourceId, x.Application.ReceivedAt,
            withHashes ? x.Application.IdentityHash.Substring(0, BacktestQuery.KeyLength) : "",
            withHashes ? x.Application.PhoneHash.Substring(0, BacktestQuery.KeyLength) : "",
            withHashes ? x.Application.DeviceHash.Substring(0, BacktestQuery.KeyLength) : "",
            withHashes ? x.Application.IpHash.Substring(0, BacktestQuery.KeyLength) : "",
            x.Application.Applicant.MonthlyIncome, x.Application.Applicant.RequestedAmount,
            x.Assessment.Score, x.Assessment.Tier, x.Assessment.Decision, x.Assessment.Signals,
            x.Application.Status == ApplicationStatus.Routed, x.Application.DecidedAt);
}
