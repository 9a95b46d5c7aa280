using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Lenders;

/// <param name="PostHost">The host a push lender's leads are posted to; null for a pull lender, which fetches them.</param>
/// <param name="AutoPausedReason">Why the system paused the lender (its endpoint failing), until an operator resumes it.</param>
public sealed record LenderRow(LenderId Id, string Code, string Name, bool IsActive, int Version, IReadOnlyList<ProductRow> Products,
    string? PostHost = null, string? AutoPausedReason = null)
{
    public int LeadsToday => Products.Sum(p => p.LeadsToday);
    public bool IsPush => PostHost is not null;
}

/// <summary>A product as the list shows it, with the leads routed to it on the current business day.</summary>
public sealed record ProductRow(
    ProductId Id,
    LenderId LenderId,
    string Code,
    string Name,
    ProductType Type,
    EligibilityCriteria Criteria,
    ProductLimits Limits,
    CommissionContract Commission,
    bool IsActive,
    int Version,
    int LeadsToday,
    AprRange? Apr = null);

public enum CatalogStatus { Ok, Invalid, Conflict, NotFound, Forbidden }

/// <summary>
/// The outcome of a change to lenders or products, with the message to show and, once, a new API key. The message is
/// English; with <see cref="Arguments"/> it is a composite format ("A product with the code {0} already exists."), so
/// the console can show it in the reader's language (<see cref="LendersText.Said(Microsoft.Extensions.Localization.IStringLocalizer{LendersStrings}, CatalogResult)"/>).
/// </summary>
public sealed record CatalogResult(CatalogStatus Status, string? Message = null, string? ApiKey = null)
{
    public bool Succeeded => Status == CatalogStatus.Ok;

    /// <summary>The values of <see cref="Message"/>'s placeholders; empty when it has none.</summary>
    public IReadOnlyList<object> Arguments { get; init; } = [];

    public static CatalogResult Ok(string? apiKey = null) => new(CatalogStatus.Ok, ApiKey: apiKey);
    public static CatalogResult Invalid(string message, params object[] arguments) => new(CatalogStatus.Invalid, message) { Arguments = arguments };
    public static CatalogResult NotFound(string what) => new(CatalogStatus.NotFound, $"The {what} no longer exists; reload the page.");
    public static CatalogResult Forbidden { get; } = new(CatalogStatus.Forbidden, "You may view lenders and products but not change them.");
    public static CatalogResult Conflict { get; } = new(CatalogStatus.Conflict,
        "This was changed by someone else since you opened it — reload to see their version.");
}
