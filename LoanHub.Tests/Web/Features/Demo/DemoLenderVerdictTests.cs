using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LoanHub.Core.Domain;
using LoanHub.Web.Features.Demo;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Web.Features.Demo;

public class DemoLenderVerdictTests
{
    private static readonly DateTimeOffset AllocatedAt = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static Gen<ApplicationId> Applications =>
        Gen.ArrayOf(Gen.Choose(0, 255), 16).Select(bytes => new ApplicationId(new Guid(bytes.Select(b => (byte)b).ToArray())));

    // Requested amounts as intake accepts them: ¥500 to ¥5,000,000 with at most two places.
    private static Gen<decimal> Amounts => Gen.Choose(50_000, 500_000_000).Select(fen => fen / 100m);

    [Fact]
    public void The_same_lead_always_gets_the_same_verdict_and_the_same_reports()
    {
        var application = new ApplicationId(Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
        var later = AllocatedAt.AddHours(2);

        Assert.Equal(DemoLenderVerdict.For(application), DemoLenderVerdict.For(application));
        Assert.Equal(
            DemoLenderVerdict.For(application).ReportDue(application, DeliveryStatus.Delivered, AllocatedAt, 12_345.67m, later),
            DemoLenderVerdict.For(application).ReportDue(application, DeliveryStatus.Delivered, AllocatedAt, 12_345.67m, later));
        Assert.Equal(
            DemoLenderVerdict.For(application).ReportDue(application, DeliveryStatus.Approved, AllocatedAt, 12_345.67m, later),
            DemoLenderVerdict.For(application).ReportDue(application, DeliveryStatus.Approved, AllocatedAt, 12_345.67m, later.AddHours(5)));
    }

    [Property]
    public Property A_delivered_lead_is_answered_2_to_5_minutes_after_it_arrived_and_not_before() =>
        Prop.ForAll(Gen.Zip(Applications, Amounts).ToArbitrary(), x =>
        {
            var (application, requested) = x;
            var verdict = DemoLenderVerdict.For(application);
            var decidedAt = AllocatedAt + verdict.DecidedAfter;
            var early = verdict.ReportDue(application, DeliveryStatus.Delivered, AllocatedAt, requested, decidedAt.AddSeconds(-1));
            var due = verdict.ReportDue(application, DeliveryStatus.Delivered, AllocatedAt, requested, decidedAt);

            return early is null
                && verdict.DecidedAfter >= TimeSpan.FromMinutes(2) && verdict.DecidedAfter <= TimeSpan.FromMinutes(5)
                && due is not null
                && due.Outcome == (verdict.Approved ? "Approved" : "Declined")
                && due.EventId == DemoLenderVerdict.EventId(application, verdict.Approved ? LenderOutcome.Approved : LenderOutcome.Declined)
                && due.EventId!.Length <= 64
                && due.ApplicationId == application.Value
                && due.FundedAmount is null
                && due.OccurredAt == decidedAt;
        });

    [Property]
    public Property Only_an_approved_lead_is_funded_for_at_most_the_amount_asked_for() =>
        Prop.ForAll(Gen.Zip(Applications, Amounts).ToArbitrary(), x =>
        {
            var (application, requested) = x;
            var verdict = DemoLenderVerdict.For(application);
            var muchLater = AllocatedAt.AddHours(20);
            var funded = verdict.ReportDue(application, DeliveryStatus.Approved, AllocatedAt, requested, muchLater);

            var nothingAfterTheEnd = verdict.ReportDue(application, DeliveryStatus.Declined, AllocatedAt, requested, muchLater) is null
                && verdict.ReportDue(application, DeliveryStatus.Funded, AllocatedAt, requested, muchLater) is null;
            if (!verdict.Approved || verdict.FundedAfter is null)
                return nothingAfterTheEnd && funded is null && (verdict.Approved || verdict.FundedAfter is null);

            var fundedAt = AllocatedAt + verdict.DecidedAfter + verdict.FundedAfter.Value;
            var early = verdict.ReportDue(application, DeliveryStatus.Approved, AllocatedAt, requested, fundedAt.AddSeconds(-1));
            return nothingAfterTheEnd
                && early is null
                && funded is { Outcome: "Funded", FundedAmount: { } amount }
                && amount > 0m && amount <= requested && Money.HasAtMostTwoPlaces(amount)
                && amount >= Money.Round(requested * 0.6m)
                && funded.OccurredAt == fundedAt
                && verdict.FundedAfter >= TimeSpan.FromMinutes(3)
                && funded.EventId == DemoLenderVerdict.EventId(application, LenderOutcome.Funded);
        });

    [Fact]
    public void About_45_percent_are_approved_and_70_percent_of_those_funded()
    {
        var random = new Random(20261201);
        var verdicts = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return DemoLenderVerdict.For(new ApplicationId(new Guid(bytes)));
        }).ToList();

        var approved = verdicts.Count(v => v.Approved);
        var funded = verdicts.Count(v => v.FundedAfter is not null);
        Assert.InRange(approved / (double)verdicts.Count, 0.42, 0.48);
        Assert.InRange(funded / (double)approved, 0.67, 0.73);
        Assert.All(verdicts, v => Assert.InRange(v.FundedShare, 0.60m, 1.00m));
    }
}
