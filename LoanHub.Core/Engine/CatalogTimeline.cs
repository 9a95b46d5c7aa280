using System.Text.Json;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// The catalogs past applicants were decided on, from their stored <see cref="CatalogVersion"/>s: what the routing
/// what-if replays each applicant against, so a proposal is judged on the criteria and contracts of the applicant's
/// own time rather than today's. Every decision names its version; a decision older than the history names none,
/// and meets the version in force at its arrival — before the first version, the first, the best knowledge there is.
/// </summary>
public sealed class CatalogTimeline
{
    private readonly long[] ids;
    private readonly DateTimeOffset[] from;
    private readonly IReadOnlyList<ProductSnapshot>[] catalogs;

    private CatalogTimeline(long[] ids, DateTimeOffset[] from, IReadOnlyList<ProductSnapshot>[] catalogs)
    {
        this.ids = ids;
        this.from = from;
        this.catalogs = catalogs;
    }

    /// <summary>How many versions the timeline holds.</summary>
    public int Count => catalogs.Length;

    /// <summary>One catalog for all time: a replay against today's products.</summary>
    public static CatalogTimeline Fixed(IReadOnlyList<ProductSnapshot> products) => new([0], [DateTimeOffset.MinValue], [products]);

    /// <param name="versions">The versions the replayed decisions name, and the first one kept; in any order.</param>
    /// <param name="current">The catalog now: the whole timeline when no version was ever stored.</param>
    public static CatalogTimeline Of(IEnumerable<CatalogVersion> versions, IReadOnlyList<ProductSnapshot> current)
    {
        var ordered = versions.Distinct().OrderBy(v => v.TakenAt).ThenBy(v => v.Id).ToArray();
        if (ordered.Length == 0) return Fixed(current);
        return new([.. ordered.Select(v => v.Id)], [.. ordered.Select(v => v.TakenAt)], [.. ordered.Select(v => Products(v.ProductsJson))]);
    }

    /// <summary>Every product any version holds, each as its latest version has it.</summary>
    public IReadOnlyList<ProductSnapshot> AllProducts =>
        [.. catalogs.Reverse().SelectMany(c => c).DistinctBy(p => p.ProductId)];

    /// <summary>The catalog a decision was made on: its version when it names one the timeline holds, else the one in force at <paramref name="at"/>.</summary>
    public IReadOnlyList<ProductSnapshot> For(long? versionId, DateTimeOffset at)
    {
        if (versionId is { } id && Array.IndexOf(ids, id) is var index and >= 0) return catalogs[index];
        return At(at);
    }

    /// <summary>The catalog in force at <paramref name="at"/>: the last version taken at or before it, else the first.</summary>
    public IReadOnlyList<ProductSnapshot> At(DateTimeOffset at)
    {
        var index = Array.BinarySearch(from, at);
        if (index >= 0)
        {
            while (index + 1 < from.Length && from[index + 1] == at) index++;
            return catalogs[index];
        }
        return catalogs[Math.Max(0, ~index - 1)];
    }

    /// <summary>
    /// The same timeline with <paramref name="change"/> applied to every version's products (e.g. a proposal's
    /// routing settings); each version is changed once, not once per applicant, and kept in the allocators' canonical
    /// order so they need not sort it for every applicant.
    /// </summary>
    public CatalogTimeline With(Func<ProductSnapshot, ProductSnapshot> change) =>
        new(ids, from, [.. catalogs.Select(c => (IReadOnlyList<ProductSnapshot>)[.. c.Select(change).Order(Canonical)])]);

    private static readonly IComparer<ProductSnapshot> Canonical = Comparer<ProductSnapshot>.Create(Allocators.CanonicalOrder);

    /// <summary>The JSON a version stores for <paramref name="products"/>: in product id order, so the same catalog always has the same fingerprint.</summary>
    public static string Serialize(IEnumerable<ProductSnapshot> products) =>
        JsonSerializer.Serialize(products.OrderBy(p => p.ProductId.Value).ToArray(), EngineJson.Options);

    private static IReadOnlyList<ProductSnapshot> Products(string json) =>
        JsonSerializer.Deserialize<ProductSnapshot[]>(json, EngineJson.Options) ?? [];
}
