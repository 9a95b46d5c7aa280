using System.Text.Json.Serialization;
using LoanHub.Core.Domain;

namespace LoanHub.Core.Engine;

/// <summary>
/// A lender product as the engine sees it at decision time: immutable, so the host can swap in a new
/// set when an operator saves a change without locking readers.
/// </summary>
public sealed record ProductSnapshot(
    ProductId ProductId,
    LenderId LenderId,
    string LenderCode,
    string ProductCode,
    string LenderName,
    string ProductName,
    EligibilityCriteria Criteria,
    ProductLimits Limits,
    CommissionContract Commission,
    bool ProductActive,
    bool LenderActive)
{
    public static ProductSnapshot Of(Lender lender, LenderProduct product) => new(
        product.Id, lender.Id, lender.Code, product.Code, lender.Name, product.Name,
        product.Criteria, product.Limits, product.Commission, product.IsActive, lender.IsActive)
    {
        Delivery = lender.Delivery switch
        {
            null => DeliveryMode.Pull,
            { PrecheckUrl: null } => DeliveryMode.Post,
            _ => DeliveryMode.PrecheckAndPost,
        },
    };

    /// <summary>How its lender receives a lead; catalog versions kept before it was recorded read as <see cref="DeliveryMode.Pull"/>.</summary>
    public DeliveryMode Delivery { get; init; }

    /// <summary><c>LENDER/PRODUCT</c>, how operators name a product in one word.</summary>
    [JsonIgnore]
    public string Label => $"{LenderCode}/{ProductCode}";
}

/// <summary>How a lender receives its leads: it fetches them (and takes every lead it is given), or they are posted, with or without a pre-check first.</summary>
public enum DeliveryMode
{
    Pull,
    Post,
    PrecheckAndPost,
}

/// <summary>What a product has used of its limits so far: leads on the current China business day, and commission committed this month.</summary>
public sealed record ProductUsage(int LeadsToday, decimal CommissionCommittedThisMonth)
{
    public static ProductUsage None { get; } = new(0, 0m);
}

/// <summary>A product with its usage, as the host hands them to the engine.</summary>
public sealed record ProductOffer(ProductSnapshot Product, ProductUsage Usage)
{
    /// <summary>The snapshot of learned rates the product's expected commission is forecast from; the priors unless the host says.</summary>
    public LearnedRates Rates { get; init; } = LearnedRates.None;
}
