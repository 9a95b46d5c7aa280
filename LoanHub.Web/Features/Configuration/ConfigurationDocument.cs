using System.Text.Json;
using System.Text.Json.Serialization;
using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Configuration;

/// <summary>
/// The configuration-as-code file: sources, lenders with their products, and the routing strategy.
/// Its shape is a contract with automation outside the project; change it only compatibly.
/// </summary>
public sealed record ConfigurationDocument
{
    public List<SourceDocument> Sources { get; init; } = [];
    public List<LenderDocument> Lenders { get; init; } = [];
    public RoutingDocument? Routing { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ConfigurationDocument Parse(string json)
    {
        try
        {
            return ConfigurationRules.Checked(JsonSerializer.Deserialize<ConfigurationDocument>(json, JsonOptions)
                   ?? throw new ConfigurationException("The configuration file is empty."));
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"The configuration file is not valid JSON: {e.Message}");
        }
    }
}

/// <summary>
/// A traffic source. <c>apiKey</c> is needed to create it; for an existing source it is applied only with
/// <c>replaceApiKey: true</c>, so a key rotated in the console (after a leak, say) is not undone by the next start.
/// </summary>
public sealed record SourceDocument(string Code, string Name, string? ApiKey, bool? ReplaceApiKey = null);

/// <summary>A lender with its products; <c>apiKey</c> and <c>replaceApiKey</c> as for a <see cref="SourceDocument"/>.</summary>
public sealed record LenderDocument(string Code, string Name, string? ApiKey, List<ProductDocument>? Products, bool? Active = null,
    DeliveryDocument? Delivery = null, bool? ReplaceApiKey = null);

/// <summary>
/// A push lender's endpoints (the lender API contract). Without this block an existing lender's delivery is left as
/// it is and a new lender is a pull lender. <c>secret</c> is needed the first time; later it is applied only to a
/// lender that has none, or with <c>replaceSecret: true</c>, so a secret rotated in the console is not undone by the
/// next start.
/// </summary>
public sealed record DeliveryDocument(string? PrecheckUrl, string? PostUrl, string? Secret, int? TimeoutMs, bool? ReplaceSecret = null);

public sealed record ProductDocument(
    string Code,
    string Name,
    ProductType Type,
    decimal MinAmount,
    decimal MaxAmount,
    int MinTermMonths,
    int MaxTermMonths,
    int MinAge,
    int MaxAge,
    int MinScore,
    decimal MinMonthlyIncome,
    List<string>? Provinces,
    List<Employment>? Employment,
    RiskTier MaxTier,
    int? DailyCap,
    decimal? MonthlyBudget,
    int Weight,
    int Priority,
    CommissionDocument Commission,
    bool? Active = null,
    List<LoanPurpose>? Purposes = null,
    AprDocument? Apr = null);

/// <summary><c>{ "min": 0.08, "max": 0.24 }</c>: the annual rate range a product lends at (see <see cref="AprRange"/>).</summary>
public sealed record AprDocument(decimal Min, decimal Max)
{
    public AprRange ToRange() => AprRange.Create(Min, Max);

    public static AprDocument? Of(AprRange? range) => range is null ? null : new(range.Min, range.Max);
}

/// <summary><c>{ "model": "CPL", "amount": 30 }</c>, <c>{ "model": "CPS", "rate": 0.02 }</c> or <c>{ "model": "Bid", "minPrice": 10 }</c>.</summary>
public sealed record CommissionDocument(CommissionModel Model, decimal? Amount, decimal? Rate, decimal? MinPrice = null)
{
    public CommissionContract ToContract() => CommissionContract.Create(Model, Model == CommissionModel.Bid ? MinPrice ?? Amount ?? 0m : Amount ?? 0m, Rate ?? 0m);

    public static CommissionDocument Of(CommissionContract contract) => contract.Model switch
    {
        CommissionModel.CPS => new(contract.Model, Amount: null, contract.Rate),
        CommissionModel.Bid => new(contract.Model, Amount: null, Rate: null, contract.MinPrice),
        _ => new(contract.Model, contract.Amount, Rate: null),
    };
}

public sealed record RoutingDocument(RoutingStrategy Strategy);

/// <summary>The file cannot be applied; the message names the entry and what is wrong with it.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
