using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class CatalogTimelineTests
{
    private static readonly ProductSnapshot Cash = Product("CASH", weight: 5);

    private static CatalogVersion Version(DateTimeOffset at, params ProductSnapshot[] products) => new(at, CatalogTimeline.Serialize(products));

    [Fact]
    public void Each_moment_gets_the_last_version_taken_at_or_before_it_and_earlier_moments_the_first()
    {
        var paused = Cash with { ProductActive = false };
        var raised = Cash with { Limits = new ProductLimits(10, null, 9, 1) };
        var timeline = CatalogTimeline.Of([Version(Now.AddHours(2), raised), Version(Now, Cash), Version(Now.AddHours(1), paused)], current: []);

        Assert.Equal(3, timeline.Count);
        Assert.True(timeline.At(Now.AddDays(-1)).Single().ProductActive); // before any version: the first
        Assert.True(timeline.At(Now).Single().ProductActive);
        Assert.False(timeline.At(Now.AddHours(1)).Single().ProductActive); // taken at exactly that moment
        Assert.False(timeline.At(Now.AddMinutes(119)).Single().ProductActive);
        Assert.Equal(9, timeline.At(Now.AddHours(2)).Single().Limits.Weight);
        Assert.Equal(9, timeline.At(Now.AddYears(1)).Single().Limits.Weight);
    }

    [Fact]
    public void Without_stored_versions_the_current_catalog_stands_for_all_time()
    {
        var timeline = CatalogTimeline.Of([], current: [Cash]);

        Assert.Equal(Cash, timeline.At(Now.AddYears(-5)).Single());
        Assert.Equal(Cash, timeline.At(Now.AddYears(5)).Single());
    }

    [Fact]
    public void A_version_round_trips_its_products_and_the_same_catalog_has_the_same_fingerprint_in_any_order()
    {
        var car = Product("CAR", commission: CommissionContract.PerApproval(80m), criteria: Criteria(maxAmount: 200_000m, provinces: ["31"]));
        var first = Version(Now, Cash, car);
        var again = Version(Now.AddHours(1), car, Cash);

        Assert.Equal(first.Fingerprint, again.Fingerprint);
        Assert.NotEqual(first.Fingerprint, Version(Now, Cash with { ProductActive = false }, car).Fingerprint);
        var products = CatalogTimeline.Of([first], []).At(Now);
        Assert.Equal(new[] { Cash, car }.OrderBy(p => p.ProductId.Value), products, new SnapshotEquality());
    }

    [Fact]
    public void A_change_applies_to_every_version_and_all_products_lists_each_product_once_as_it_is_latest()
    {
        var car = Product("CAR");
        var timeline = CatalogTimeline.Of([Version(Now, Cash), Version(Now.AddHours(1), Cash with { ProductName = "renamed" }, car)], [])
            .With(p => p with { Limits = new ProductLimits(null, null, 0, 1) });

        Assert.All(timeline.At(Now), p => Assert.Equal(0, p.Limits.Weight));
        Assert.All(timeline.At(Now.AddHours(1)), p => Assert.Equal(0, p.Limits.Weight));
        Assert.Single(timeline.At(Now));
        var all = timeline.AllProducts;
        Assert.Equal(2, all.Count);
        Assert.Equal("renamed", all.Single(p => p.ProductId == Cash.ProductId).ProductName);
    }

    /// <summary>Records hold lists (provinces, employment) that compare by reference: compare by their JSON.</summary>
    private sealed class SnapshotEquality : IEqualityComparer<ProductSnapshot>
    {
        public bool Equals(ProductSnapshot? x, ProductSnapshot? y) => CatalogTimeline.Serialize([x!]) == CatalogTimeline.Serialize([y!]);
        public int GetHashCode(ProductSnapshot obj) => obj.ProductId.GetHashCode();
    }
}
