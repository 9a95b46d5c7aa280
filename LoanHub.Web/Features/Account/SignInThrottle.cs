using Microsoft.AspNetCore.Antiforgery;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LoanHub.Web.Features.Account;

/// <summary>
/// Limits sign-in attempts (the password step and the authenticator step) per client address and per account, so
/// neither one address trying many accounts nor many addresses trying one account gets far (OWASP ASVS 4.0 2.2.1).
/// Over either limit the attempt is answered 429 with <c>Retry-After</c> before a password is checked. Lockout after
/// five failures stays the backstop for one account.
/// </summary>
internal sealed class SignInThrottle : IMiddleware, IDisposable
{
    public const string LoginPath = "/Account/Login";
    public const string SecondStepPath = "/Account/LoginWith2fa";

    private readonly PartitionedRateLimiter<string> perAddress;
    private readonly PartitionedRateLimiter<string> perAccount;
    private readonly ILogger<SignInThrottle> logger;

    public SignInThrottle(IOptions<AccountSecurityOptions> options, ILogger<SignInThrottle> logger)
    {
        perAddress = PerMinute(options.Value.SignInAttemptsPerMinutePerAddress);
        perAccount = PerMinute(options.Value.SignInAttemptsPerMinutePerAccount);
        this.logger = logger;
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        var isLogin = path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase);
        if (!HttpMethods.IsPost(context.Request.Method) || !(isLogin || path.Equals(SecondStepPath, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var account = isLogin ? await EmailAsync(context) : await SecondStepUserAsync(context);
        using var byAddress = perAddress.AttemptAcquire(address);
        using var byAccount = byAddress.IsAcquired ? perAccount.AttemptAcquire(account) : null;
        var refused = !byAddress.IsAcquired ? byAddress : byAccount is { IsAcquired: false } ? byAccount : null;
        if (refused is null)
        {
            await next(context);
            return;
        }

        var wait = refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        logger.LogWarning("Sign-in attempt from {Address} for {Account} refused: over the limit of attempts per {Limit}.",
            address, account, refused == byAddress ? "address" : "account");
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"Too many sign-in attempts. Try again in {seconds} seconds.");
    }

    private static async Task<string> EmailAsync(HttpContext context)
    {
        // A post whose antiforgery token failed is refused further on (400); reading its form here would throw instead.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } || !context.Request.HasFormContentType) return "";
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return "email:" + form["Input.Email"].ToString().Trim().ToUpperInvariant();
    }

    // The second step knows its user from the cookie the password step left.
    private static async Task<string> SecondStepUserAsync(HttpContext context)
    {
        var pending = await context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        return "user:" + pending.Principal?.FindFirstValue(ClaimTypes.Name);
    }

    private static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        perAddress.Dispose();
        perAccount.Dispose();
    }
}
