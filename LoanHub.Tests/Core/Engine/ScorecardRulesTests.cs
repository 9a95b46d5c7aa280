using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class ScorecardValidationTests
{
    private static readonly ScorecardDefinition Valid = ScorecardDefinition.Default;

    [Fact]
    public void An_empty_table_names_every_missing_part()
    {
        var errors = new ScorecardDefinition().Validate();
        Assert.Equal(
        [
            "The scorecard needs a version.",
            "The base score must be positive.",
            "The base odds must be positive.",
            "The points to double the odds must be positive.",
            "Tier cut-offs must fall strictly from A to D.",
            "Age has no bins.",
            "MonthlyIncome has no bins.",
            "DebtToIncome has no bins.",
            "LoanToIncome has no bins.",
            "TermMonths has no bins.",
            "BureauScore has no bins.",
            "ThinFile needs exactly one of Points or Woe.",
            "Employment has no bin for Salaried, SelfEmployed, BusinessOwner, Student, Retired, Unemployed.",
        ], errors);
    }

    [Theory]
    [InlineData(640, 640, 570, 480)]
    [InlineData(640, 610, 610, 480)]
    [InlineData(640, 610, 570, 570)]
    [InlineData(600, 610, 570, 480)]
    public void Tier_cut_offs_that_do_not_fall_strictly_are_refused(int a, int b, int c, int d) =>
        Assert.Equal(["Tier cut-offs must fall strictly from A to D."], (Valid with { Tiers = new TierCutoffs { A = a, B = b, C = c, D = d } }).Validate());

    [Fact]
    public void Base_values_at_zero_are_refused_and_just_above_are_accepted()
    {
        Assert.Contains("The base score must be positive.", (Valid with { BaseScore = 0 }).Validate());
        Assert.Contains("The base odds must be positive.", (Valid with { BaseOdds = 0m }).Validate());
        Assert.Contains("The points to double the odds must be positive.", (Valid with { PointsToDoubleOdds = 0m }).Validate());
        Assert.Contains("The scorecard needs a version.", (Valid with { Version = "  " }).Validate());
        Assert.Empty((Valid with { BaseScore = 1, BaseOdds = 0.01m, PointsToDoubleOdds = 0.01m }).Validate());
    }

    [Fact]
    public void Each_bin_problem_names_the_attribute_and_the_bin()
    {
        var definition = Valid with
        {
            Age = [new RangeBin { Woe = 0m }, new RangeBin { Below = 30, Woe = 0m }],
            TermMonths = [new RangeBin { Below = 12 }, new RangeBin { Woe = 0m }],
        };
        Assert.Equal(
        [
            "Only the last Age bin may be open-ended.",
            "The last Age bin must be open-ended (no Below).",
            "TermMonths bin 1 needs exactly one of Points or Woe.",
        ], definition.Validate());
    }

    [Fact]
    public void Equal_bounds_are_not_ascending()
    {
        var definition = Valid with { Age = [new RangeBin { Below = 30, Woe = 0m }, new RangeBin { Below = 30, Woe = 0m }, new RangeBin { Woe = 0m }] };
        Assert.Equal(["Age bins must be in ascending order of Below."], definition.Validate());
    }

    [Fact]
    public void Debt_points_that_rise_with_debt_are_refused_but_level_points_are_not()
    {
        var rising = Valid with { DebtToIncome = [new RangeBin { Below = 0.5m, Points = 0m }, new RangeBin { Points = 1m }] };
        Assert.Equal(["DebtToIncome points must not rise as the value rises (bin 2)."], rising.Validate());
        var level = Valid with { DebtToIncome = [new RangeBin { Below = 0.5m, Points = 1m }, new RangeBin { Points = 1m }], BureauScore = [new RangeBin { Below = 600, Points = 1m }, new RangeBin { Points = 1m }] };
        Assert.Empty(level.Validate());
        var falling = Valid with { BureauScore = [new RangeBin { Below = 600, Points = 1m }, new RangeBin { Points = 0m }] };
        Assert.Equal(["BureauScore points must not fall as the value rises (bin 2)."], falling.Validate());
    }

    [Fact]
    public void Free_attributes_may_rise_and_fall()
    {
        var definition = Valid with { Age = [new RangeBin { Below = 30, Points = 5m }, new RangeBin { Below = 40, Points = -5m }, new RangeBin { Points = 5m }] };
        Assert.Empty(definition.Validate());
    }

    [Fact]
    public void A_bin_without_a_value_is_not_compared_with_its_neighbours()
    {
        var definition = Valid with { MonthlyIncome = [new RangeBin { Below = 1_000, Points = 5m }, new RangeBin { Below = 2_000 }, new RangeBin { Points = 6m }] };
        Assert.Equal(["MonthlyIncome bin 2 needs exactly one of Points or Woe."], definition.Validate());
    }

    [Fact]
    public void An_invalid_table_cannot_score()
    {
        var e = Assert.Throws<DomainException>(() => new Scorecard(Valid with { Version = "broken", BaseScore = 0 }));
        Assert.Equal("Scorecard broken is invalid: The base score must be positive.", e.Message);
        Assert.Same(Valid, new Scorecard(Valid).Definition);
    }

    [Fact]
    public void Empty_json_is_refused() => Assert.Throws<DomainException>(() => ScorecardDefinition.FromJson("null"));

    [Fact]
    public void Points_given_directly_are_used_as_they_are()
    {
        Assert.Equal(7m, Valid.PointsOf(new BinValue { Points = 7m }));
        Assert.Equal(0m, Valid.PointsOf(new BinValue()));
        Assert.Equal(Valid.Factor * 0.5m, Valid.PointsOf(new BinValue { Woe = 0.5m }));
        // Offset = 600 − Factor · ln 50
        Assert.Equal(600m - Valid.Factor * (decimal)Math.Log(50), Valid.Offset);
    }
}

public class ScorecardScoringTests
{
    [Fact]
    public void Each_attribute_lands_in_the_bin_below_its_bound()
    {
        var d = ScorecardDefinition.Default;
        var card = new Scorecard(d);
        // Term 12 is below 13 (Woe 0.10); term 13 is in the next bin (Woe 0.05).
        var at12 = card.Score(Applicant(termMonths: 12), Today).Attributes.Single(a => a.Attribute == ScoredAttribute.Term);
        var at13 = card.Score(Applicant(termMonths: 13), Today).Attributes.Single(a => a.Attribute == ScoredAttribute.Term);
        Assert.Equal(Math.Round(d.Factor * 0.10m, 2), at12.Points);
        Assert.Equal(0m, at12.PointsLost);
        Assert.Equal(Math.Round(d.Factor * 0.05m, 2), at13.Points);
        Assert.Equal(Math.Round(d.Factor * 0.05m, 2), at13.PointsLost);
        // Bureau 700 is in the bin below 750.
        var bureau = card.Score(Applicant(bureauScore: 700), Today).Attributes.Single(a => a.Attribute == ScoredAttribute.Bureau);
        Assert.Equal(Math.Round(d.Factor * 0.40m, 2), bureau.Points);
        var top = card.Score(Applicant(bureauScore: 900), Today).Attributes.Single(a => a.Attribute == ScoredAttribute.Bureau);
        Assert.Equal(Math.Round(d.Factor * 0.80m, 2), top.Points);
    }

    [Fact]
    public void The_score_is_the_base_plus_every_attribute_rounded_once()
    {
        var result = Scorecard.Default.Score(Applicant(), Today);
        var total = ScorecardDefinition.Default.BaseScore + result.Attributes.Sum(a => a.Points);
        Assert.InRange(result.Score - total, -0.5m, 0.5m);
        Assert.Equal(7, result.Attributes.Count);
        Assert.Equal("default-2025.1", result.ScorecardVersion);
        Assert.Equal(ScorecardDefinition.Default.Tiers.TierOf(result.Score), result.Tier);
    }

    [Fact]
    public void Equal_losses_keep_the_attribute_order()
    {
        var points = ScorecardDefinition.Default with
        {
            BaseScore = 600,
            Age = [new RangeBin { Below = 200, Points = 0m }, new RangeBin { Points = 50m }],
            MonthlyIncome = [new RangeBin { Below = 1_000_000, Points = 0m }, new RangeBin { Points = 50m }],
        };
        var reasons = new Scorecard(points).Score(Applicant(), Today).Reasons.Take(2).Select(r => r.Code);
        Assert.Equal([ReasonCode.AgeRisk, ReasonCode.IncomeLow], reasons);
    }

    [Theory]
    [InlineData(ScoredAttribute.Age, false, ReasonCode.AgeRisk, "Age band with a higher default rate")]
    [InlineData(ScoredAttribute.MonthlyIncome, false, ReasonCode.IncomeLow, "Monthly income is low")]
    [InlineData(ScoredAttribute.DebtToIncome, false, ReasonCode.DtiHigh, "Existing debt payments are high relative to income")]
    [InlineData(ScoredAttribute.LoanToIncome, false, ReasonCode.LtiHigh, "Requested amount is high relative to annual income")]
    [InlineData(ScoredAttribute.Employment, false, ReasonCode.EmploymentRisk, "Employment type with a higher default rate")]
    [InlineData(ScoredAttribute.Term, false, ReasonCode.TermRisk, "Requested term with a higher default rate")]
    [InlineData(ScoredAttribute.Bureau, true, ReasonCode.ThinFile, "No credit bureau record (thin file)")]
    [InlineData(ScoredAttribute.Bureau, false, ReasonCode.BureauLow, "Credit bureau score is low")]
    public void Each_reason_code_has_its_wording(ScoredAttribute attribute, bool thinFile, string code, string description) =>
        Assert.Equal(new ReasonCode(code, description, 3m), ReasonCode.For(attribute, thinFile, 3m));

    [Fact]
    public void An_unknown_attribute_has_no_reason() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReasonCode.For((ScoredAttribute)99, false, 1m));
}
