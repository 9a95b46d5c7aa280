namespace LoanHub.Core.Domain;

/// <summary>
/// One version of the routing policy. Versions are never edited: saving a change makes a new one,
/// and restoring an old one makes a new version with its contents.
/// </summary>
public sealed class RoutingPolicy
{
    public int Version { get; private set; }
    public RoutingStrategy Strategy { get; private set; }
    /// <summary>Per-product weights, priorities and caps of this version, as JSON.</summary>
    public string ProductSettingsJson { get; private set; } = "[]";
    public string Comment { get; private set; } = "";
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public bool IsActive { get; private set; }

    private RoutingPolicy() { }

    public RoutingPolicy(int version, RoutingStrategy strategy, string productSettingsJson, string comment, string createdBy, DateTimeOffset createdAt)
    {
        if (version < 1) throw new DomainException("Policy versions start at 1.");
        Version = version;
        Strategy = strategy;
        ProductSettingsJson = productSettingsJson;
        Comment = comment;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        IsActive = true;
    }

    public void Retire() => IsActive = false;
}
