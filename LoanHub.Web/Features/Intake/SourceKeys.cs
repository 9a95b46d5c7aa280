using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace LoanHub.Web.Features.Intake;

/// <summary>
/// Which active source an intake API key belongs to. Checked on every request, so a key that proved valid is
/// cached briefly and the hot path opens no store connection; <see cref="Forget"/> (called on every catalog change)
/// drops them all at once, so a paused source or a rotated key is refused from the next request on. A key that
/// opens nothing is never cached: made-up keys cannot fill the cache, and the address's rate limit, charged before
/// the look-up, bounds what they cost (<see cref="ApiRateLimits"/>).
/// </summary>
public sealed class SourceKeys(IDbContextFactory<LoanHubDbContext> contexts, IMemoryCache cache) : IApiKeyOwners<SourceId>
{
    internal static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(10);
    private long generation;

    public string Owner => "source";

    public async Task<SourceId?> FindAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(apiKey)) return null;
        var entry = ("source", Interlocked.Read(ref generation), ApiKeys.Hash(apiKey));
        if (cache.TryGetValue(entry, out SourceId cached)) return cached;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hash = entry.Item3;
        var source = await db.Sources.AsNoTracking().Where(s => s.ApiKeyHash == hash && s.IsActive)
            .Select(s => (SourceId?)s.Id).FirstOrDefaultAsync(cancellationToken);
        if (source is { } found) cache.Set(entry, found, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheTime, Size = 1 });
        return source;
    }

    public async Task<IReadOnlyList<KeyValuePair<string, SourceId>>> AllAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().Where(s => s.IsActive).Select(s => new { s.ApiKeyHash, s.Id }).ToListAsync(cancellationToken);
        return [.. sources.Select(s => KeyValuePair.Create(s.ApiKeyHash, s.Id))];
    }

    /// <summary>Sources changed: answers cached before now are not used again (they expire on their own).</summary>
    public void Forget() => Interlocked.Increment(ref generation);
}

public static class SourceKeyEndpoints
{
    /// <summary>Only calls with an active source's key reach these endpoints (<see cref="ApiCaller{TId}"/> of <see cref="SourceId"/>).</summary>
    public static TBuilder RequireSourceKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireApiKey(services => services.GetRequiredService<SourceKeys>());
}
