using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class DecisionPolicyRulesTests
{
    private static FraudFindings With(params (string Code, SignalSeverity Severity)[] signals) =>
        new([.. signals.Select(s => new FraudSignal(s.Code, s.Severity, "detail"))], null);

    [Fact]
    public void Every_reason_for_a_rejection_is_given_once()
    {
        var outcome = DecisionPolicy.Default.Decide(new ScoreResult(400, RiskTier.E, [], "t", []),
            With((FraudSignal.Underage, SignalSeverity.Reject), (FraudSignal.Underage, SignalSeverity.Reject), (FraudSignal.Ring, SignalSeverity.Review)));
        Assert.Equal(Decision.Reject, outcome.Decision);
        Assert.Equal([FraudSignal.Underage, DecisionPolicy.ScoreBelowFloor, DecisionPolicy.TierRejected], outcome.Because);
    }

    [Fact]
    public void A_review_gives_its_signals_and_the_grey_band()
    {
        var outcome = DecisionPolicy.Default.Decide(new ScoreResult(500, RiskTier.D, [], "t", []), With((FraudSignal.Ring, SignalSeverity.Review)));
        Assert.Equal([FraudSignal.Ring, DecisionPolicy.ScoreGreyBand], outcome.Because);
        var route = DecisionPolicy.Default.Decide(new ScoreResult(600, RiskTier.C, [], "t", []), FraudFindings.None);
        Assert.Equal((Decision.Route, 0), (route.Decision, route.Because.Count));
    }

    [Fact]
    public void A_duplicate_names_only_the_duplicate()
    {
        var outcome = DecisionPolicy.Default.Decide(new ScoreResult(400, RiskTier.E, [], "t", []),
            With((FraudSignal.Duplicate, SignalSeverity.Duplicate), (FraudSignal.Underage, SignalSeverity.Reject)));
        Assert.Equal([FraudSignal.Duplicate], outcome.Because);
    }

    [Fact]
    public void The_tier_floor_is_configurable_and_the_tier_just_above_it_passes()
    {
        var policy = DecisionPolicy.Default with { RejectFromTier = RiskTier.D };
        Assert.Equal(Decision.Reject, policy.Decide(new ScoreResult(600, RiskTier.D, [], "t", []), FraudFindings.None).Decision);
        Assert.Equal(Decision.Route, policy.Decide(new ScoreResult(600, RiskTier.C, [], "t", []), FraudFindings.None).Decision);
        Assert.Equal((480, RiskTier.E, 540), (DecisionPolicy.Default.RejectBelowScore, DecisionPolicy.Default.RejectFromTier, DecisionPolicy.Default.ReviewBelowScore));
    }
}

public class DecisionRecordRulesTests
{
    private static readonly DecisionEngine Engine = DecisionEngine.Default;

    [Fact]
    public void A_record_lists_products_by_lender_then_product_and_names_where_it_went()
    {
        var b = Product("b", lender: "ALPHA");
        var a = Product("a", lender: "ZED");
        var c = Product("a", lender: "ALPHA", criteria: Criteria(minScore: 1000));
        var record = Engine.Decide(Applicant(), FraudFindings.None, [new(a, ProductUsage.None), new(b, ProductUsage.None), new(c, ProductUsage.None)],
            RoutingStrategy.Weighted, new WeightedRoundRobinState(), Today);
        Assert.Equal(["ALPHA/a", "ALPHA/b", "ZED/a"], record.Products.Select(p => $"{p.LenderCode}/{p.ProductCode}"));
        Assert.Equal([false, true, true], record.Products.Select(p => p.IsEligible));
        Assert.Equal((ApplicationStatus.Routed, RoutingStrategy.Weighted, Today, false), (record.Status, record.Strategy!.Value, record.DecidedOn, record.ReleasedFromReview));
        Assert.Equal(b.ProductId, record.RoutedTo!.ProductId);
        Assert.Equal(record.Reasons.Select(r => r.Code), record.ReasonCodes);
        Assert.Empty(record.SignalCodes);
    }

    [Fact]
    public void A_record_not_routed_names_no_product()
    {
        var held = Engine.Decide(Applicant(), new FraudFindings([new FraudSignal(FraudSignal.Ring, SignalSeverity.Review, "ring")], null),
            [new(Product("a"), ProductUsage.None)], RoutingStrategy.Weighted, new WeightedRoundRobinState(), Today);
        Assert.Equal((ApplicationStatus.InReview, (RoutingStrategy?)null, (AllocationResult?)null), (held.Status, held.Strategy, held.Allocation));
        Assert.Null(held.RoutedTo);
        Assert.Empty(held.Products);
        Assert.Equal([FraudSignal.Ring], held.SignalCodes);
        var rejected = Engine.Decide(Applicant(birthDate: Today.AddYears(-17)),
            new FraudFindings([new FraudSignal(FraudSignal.Underage, SignalSeverity.Reject, "young")], null), [], RoutingStrategy.Weighted, new WeightedRoundRobinState(), Today);
        Assert.Equal(ApplicationStatus.Rejected, rejected.Status);
        var duplicate = Engine.Decide(Applicant(), new FraudFindings([new FraudSignal(FraudSignal.Duplicate, SignalSeverity.Duplicate, "dup")], null),
            [], RoutingStrategy.Weighted, new WeightedRoundRobinState(), Today);
        Assert.Equal(ApplicationStatus.Duplicate, duplicate.Status);
    }

    [Fact]
    public void An_unmatched_record_keeps_its_route_decision_but_routes_nowhere()
    {
        var record = Engine.Decide(Applicant(), FraudFindings.None, [new(Product("a", weight: 0), ProductUsage.None)],
            RoutingStrategy.Weighted, new WeightedRoundRobinState(), Today);
        Assert.Equal((Decision.Route, ApplicationStatus.Unmatched), (record.Decision, record.Status));
        Assert.NotNull(record.Allocation);
        Assert.Null(record.RoutedTo);
    }

    [Fact]
    public void Reallocating_keeps_the_score_and_takes_the_new_day()
    {
        var held = Engine.Decide(Applicant(), new FraudFindings([new FraudSignal(FraudSignal.Ring, SignalSeverity.Review, "ring")], null),
            [], RoutingStrategy.Weighted, new WeightedRoundRobinState(), Today);
        var replayed = Engine.Reallocate(held, Applicant(), [new(Product("a"), ProductUsage.None)], RoutingStrategy.Priority, new WeightedRoundRobinState(), Today.AddDays(3));
        Assert.Equal((held.Score, Decision.Route, Today.AddDays(3), RoutingStrategy.Priority, ApplicationStatus.Routed, false),
            (replayed.Score, replayed.Decision, replayed.DecidedOn, replayed.Strategy!.Value, replayed.Status, replayed.ReleasedFromReview));
        var released = Engine.RouteAfterReview(held, Applicant(), [new(Product("a"), ProductUsage.None)], RoutingStrategy.Weighted, new WeightedRoundRobinState(), Today.AddDays(1));
        Assert.Equal((true, Today.AddDays(1)), (released.ReleasedFromReview, released.DecidedOn));
        var e = Assert.Throws<DomainException>(() => Engine.RouteAfterReview(released, Applicant(), [], RoutingStrategy.Weighted, new WeightedRoundRobinState(), Today));
        Assert.Equal("Only an application held for review can be released; this one was decided Route.", e.Message);
    }

    [Fact]
    public void Empty_record_json_is_refused() => Assert.Throws<DomainException>(() => DecisionRecord.FromJson("null"));

    [Fact]
    public void Engine_json_writes_ids_as_guids_enums_by_name_and_contracts_by_their_shape()
    {
        var id = new ProductId(Guid.Parse("00000000-0000-0000-0000-00000000000a"));
        var json = System.Text.Json.JsonSerializer.Serialize(new { id, tier = RiskTier.C, contract = CommissionContract.PerSale(0.02m) }, EngineJson.Options);
        Assert.Equal("{\"id\":\"00000000-0000-0000-0000-00000000000a\",\"tier\":\"C\",\"contract\":{\"model\":\"CPS\",\"amount\":0,\"rate\":0.02}}", json);
        var contract = System.Text.Json.JsonSerializer.Deserialize<CommissionContract>("{\"Model\":\"CPA\",\"Amount\":12.5,\"Rate\":0}", EngineJson.Options);
        Assert.Equal(CommissionContract.PerApproval(12.5m), contract);
        Assert.Throws<DomainException>(() => System.Text.Json.JsonSerializer.Deserialize<CommissionContract>("{\"model\":\"CPL\",\"amount\":0,\"rate\":0}", EngineJson.Options));
        Assert.True(EngineJson.Options.IsReadOnly);
    }
}

public class CatalogTimelineRulesTests
{
    private static CatalogVersion Version(DateTimeOffset at, params ProductSnapshot[] products) => new(at, CatalogTimeline.Serialize(products));

    [Fact]
    public void A_decision_naming_its_version_gets_that_catalog_whatever_its_time()
    {
        var early = Product("EARLY");
        var late = Product("LATE");
        var first = Version(Now, early);
        var second = Version(Now.AddDays(1), late);
        typeof(CatalogVersion).GetProperty(nameof(CatalogVersion.Id))!.SetValue(first, 11L);
        typeof(CatalogVersion).GetProperty(nameof(CatalogVersion.Id))!.SetValue(second, 12L);
        var timeline = CatalogTimeline.Of([second, first], []);
        Assert.Equal("EARLY", timeline.For(11, Now.AddDays(5)).Single().ProductCode);
        Assert.Equal("LATE", timeline.For(12, Now.AddDays(-5)).Single().ProductCode);
        Assert.Equal("LATE", timeline.For(99, Now.AddDays(5)).Single().ProductCode);
        Assert.Equal("EARLY", timeline.For(null, Now.AddHours(1)).Single().ProductCode);
    }

    [Fact]
    public void Versions_taken_at_the_same_moment_give_the_last_by_id()
    {
        var a = Version(Now, Product("A"));
        var b = Version(Now, Product("B"));
        typeof(CatalogVersion).GetProperty(nameof(CatalogVersion.Id))!.SetValue(a, 2L);
        typeof(CatalogVersion).GetProperty(nameof(CatalogVersion.Id))!.SetValue(b, 1L);
        var timeline = CatalogTimeline.Of([a, b], []);
        Assert.Equal("A", timeline.At(Now).Single().ProductCode);
        Assert.Equal("A", timeline.At(Now.AddSeconds(1)).Single().ProductCode);
        Assert.Equal("B", timeline.At(Now.AddSeconds(-1)).Single().ProductCode);
    }

    [Fact]
    public void A_fixed_catalog_is_one_version_for_all_time()
    {
        var timeline = CatalogTimeline.Fixed([Product("A")]);
        Assert.Equal(1, timeline.Count);
        Assert.Equal("A", timeline.For(5, DateTimeOffset.MinValue).Single().ProductCode);
        Assert.Equal("A", timeline.At(DateTimeOffset.MaxValue).Single().ProductCode);
    }
}
