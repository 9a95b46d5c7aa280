using LoanHub.Core.Domain;

namespace LoanHub.Tests.Core.Domain;

public class EligibilityCriteriaTests
{
    private static EligibilityCriteria Criteria(decimal min = 1_000m, decimal max = 50_000m, int minAge = 22, int maxAge = 55, string[]? provinces = null) =>
        new(min, max, 3, 24, minAge, maxAge, 0, 3_000m, provinces ?? ["11", "31"], [Employment.Salaried], RiskTier.C);

    [Fact]
    public void Minimum_above_maximum_is_refused()
    {
        Assert.Throws<DomainException>(() => Criteria(min: 60_000m, max: 50_000m));
        Assert.Throws<DomainException>(() => Criteria(minAge: 60, maxAge: 55));
    }

    [Fact]
    public void Unknown_province_is_refused()
    {
        var error = Assert.Throws<DomainException>(() => Criteria(provinces: ["99"]));
        Assert.Contains("99", error.Message);
    }

    [Fact]
    public void Criteria_with_the_same_lists_in_another_order_are_equal()
    {
        Assert.Equal(Criteria(provinces: ["31", "11"]), Criteria(provinces: ["11", "31"]));
        Assert.NotEqual(Criteria(provinces: ["31"]), Criteria(provinces: ["11", "31"]));
    }
}
