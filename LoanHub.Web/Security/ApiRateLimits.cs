using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using LoanHub.Web.Features.Intake;

namespace LoanHub.Web.Security;

/// <summary>
/// Admits calls to the partner APIs: each partner (source or lender) whose key is valid has a bucket of its own,
/// <c>LoanHub:Intake:PermitsPerSecondPerSource</c> requests a second; everything else — no key, a made-up or
/// revoked key — shares the bucket of its address, <c>LoanHub:Intake:PermitsPerSecondPerAddress</c>, and is
/// charged there before any look-up. Which bucket a key belongs to is known without a look-up: every valid key's
/// hash is read once at the first call, and a new key is added when it first proves valid, so made-up keys never
/// get a bucket nor an entry anywhere.
/// </summary>
public sealed class ApiRateLimits : IDisposable
{
    public const string PartnerPermitsSetting = "LoanHub:Intake:PermitsPerSecondPerSource";
    public const string AddressPermitsSetting = "LoanHub:Intake:PermitsPerSecondPerAddress";

    private readonly int partnerPermits;
    private readonly int addressPermits;
    private readonly PartitionedRateLimiter<string> partners;
    private readonly PartitionedRateLimiter<string> addresses;
    // (owner, key hash) → bucket, for keys that were valid when read or when they last proved so.
    private readonly ConcurrentDictionary<(string Owner, string Hash), string> buckets = new();
    private readonly ConcurrentDictionary<string, Lazy<Task>> loads = new();

    public ApiRateLimits(IConfiguration configuration)
    {
        partnerPermits = Math.Max(1, configuration.GetValue(PartnerPermitsSetting, 1000));
        addressPermits = Math.Max(1, configuration.GetValue(AddressPermitsSetting, 20));
        partners = PerSecond(partnerPermits);
        addresses = PerSecond(addressPermits);
    }

    /// <summary>
    /// Authenticates the call's <c>X-Api-Key</c> against <paramref name="owners"/> and charges its bucket: the
    /// handler runs with <see cref="ApiCaller{TId}"/> set, or the answer is a 401 or 429 problem.
    /// </summary>
    public async ValueTask<object?> AdmitAsync<TId>(EndpointFilterInvocationContext context, EndpointFilterDelegate next, IApiKeyOwners<TId> owners)
        where TId : struct
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[IntakeApi.ApiKeyHeader].ToString();
        var entry = (owners.Owner, Hash: key.Length > 0 ? ApiKeys.Hash(key) : "");
        await LoadedAsync(owners, http.RequestAborted);

        var known = buckets.GetValueOrDefault(entry);
        using (var lease = known is not null ? partners.AttemptAcquire(known) : addresses.AttemptAcquire(AddressOf(http)))
        {
            if (!lease.IsAcquired) return TooMany(http, lease, known is not null ? $"This {owners.Owner} is" : "Calls without a valid key from one address are",
                known is not null ? partnerPermits : addressPermits);
        }

        var owner = key.Length > 0 ? await owners.FindAsync(key, http.RequestAborted) : null;
        if (owner is not { } id)
        {
            if (known is not null) buckets.TryRemove(entry, out _);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: $"A valid {owners.Owner} API key is required in the {IntakeApi.ApiKeyHeader} header.");
        }

        var bucket = BucketOf(owners.Owner, id);
        if (known != bucket)
        {
            buckets[entry] = bucket;
            // A key's first calls were charged to the address; its partner's bucket counts them too.
            using var lease = partners.AttemptAcquire(bucket);
            if (!lease.IsAcquired) return TooMany(http, lease, $"This {owners.Owner} is", partnerPermits);
        }
        http.Features.Set(new ApiCaller<TId>(id));
        return await next(context);
    }

    /// <summary>How many keys the limiter knows a bucket for: only keys that were valid.</summary>
    internal int KnownKeys => buckets.Count;

    public void Dispose()
    {
        partners.Dispose();
        addresses.Dispose();
    }

    private async Task LoadedAsync<TId>(IApiKeyOwners<TId> owners, CancellationToken cancellationToken) where TId : struct
    {
        var load = loads.GetOrAdd(owners.Owner, _ => new Lazy<Task>(async () =>
        {
            foreach (var (hash, id) in await owners.AllAsync(CancellationToken.None))
                buckets.TryAdd((owners.Owner, hash), BucketOf(owners.Owner, id));
        }));
        try
        {
            await load.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (load.Value.IsFaulted)
        {
            loads.TryRemove(owners.Owner, out _); // the store was not reachable: the next call reads again
            throw;
        }
    }

    private static string BucketOf<TId>(string owner, TId id) where TId : struct => $"{owner}:{id}";

    /// <summary>The caller's address; an IPv6 caller by its /64, which one subscriber usually holds whole.</summary>
    internal static string AddressOf(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "address:unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }
        return $"address:{address}";
    }

    private static PartitionedRateLimiter<string> PerSecond(int permits) =>
        PartitionedRateLimiter.Create<string, string>(bucket => RateLimitPartition.GetTokenBucketLimiter(bucket, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = permits,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private static IResult TooMany(HttpContext http, RateLimitLease lease, string who, int permits)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"{who} limited to {permits} requests per second; retry after {retryAfter} s.");
    }
}

public static class ApiRateLimitExtensions
{
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<ApiRateLimits>();
        // The framework's limiter stays in the pipeline (UseRateLimiter) for policies of the console's own.
        services.AddRateLimiter(_ => { });
        return services;
    }

    /// <summary>The endpoints take calls with a key of <paramref name="owners"/>, admitted by <see cref="ApiRateLimits"/>.</summary>
    public static TBuilder RequireApiKey<TBuilder, TId>(this TBuilder builder, Func<IServiceProvider, IApiKeyOwners<TId>> owners)
        where TBuilder : IEndpointConventionBuilder where TId : struct =>
        builder.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<ApiRateLimits>()
            .AdmitAsync(context, next, owners(context.HttpContext.RequestServices)));
}
