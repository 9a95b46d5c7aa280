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
    public void Resume() => IsActive = true;

    public LenderProduct AddProduct(string code, string name, ProductType type, EligibilityCriteria criteria,
        ProductLimits limits, CommissionContract commission)
    {
        if (_products.Any(p => string.Equals(p.Code, code.Trim(), StringComparison.OrdinalIgnoreCase)))
            throw new DomainException($"Lender {Code} already has a product {code}.");
        var product = new LenderProduct(Id, code, name, type, criteria, limits, commission);
        _products.Add(product);
        return product;
    }
}
