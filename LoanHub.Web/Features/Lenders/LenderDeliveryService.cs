using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Configuration;
using LoanHub.Web.Features.Delivery;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Lenders;

/// <summary>
/// Where push lenders receive their leads, for the console: the settings, their signing secret (generated here,
/// shown once, stored encrypted, never audited), a signed test pre-check, and the lender's delivery health from the
/// stored attempts. Reads need <see cref="Policies.LendersRead"/>; every change goes through <see cref="CatalogEditor"/>,
/// which checks <see cref="Policies.LendersEdit"/>, audits in the same transaction and has the engine reload.
/// </summary>
public sealed class LenderDeliveryService(
    IDbContextFactory<LoanHubDbContext> contexts,
    CatalogEditor editor,
    IAuthorizationService authorization,
    LenderClient client,
    DeliveryOptions options,
    TimeProvider clock)
{
    private const string Area = CatalogEditor.Area;
    private const int SecretBytes = 48; // 64 URL-safe characters

    /// <summary>The sample applicant of a test pre-check; only their hashes are sent, as for a real lead.</summary>
    public const string SamplePhone = "13800138000";
    public const string SampleNationalId = "11010519491231002X";

    public Task<bool> CanEditAsync(ClaimsPrincipal user) => editor.CanEditAsync(user);

    public TimeSpan HealthWindow => TimeSpan.FromMinutes(Math.Max(1, options.HealthWindowMinutes));

    public async Task<DeliverySettings?> GetAsync(ClaimsPrincipal user, string lenderCode, CancellationToken cancellationToken = default)
    {
        await EnsureCanReadAsync(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lender = await db.Lenders.AsNoTracking().SingleOrDefaultAsync(l => l.Code == lenderCode, cancellationToken);
        return lender is null
            ? null
            : new DeliverySettings(lender.Code, lender.Name, lender.Version, lender.Delivery?.PrecheckUrl, lender.Delivery?.PostUrl,
                lender.Delivery?.TimeoutMs ?? LenderDelivery.DefaultTimeoutMs, lender.DeliverySecret is not null, lender.IsActive, lender.AutoPausedReason);
    }

    /// <summary>
    /// Makes the lender a push lender at these URLs, or changes them, against the version the operator opened. Bad input
    /// comes back as field errors. A lender without a secret gets one, returned once in <see cref="DeliveryChange.NewSecret"/>.
    /// </summary>
    public async Task<DeliveryChange> SaveAsync(ClaimsPrincipal user, string lenderCode, string? precheckUrl, string? postUrl, int? timeoutMs,
        int expectedVersion, CancellationToken cancellationToken = default)
    {
        if (!await editor.CanEditAsync(user)) return DeliveryChange.Of(CatalogResult.Forbidden);
        var (delivery, errors) = Validate(precheckUrl, postUrl, timeoutMs);
        if (delivery is null) return DeliveryChange.Invalid(errors);

        string? newSecret = null;
        var result = await editor.EditAsync(user, async (db, audit) =>
        {
            if (await FindAsync(db, lenderCode, cancellationToken) is not { } lender) return CatalogResult.NotFound("lender");
            if (lender.Version != expectedVersion) return CatalogResult.Conflict;
            // Also guards the moment between this read and the save: the UPDATE matches only the version the operator saw.
            db.Entry(lender).Property(l => l.Version).OriginalValue = expectedVersion;
            var secret = lender.DeliverySecret is null ? NewSecret() : null;
            if (secret is null && lender.Delivery == delivery) return CatalogResult.Ok();
            var before = DeliveryAuditView.Of(lender.Delivery);
            lender.ConfigureDelivery(delivery, secret);
            audit.Record(Area, "Lender delivery set", nameof(Lender), lender.Code, before,
                DeliveryAuditView.Of(lender.Delivery) with { SecretSet = secret is not null });
            newSecret = secret;
            return CatalogResult.Ok();
        }, cancellationToken);
        return DeliveryChange.Of(result, newSecret);
    }

    /// <summary>A new signing secret, returned once; the old one stops working at once.</summary>
    public async Task<DeliveryChange> RotateSecretAsync(ClaimsPrincipal user, string lenderCode, CancellationToken cancellationToken = default)
    {
        string? newSecret = null;
        var result = await editor.EditAsync(user, async (db, audit) =>
        {
            if (await FindAsync(db, lenderCode, cancellationToken) is not { } lender) return CatalogResult.NotFound("lender");
            if (lender.Delivery is not { } delivery) return CatalogResult.Invalid($"{lender.Code} is a pull lender: set its delivery URLs first.");
            newSecret = NewSecret();
            lender.ConfigureDelivery(delivery, newSecret);
            // The audit names the change, never the secret.
            audit.Record(Area, "Lender delivery secret rotated", nameof(Lender), lender.Code);
            return CatalogResult.Ok();
        }, cancellationToken);
        return DeliveryChange.Of(result, newSecret);
    }

    /// <summary>Back to a pull lender: its secret is forgotten and it fetches its leads.</summary>
    public async Task<DeliveryChange> RemoveAsync(ClaimsPrincipal user, string lenderCode, CancellationToken cancellationToken = default)
    {
        var result = await editor.EditAsync(user, async (db, audit) =>
        {
            if (await FindAsync(db, lenderCode, cancellationToken) is not { } lender) return CatalogResult.NotFound("lender");
            if (!lender.IsPush) return CatalogResult.Ok();
            var before = DeliveryAuditView.Of(lender.Delivery);
            lender.RemoveDelivery();
            audit.Record(Area, "Lender delivery removed", nameof(Lender), lender.Code, before, DeliveryAuditView.Of(null));
            return CatalogResult.Ok();
        }, cancellationToken);
        return DeliveryChange.Of(result);
    }

    /// <summary>
    /// Sends a signed sample pre-check to the lender's saved pre-check URL with its secret and timeout, and reports the
    /// answer. It is not a delivery: no attempt is stored and health does not count it. The sending is audited.
    /// </summary>
    public async Task<TestPrecheckResult> SendTestPrecheckAsync(ClaimsPrincipal user, string lenderCode, CancellationToken cancellationToken = default)
    {
        if (!await editor.CanEditAsync(user)) return TestPrecheckResult.NotSent(CatalogResult.Forbidden.Message!);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lender = await db.Lenders.AsNoTracking().Include(l => l.Products).SingleOrDefaultAsync(l => l.Code == lenderCode, cancellationToken);
        if (lender is null) return TestPrecheckResult.NotSent(CatalogResult.NotFound("lender").Message!);
        if (lender.Delivery is not { } delivery || lender.DeliverySecret is not { } secret)
            return TestPrecheckResult.NotSent($"{lender.Code} is a pull lender: there is no URL to send a pre-check to.");
        if (delivery.PrecheckUrl is not { } url)
            return TestPrecheckResult.NotSent($"{lender.Code} has no pre-check URL: its leads are posted without one.");

        var productCode = lender.Products.OrderBy(p => p.Limits.Priority).ThenBy(p => p.Code, StringComparer.Ordinal).FirstOrDefault()?.Code ?? "TEST";
        var deliveryId = $"test-{Guid.NewGuid()}";
        var request = new PrecheckRequest(deliveryId, productCode, LeadPayloads.PhoneMd5(SamplePhone), LeadPayloads.NationalIdSha256(SampleNationalId),
            "31", 10_000m, 12, "B", 620);
        var answer = await client.SendAsync(new LenderCall(new Uri(url), secret, DeliveryStage.Precheck, deliveryId, TimeSpan.FromMilliseconds(delivery.TimeoutMs)),
            request, cancellationToken);

        var audit = new AuditTrail(db, CatalogEditor.Actor(user), clock.GetUtcNow());
        audit.Record(Area, "Test pre-check sent", nameof(Lender), lender.Code,
            after: new { Url = url, DeliveryId = deliveryId, Answer = answer.Kind.ToString(), answer.HttpStatus, answer.LatencyMs, answer.Price, answer.Reason });
        await db.SaveChangesAsync(CancellationToken.None);
        return new TestPrecheckResult(null, url, answer);
    }

    /// <summary>
    /// Delivery health over the last <see cref="DeliveryOptions.HealthWindowMinutes"/> of one lender, or of every push
    /// (or automatically paused) lender when <paramref name="lenderCode"/> is null: the attempts that ended in the
    /// window, counted by <see cref="LenderHealth.Of"/>, and their latency per minute.
    /// </summary>
    public async Task<IReadOnlyList<LenderHealthView>> HealthAsync(ClaimsPrincipal user, string? lenderCode = null, CancellationToken cancellationToken = default)
    {
        await EnsureCanReadAsync(user);
        var now = clock.GetUtcNow();
        var window = HealthWindow;
        var since = now - window;
        // Attempts are read by (LenderId, CreatedAt) and counted by when they ended. An attempt ends within the delivery
        // deadline unless it was resumed after a restart, so looking one window further back than the window finds them all.
        var createdSince = since - window;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lenders = await db.Lenders.AsNoTracking()
            .Where(l => lenderCode == null ? l.Delivery != null || l.AutoPausedReason != null : l.Code == lenderCode)
            .OrderBy(l => l.Code)
            .ToListAsync(cancellationToken);
        var ids = lenders.Select(l => l.Id).ToList();
        var attempts = await db.DeliveryAttempts.AsNoTracking()
            .Where(a => ids.Contains(a.LenderId) && a.CreatedAt > createdSince && a.CompletedAt != null && a.CompletedAt > since && a.CompletedAt <= now)
            .ToListAsync(cancellationToken);
        var samples = attempts.ToLookup(a => a.LenderId, AttemptSample.Of);

        return [.. lenders.Select(l =>
        {
            var mine = samples[l.Id].ToList();
            return new LenderHealthView(l.Code, l.Name, l.IsPush, l.IsActive, l.AutoPausedReason, window,
                LenderHealth.Of(mine, now, window), LatencyPerMinute(mine, now, window));
        })];
    }

    /// <summary>One point per minute of the window, oldest first; each minute's percentiles by the same rule as the whole window's.</summary>
    internal static IReadOnlyList<LatencyMinute> LatencyPerMinute(IReadOnlyList<AttemptSample> samples, DateTimeOffset now, TimeSpan window)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(window.TotalMinutes));
        var minute = TimeSpan.FromMinutes(1);
        return [.. Enumerable.Range(0, minutes).Select(i =>
        {
            var endsAt = now - (minutes - 1 - i) * minute;
            var health = LenderHealth.Of(samples, endsAt, minute);
            return new LatencyMinute(endsAt, health.Attempts, health.P50LatencyMs, health.P95LatencyMs);
        })];
    }

    /// <summary>Every field's problem at once, by the rules <see cref="LenderDelivery.Create"/> applies; the delivery when there is none.</summary>
    internal (LenderDelivery? Delivery, IReadOnlyDictionary<string, string> Errors) Validate(string? precheckUrl, string? postUrl, int? timeoutMs)
    {
        var errors = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(precheckUrl) && EndpointRules.Problem(precheckUrl, options.AllowPrivateEndpoints) is { } precheckProblem)
            errors[DeliveryFields.PrecheckUrl] = Sentence(DeliveryFields.PrecheckUrl, precheckProblem);
        if (EndpointRules.Problem(postUrl, options.AllowPrivateEndpoints) is { } postProblem)
            errors[DeliveryFields.PostUrl] = Sentence(DeliveryFields.PostUrl, postProblem);
        try
        {
            var delivery = LenderDelivery.Create(precheckUrl, postUrl, timeoutMs, options.AllowPrivateEndpoints);
            return errors.Count == 0 ? (delivery, errors) : (null, errors);
        }
        catch (DomainException e)
        {
            // "postUrl: must use https …": the part before the colon names the field.
            var colon = e.Message.IndexOf(": ", StringComparison.Ordinal);
            var field = colon > 0 ? e.Message[..colon] : DeliveryFields.PostUrl;
            errors.TryAdd(field, colon > 0 ? Sentence(field, e.Message[(colon + 2)..]) : e.Message);
            return (null, errors);
        }
    }

    private static string Sentence(string field, string problem) => $"{DeliveryFields.LabelOf(field)} {problem.Trim().TrimEnd('.')}.";

    private static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    private static Task<Lender?> FindAsync(LoanHubDbContext db, string lenderCode, CancellationToken cancellationToken) =>
        db.Lenders.SingleOrDefaultAsync(l => l.Code == lenderCode, cancellationToken);

    private async Task EnsureCanReadAsync(ClaimsPrincipal user)
    {
        if (!(await authorization.AuthorizeAsync(user, Policies.LendersRead)).Succeeded)
            throw new UnauthorizedAccessException("You are not allowed to see lenders.");
    }
}
