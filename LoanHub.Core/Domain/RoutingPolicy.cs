using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoanHub.Core.Domain;

/// <summary>
/// One version of the routing policy: the strategy and every product's weight, priority, daily cap and monthly
/// budget. Versions are never edited: a change makes a new one, and restoring an old one makes a new version with
/// its contents. A product follows the active version (<see cref="LenderProduct.Follow"/>); a product the version
/// does not name (created after it) keeps the settings it has.
/// </summary>
public sealed class RoutingPolicy
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public int Version { get; private set; }
    public RoutingStrategy Strategy { get; private set; }
    /// <summary>Per-product weights, priorities and caps of this version, as JSON (<see cref="PolicyProductSetting"/>).</summary>
    public string ProductSettingsJson { get; private set; } = "[]";
    public string Comment { get; private set; } = "";
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public bool IsActive { get; private set; }
    /// <summary>The version that was active when this one was proposed and simulated; null for the first.</summary>
    public int? BasedOnVersion { get; private set; }
    /// <summary>The version whose settings this one brought back, when it is a restore.</summary>
    public int? RestoredFromVersion { get; private set; }
    /// <summary>What the simulation of this change, required before saving it, reported (JSON); empty for versions saved before it was recorded.</summary>
    public string SimulationJson { get; private set; } = "";

    private IReadOnlyList<PolicyProductSetting>? products;

    private RoutingPolicy() { }

    public RoutingPolicy(int version, RoutingStrategy strategy, IEnumerable<PolicyProductSetting> products, string comment, string createdBy,
        DateTimeOffset createdAt, int? basedOnVersion = null, int? restoredFromVersion = null, string simulationJson = "")
    {
        if (version < 1) throw new DomainException("Policy versions start at 1.");
        if (string.IsNullOrWhiteSpace(comment)) throw new DomainException("A policy version needs a comment saying why.");
        Version = version;
        Strategy = strategy;
        this.products = [.. products.OrderBy(p => p.ProductCode, StringComparer.Ordinal)];
        ProductSettingsJson = JsonSerializer.Serialize(this.products, Json);
        Comment = comment.Trim();
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        BasedOnVersion = basedOnVersion;
        RestoredFromVersion = restoredFromVersion;
        SimulationJson = simulationJson;
        IsActive = true;
    }

    /// <summary>Every product this version names, with its four settings.</summary>
    public IReadOnlyList<PolicyProductSetting> Products =>
        products ??= JsonSerializer.Deserialize<List<PolicyProductSetting>>(ProductSettingsJson, Json) ?? [];

    /// <summary>
    /// The product's settings in this version, found by id, or by code in versions written before ids were kept;
    /// null when the version does not name it.
    /// </summary>
    public PolicyProductSetting? SettingOf(ProductId id, string code) =>
        Products.FirstOrDefault(p => p.ProductId == id.Value)
        ?? Products.FirstOrDefault(p => p.ProductId == Guid.Empty && string.Equals(p.ProductCode, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>The limits a product has under this version: the version's, or its own when the version does not name it.</summary>
    public ProductLimits LimitsOf(ProductId id, string code, ProductLimits current) => SettingOf(id, code)?.Limits ?? current;

    public void Retire() => IsActive = false;
}

/// <summary>What a policy version holds of one product.</summary>
public sealed record PolicyProductSetting(Guid ProductId, string ProductCode, int Weight, int Priority, int? DailyCap, decimal? MonthlyBudget)
{
    public static PolicyProductSetting Of(ProductId id, string code, ProductLimits limits) =>
        new(id.Value, code, limits.Weight, limits.Priority, limits.DailyCap, limits.MonthlyBudget);

    [JsonIgnore]
    public ProductLimits Limits => new(DailyCap, MonthlyBudget, Weight, Priority);
}
