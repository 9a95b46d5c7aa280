using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Outcomes;

/// <summary>
/// Finds the lender behind an <c>X-Api-Key</c>, in the store on every call, so a rotated key is refused at once.
/// A paused lender (by an operator, or automatically for a failing endpoint) still reports outcomes of and fetches
/// the leads it already has: pausing stops new leads only.
/// </summary>
public sealed class LenderKeys(IDbContextFactory<LoanHubDbContext> contexts) : IApiKeyOwners<LenderId>
{
    public string Owner => "lender";

    public async Task<LenderId?> FindAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (apiKey.Length == 0) return null;
        var hash = ApiKeys.Hash(apiKey);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Lenders.AsNoTracking().Where(l => l.ApiKeyHash == hash).Select(l => (LenderId?)l.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<KeyValuePair<string, LenderId>>> AllAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking().Select(l => new { l.ApiKeyHash, l.Id }).ToListAsync(cancellationToken);
        return [.. lenders.Select(l => KeyValuePair.Create(l.ApiKeyHash, l.Id))];
    }
}

public static class LenderKeyEndpoints
{
    /// <summary>Only calls with a lender's key reach these endpoints (<see cref="ApiCaller{TId}"/> of <see cref="LenderId"/>).</summary>
    public static TBuilder RequireLenderKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireApiKey(services => services.GetRequiredService<LenderKeys>());
}
