using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class ScorecardTests
{
    private static readonly Scorecard Card = Scorecard.Default;

    /// <summary>Best bin in every attribute of the default table.</summary>
    private static ApplicantProfile BestApplicant() => Applicant(
        birthDate: new DateOnly(1990, 1, 1), monthlyIncome: 50_000m, existingMonthlyDebt: 0m,
        requestedAmount: 10_000m, termMonths: 12, bureauScore: 820);

    [Fact]
    public void Default_definition_is_valid() => Assert.Empty(ScorecardDefinition.Default.Validate());

    [Fact]
    public void Base_score_stands_for_base_odds_and_twenty_points_double_them()
    {
        Assert.Equal(50d, Card.OddsAt(600), 6);
        Assert.Equal(100d, Card.OddsAt(620), 6);
        Assert.Equal(25d, Card.OddsAt(580), 6);
    }

    [Fact]
    public void Typical_salaried_applicant_scores_625_in_tier_B()
    {
        var result = Card.Score(Applicant(), Today);

        Assert.Equal(625, result.Score);
        Assert.Equal(RiskTier.B, result.Tier);
        Assert.Equal("default-2025.1", result.ScorecardVersion);
    }

    [Fact]
    public void Reasons_name_the_costliest_attributes_first_and_stop_at_four()
    {
        var result = Card.Score(Applicant(), Today);

        Assert.Equal(
            [ReasonCode.BureauLow, ReasonCode.IncomeLow, ReasonCode.LtiHigh, ReasonCode.DtiHigh],
            result.Reasons.Select(r => r.Code));
        Assert.Equal(18.76m, result.Reasons[0].PointsLost);
    }

    [Fact]
    public void Applicant_in_every_best_bin_has_no_reasons_and_the_top_score()
    {
        var result = Card.Score(BestApplicant(), Today);

        Assert.Empty(result.Reasons);
        Assert.Equal(669, result.Score);
        Assert.Equal(RiskTier.A, result.Tier);
    }

    [Fact]
    public void Missing_bureau_score_is_a_thin_file_reason()
    {
        var result = Card.Score(BestApplicant() with { BureauScore = null }, Today);

        var reason = Assert.Single(result.Reasons);
        Assert.Equal(ReasonCode.ThinFile, reason.Code);
        Assert.Equal(635, result.Score);
    }

    [Fact]
    public void No_income_with_debt_takes_the_worst_debt_and_loan_to_income_bins_without_dividing_by_zero()
    {
        var result = Card.Score(Applicant(monthlyIncome: 0m, existingMonthlyDebt: 500m), Today);

        var byAttribute = result.Attributes.ToDictionary(a => a.Attribute, a => a.Points);
        Assert.Equal(Math.Round(ScorecardDefinition.Default.Factor * -1.40m, 2), byAttribute[ScoredAttribute.DebtToIncome]);
        Assert.Equal(Math.Round(ScorecardDefinition.Default.Factor * -1.30m, 2), byAttribute[ScoredAttribute.LoanToIncome]);
    }

    [Theory]
    [InlineData(640, RiskTier.A)]
    [InlineData(639, RiskTier.B)]
    [InlineData(610, RiskTier.B)]
    [InlineData(609, RiskTier.C)]
    [InlineData(570, RiskTier.C)]
    [InlineData(569, RiskTier.D)]
    [InlineData(480, RiskTier.D)]
    [InlineData(479, RiskTier.E)]
    public void Tier_cut_offs_are_minimum_scores(int score, RiskTier tier) =>
        Assert.Equal(tier, ScorecardDefinition.Default.Tiers.TierOf(score));

    [Fact]
    public void Woe_becomes_points_at_PDO_over_ln2_per_unit()
    {
        var byWoe = ScorecardDefinition.Default with { ThinFile = new BinValue { Woe = -1m } };
        var byPoints = ScorecardDefinition.Default with { ThinFile = new BinValue { Points = -28.85m } };
        var thin = Applicant(bureauScore: null);

        Assert.Equal(28.8539m, Math.Round(byWoe.Factor, 4));
        Assert.Equal(new Scorecard(byPoints).Score(thin, Today).Score, new Scorecard(byWoe).Score(thin, Today).Score);
    }

    [Fact]
    public void Income_points_that_fall_as_income_rises_are_refused()
    {
        var bins = ScorecardDefinition.Default.MonthlyIncome.ToList();
        bins[^1] = bins[^1] with { Woe = -2m };
        var broken = ScorecardDefinition.Default with { MonthlyIncome = bins };

        Assert.Contains(broken.Validate(), e => e.Contains("MonthlyIncome points must not fall"));
        Assert.Throws<DomainException>(() => new Scorecard(broken));
    }

    [Fact]
    public void Bins_must_ascend_and_end_open()
    {
        var definition = ScorecardDefinition.Default with
        {
            Age = [new RangeBin { Below = 40, Woe = 0m }, new RangeBin { Below = 30, Woe = 0m }],
        };

        var errors = definition.Validate();

        Assert.Contains(errors, e => e.Contains("ascending"));
        Assert.Contains(errors, e => e.Contains("last Age bin must be open-ended"));
    }

    [Fact]
    public void Every_employment_needs_exactly_one_bin_with_one_value()
    {
        var definition = ScorecardDefinition.Default with
        {
            Employment = [.. ScorecardDefinition.Default.Employment.Where(b => b.Employment != Employment.Student),
                new EmploymentBin { Employment = Employment.Salaried, Points = 1m, Woe = 0.1m }],
        };

        var errors = definition.Validate();

        Assert.Contains(errors, e => e.Contains("no bin for Student"));
        Assert.Contains(errors, e => e.Contains("more than one bin for Salaried"));
        Assert.Contains(errors, e => e.Contains("exactly one of Points or Woe"));
    }

    [Fact]
    public void Definition_round_trips_through_its_JSON()
    {
        var json = ScorecardDefinition.Default.ToJson();
        var loaded = ScorecardDefinition.FromJson(json);

        Assert.Empty(loaded.Validate());
        Assert.Equal(json, loaded.ToJson());
        Assert.Equal(Card.Score(Applicant(), Today), new Scorecard(loaded).Score(Applicant(), Today), ScoreComparer.Instance);
    }

    [Fact]
    public void Definition_written_as_PascalCase_configuration_loads()
    {
        var pascal = JsonSerializer.Serialize(ScorecardDefinition.Default, new JsonSerializerOptions
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        });

        var loaded = ScorecardDefinition.FromJson(pascal);

        Assert.Equal("default-2025.1", loaded.Version);
        Assert.Equal(625, new Scorecard(loaded).Score(Applicant(), Today).Score);
    }

    private sealed class ScoreComparer : IEqualityComparer<ScoreResult>
    {
        public static readonly ScoreComparer Instance = new();

        public bool Equals(ScoreResult? x, ScoreResult? y) =>
            x is not null && y is not null && x.Score == y.Score && x.Tier == y.Tier
            && x.Reasons.SequenceEqual(y.Reasons) && x.Attributes.SequenceEqual(y.Attributes);

        public int GetHashCode(ScoreResult obj) => obj.Score;
    }
}
