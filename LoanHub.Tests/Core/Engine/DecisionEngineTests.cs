using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class DecisionEngineTests
{
    private readonly DecisionEngine _engine = DecisionEngine.Default;
    private readonly WeightedRoundRobinState _state = new();

    private static readonly ProductSnapshot Cash = Product("cash", lender: "ABC", commission: CommissionContract.PerApproval(100m),
        criteria: Criteria(provinces: ["31", "32"], employment: [Employment.Salaried, Employment.BusinessOwner]));
    private static readonly ProductSnapshot Prime = Product("prime", lender: "ABC", criteria: Criteria(minScore: 650));
    private static readonly ProductSnapshot Capped = Product("capped", lender: "XYZ", dailyCap: 5);

    private static ProductOffer[] Offers(int cappedLeadsToday = 0) =>
        [new(Prime, ProductUsage.None), new(Capped, new ProductUsage(cappedLeadsToday, 0m)), new(Cash, ProductUsage.None)];

    private DecisionRecord Decide(ApplicantProfile applicant, FraudFindings? findings = null, ProductOffer[]? offers = null,
        RoutingStrategy strategy = RoutingStrategy.ExpectedValue) =>
        _engine.Decide(applicant, findings ?? FraudFindings.None, offers ?? Offers(), strategy, _state, Today);

    private static FraudFindings Ring()
    {
        var index = new FraudIndex();
        index.Add(Fingerprint("id-1", phone: "ph", at: Now));
        index.Add(Fingerprint("id-2", phone: "ph", device: "dev", at: Now));
        return index.Check(Fingerprint("id-3", device: "dev", at: Now), Applicant());
    }

    [Fact]
    public void Typical_applicant_is_routed_and_the_record_says_why_other_products_missed()
    {
        var record = Decide(Applicant());

        Assert.Equal((Decision.Route, ApplicationStatus.Routed), (record.Decision, record.Status));
        Assert.Equal((625, RiskTier.B), (record.Score, record.Tier));
        Assert.Equal("cash", record.RoutedTo?.ProductCode);
        Assert.Equal(45m, record.Allocation?.ExpectedCommission);
        Assert.Equal(["capped", "cash", "prime"], record.Products.Select(p => p.ProductCode).Order());
        var prime = Assert.Single(record.Products, p => !p.IsEligible);
        Assert.Equal(Eligibility.Score, Assert.Single(prime.Reasons).Code);
        Assert.Equal(RoutingStrategy.ExpectedValue, record.Strategy);
    }

    [Fact]
    public void Routed_but_with_no_eligible_product_is_Unmatched()
    {
        var record = Decide(Applicant(provinceCode: "44"), offers: [new(Cash, ProductUsage.None), new(Capped, new ProductUsage(5, 0m))]);

        Assert.Equal((Decision.Route, ApplicationStatus.Unmatched), (record.Decision, record.Status));
        Assert.Null(record.Allocation);
        Assert.Null(record.RoutedTo);
        Assert.All(record.Products, p => Assert.False(p.IsEligible));
    }

    [Fact]
    public void Held_application_is_not_offered_to_products_and_leaves_the_rotation_alone()
    {
        var record = Decide(Applicant(), Ring(), strategy: RoutingStrategy.Weighted);

        Assert.Equal((Decision.Review, ApplicationStatus.InReview), (record.Decision, record.Status));
        Assert.Equal([FraudSignal.Ring], record.DecisionReasons);
        Assert.NotNull(record.Cluster);
        Assert.Empty(record.Products);
        Assert.All(Offers(), o => Assert.Equal(0, _state.CurrentWeightOf(o.Product.ProductId)));
    }

    [Fact]
    public void Duplicate_and_rejected_applications_are_not_routed()
    {
        var duplicate = new FraudFindings([new FraudSignal(FraudSignal.Duplicate, SignalSeverity.Duplicate, "routed yesterday")], null);

        Assert.Equal(ApplicationStatus.Duplicate, Decide(Applicant(), duplicate).Status);
        Assert.Equal(ApplicationStatus.Rejected, Decide(Applicant(monthlyIncome: 0m, employment: Employment.Unemployed, bureauScore: 450)).Status);
    }

    [Fact]
    public void Reviewer_release_routes_on_the_score_the_reviewer_saw()
    {
        var held = Decide(Applicant(), Ring());

        var released = _engine.RouteAfterReview(held, Applicant(), Offers(), RoutingStrategy.ExpectedValue, _state, Today.AddDays(1));

        Assert.Equal((Decision.Route, ApplicationStatus.Routed, true), (released.Decision, released.Status, released.ReleasedFromReview));
        Assert.Equal("cash", released.RoutedTo?.ProductCode);
        Assert.Equal(held.Signals, released.Signals);
        Assert.Equal(Today.AddDays(1), released.DecidedOn);
    }

    [Fact]
    public void Only_a_held_application_can_be_released()
    {
        var routed = Decide(Applicant());

        Assert.Throws<DomainException>(() => _engine.RouteAfterReview(routed, Applicant(), Offers(), RoutingStrategy.Weighted, _state, Today));
    }

    [Fact]
    public void Decision_record_round_trips_through_JSON()
    {
        var cps = Product("cps", lender: "DEF", commission: CommissionContract.PerSale(0.015m),
            criteria: Criteria(provinces: ["31"], employment: [Employment.Salaried], maxTier: RiskTier.C), dailyCap: 40, monthlyBudget: 9_000m);
        var record = _engine.Decide(Applicant(), Ring(), [new(cps, ProductUsage.None)], RoutingStrategy.Weighted, _state, Today);
        var released = _engine.RouteAfterReview(record, Applicant(), [new(cps, ProductUsage.None), new(Prime, ProductUsage.None)],
            RoutingStrategy.Weighted, _state, Today);

        var json = released.ToJson();
        var back = DecisionRecord.FromJson(json);

        Assert.Equal(json, back.ToJson());
        Assert.Equal(released.Cluster?.ClusterId, back.Cluster?.ClusterId);
        Assert.Equal(released.Reasons, back.Reasons);
        Assert.Equal(released.RoutedTo?.ProductId, back.RoutedTo?.ProductId);
        Assert.Equal(cps.Commission, back.RoutedTo?.Commission);
        Assert.Equal(cps.Criteria, back.RoutedTo?.Criteria);
        Assert.Equal(cps.Limits, back.RoutedTo?.Limits);
        Assert.Contains("\"status\":\"Routed\"", json);
        Assert.Contains($"\"productId\":\"{cps.ProductId.Value}\"", json);
    }
}
