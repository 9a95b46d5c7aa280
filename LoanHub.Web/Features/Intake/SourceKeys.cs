using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace LoanHub.Web.Features.Intake;

/// <summary>
/// Which active source an intake API key belongs to. Checked on every request, so answers are cached briefly and
/// the hot path opens no store connection; <see cref="Forget"/> (called on every catalog change) drops them all at
/// once, so a paused source or a rotated key is refused from the next request on.
/// </summary>
public sealed class SourceKeys(IDbContextFactory<LoanHubDbContext> contexts, IMemoryCache cache)
{
    internal static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(10);
    private long generation;

    public async Task<SourceId?> FindAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(apiKey)) return null;
        var entry = ("source", Interlocked.Read(ref generation), ApiKeys.Hash(apiKey));
        if (cache.TryGetValue(entry, out SourceId? cached)) return cached;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hash = entry.Item3;
        var source = await db.Sources.AsNoTracking().Where(s => s.ApiKeyHash == hash && s.IsActive)
            .Select(s => (SourceId?)s.Id).FirstOrDefaultAsync(cancellationToken);
        cache.Set(entry, source, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = CacheTime, Size = 1 });
        return source;
    }

    /// <summary>Sources changed: answers cached before now are not used again (they expire on their own).</summary>
    public void Forget() => Interlocked.Increment(ref generation);
}
