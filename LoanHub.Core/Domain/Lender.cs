using LoanHub.Core.Delivery;

namespace LoanHub.Core.Domain;

/// <summary>A lender buys leads through one or more <see cref="LenderProduct"/>s.</summary>
public sealed class Lender : IPartner
{
    public static string Kind => "Lender";

    private readonly List<LenderProduct> _products = [];

    public LenderId Id { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>Keyed hash of the postback API key; the key itself is never stored.</summary>
    public string ApiKeyHash { get; private set; } = "";
    public bool IsActive { get; private set; } = true;
    /// <summary>Why the system paused this lender (its endpoint failing), until an operator resumes it.</summary>
    public string? AutoPausedReason { get; private set; }
    /// <summary>Where the lender receives its leads; null for a pull lender, which fetches them.</summary>
    public LenderDelivery? Delivery { get; private set; }
    /// <summary>The shared secret that signs every call to the lender; encrypted by the store, never shown again.</summary>
    public string? DeliverySecret { get; private set; }
    public int Version { get; private set; }
    public IReadOnlyList<LenderProduct> Products => _products;

    private Lender() { }

    public Lender(string code, string name, string apiKeyHash)
    {
        Id = LenderId.New();
        Code = Codes.Checked(code, "lender code");
        Rename(name);
        ApiKeyHash = apiKeyHash;
    }

    public void Rename(string name) => Name = Codes.CheckedName(name, "lender name");
    public void SetApiKeyHash(string apiKeyHash) => ApiKeyHash = apiKeyHash;
    public void Pause() => IsActive = false;

    public void Resume()
    {
        IsActive = true;
        AutoPausedReason = null;
    }

    /// <summary>The system pauses a lender whose endpoint keeps failing; an operator resumes it.</summary>
    public void PauseAutomatically(string reason)
    {
        IsActive = false;
        AutoPausedReason = string.IsNullOrWhiteSpace(reason) ? "Paused automatically." : reason.Trim();
    }

    public bool IsPush => Delivery is not null;

    /// <summary>
    /// Makes (or keeps) the lender a push lender at <paramref name="delivery"/>. A new secret replaces the old one;
    /// without one the current secret stays, and a lender that never had one cannot be pushed to.
    /// </summary>
    public void ConfigureDelivery(LenderDelivery delivery, string? newSecret)
    {
        if (newSecret is not null) DeliverySecret = LenderDelivery.CheckedSecret(newSecret);
        else if (DeliverySecret is null) throw new DomainException("A lender's delivery needs a signing secret.");
        Delivery = delivery;
    }

    /// <summary>Back to a pull lender: its leads count as delivered when allocated, and it fetches them.</summary>
    public void RemoveDelivery()
    {
        Delivery = null;
        DeliverySecret = null;
    }

    /// <summary>A new product, drained (<see cref="ProductLimits.Drained"/>) until a routing policy version gives it a weight.</summary>
    public LenderProduct AddProduct(string code, string name, ProductType type, EligibilityCriteria criteria, CommissionContract commission)
    {
        if (_products.Any(p => string.Equals(p.Code, code.Trim(), StringComparison.OrdinalIgnoreCase)))
            throw new DomainException($"Lender {Code} already has a product {code}.");
        var product = new LenderProduct(Id, code, name, type, criteria, commission);
        _products.Add(product);
        return product;
    }
}
