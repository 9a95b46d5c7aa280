using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

/// <summary>The scorecard must be monotone where the business says so, for every applicant, not just the examples.</summary>
public class ScorecardPropertyTests
{
    private static readonly Scorecard Card = Scorecard.Default;

    private static Gen<ApplicantProfile> Applicants =>
        from age in Gen.Choose(18, 80)
        from income in Gen.Choose(0, 120_000)
        from debt in Gen.Choose(0, 60_000)
        from employment in Gen.Elements(Enum.GetValues<Employment>())
        from amount in Gen.Choose(500, 5_000_000)
        from term in Gen.Choose(1, 120)
        from bureau in Gen.Choose(299, 900)
        select new ApplicantProfile(Today.AddYears(-age).AddDays(-1), income, debt, employment, amount, term, "31",
            bureau < 300 ? null : bureau);

    private static Arbitrary<(ApplicantProfile Applicant, decimal Increase)> ApplicantsAndIncreases =>
        Gen.Zip(Applicants, Gen.Choose(0, 100_000).Select(n => n / 10m)).ToArbitrary();

    [Property]
    public Property More_income_never_lowers_the_score() =>
        Prop.ForAll(ApplicantsAndIncreases, x =>
            Card.Score(x.Applicant with { MonthlyIncome = x.Applicant.MonthlyIncome + x.Increase }, Today).Score
            >= Card.Score(x.Applicant, Today).Score);

    [Property]
    public Property More_existing_debt_never_raises_the_score() =>
        Prop.ForAll(ApplicantsAndIncreases, x =>
            Card.Score(x.Applicant with { ExistingMonthlyDebt = x.Applicant.ExistingMonthlyDebt + x.Increase }, Today).Score
            <= Card.Score(x.Applicant, Today).Score);

    [Property]
    public Property A_higher_bureau_score_never_lowers_the_score() =>
        Prop.ForAll(Gen.Zip(Applicants.Where(a => a.BureauScore is not null), Gen.Choose(0, 300)).ToArbitrary(), x =>
            Card.Score(x.Item1 with { BureauScore = Math.Min(900, x.Item1.BureauScore!.Value + x.Item2) }, Today).Score
            >= Card.Score(x.Item1, Today).Score);

    [Property]
    public Property Reasons_are_at_most_four_distinct_codes_costliest_first() =>
        Prop.ForAll(Applicants.ToArbitrary(), applicant =>
        {
            var reasons = Card.Score(applicant, Today).Reasons;
            return reasons.Count <= 4
                && reasons.Select(r => r.Code).Distinct().Count() == reasons.Count
                && reasons.Zip(reasons.Skip(1)).All(p => p.First.PointsLost >= p.Second.PointsLost)
                && reasons.All(r => r.PointsLost > 0m);
        });
}
