using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Intake;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Outcomes;

/// <summary>
/// Finds the lender behind an <c>X-Api-Key</c>. A paused lender (by an operator, or automatically for a failing
/// endpoint) still reports outcomes of and fetches the leads it already has: pausing stops new leads only.
/// </summary>
internal static class LenderKeys
{
    public static async Task<LenderId?> FindAsync(HttpContext http, IDbContextFactory<LoanHubDbContext> contexts, CancellationToken cancellationToken)
    {
        var key = http.Request.Headers[IntakeApi.ApiKeyHeader].ToString();
        if (key.Length == 0) return null;
        var hash = ApiKeys.Hash(key);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Lenders.AsNoTracking().Where(l => l.ApiKeyHash == hash).Select(l => (LenderId?)l.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public static IResult Unauthorized() => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
        detail: $"A valid lender API key is required in the {IntakeApi.ApiKeyHeader} header.");
}
