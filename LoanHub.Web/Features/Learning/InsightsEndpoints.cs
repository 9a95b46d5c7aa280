using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;

namespace LoanHub.Web.Features.Learning;

/// <summary>The body of <c>GET /routing/insights.json</c>; the names are a contract with analysts.</summary>
public sealed record InsightsDocument(DateTimeOffset AsOf, IReadOnlyList<InsightsProduct> Products);

/// <summary>One product × tier: the counts, and the learned (shrunk) estimates as fractions (0.42 = 42 %).</summary>
public sealed record InsightsProduct(
    string Lender,
    string Product,
    string Tier,
    int Leads,
    int Accepted,
    int Approved,
    int Funded,
    double AcceptanceRate,
    double ApprovalRate,
    double FundingRatio,
    double MedianHoursToApproval);

public static class InsightsEndpoints
{
    public const string Path = "/routing/insights.json";

    public static IEndpointRouteBuilder MapInsightsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, GetAsync)
            // Signed-in users only; the routing-read policy is checked in the handler so a signed-in user without the role
            // gets a plain 403 rather than a redirect meant for pages.
            .RequireAuthorization()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, IAuthorizationService authorization, InsightsService insights, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(http.User, Policies.RoutingRead)).Succeeded)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Routing insights are for admins, operations managers and analysts.");
        var loaded = await insights.LoadAsync(cancellationToken);
        return Results.Json(new InsightsDocument(loaded.AsOf, [.. loaded.Rows.Select(r => new InsightsProduct(
            r.LenderCode, r.ProductCode, r.Tier.ToString(),
            r.Rates.Counts.Offered, r.Rates.Counts.Accepted, r.Rates.Counts.Approved, r.Rates.Counts.Funded,
            Round(r.Rates.Acceptance.Value), Round(r.Rates.Approval.Value), Round(r.Rates.FundingRatio.Value),
            Math.Round(r.Rates.HoursToApproval.Value, 2)))]), System.Text.Json.JsonSerializerOptions.Web);
    }

    private static double Round(double rate) => Math.Round(rate, 4);
}
