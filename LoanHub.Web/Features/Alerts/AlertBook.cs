using System.Globalization;
using System.Security.Claims;
using LoanHub.Core.Delivery;
using LoanHub.Web.Data;
using LoanHub.Web.Features.Cluster;
using LoanHub.Web.Features.Delivery;
using LoanHub.Web.Localization;
using LoanHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LoanHub.Web.Features.Alerts;

/// <summary>
/// The alert centre: checks the rules against the store (<see cref="CheckAsync"/>: raises what is newly true, once per
/// episode, and clears what no longer is), tells each rule's group robot of what it raised, lists alerts, acknowledges
/// them (audited) and keeps the admins' rule settings (audited, robot addresses encrypted by the key ring). The store is
/// the only state: several instances check the same rules, and the unique open key lets one of them raise each alert.
/// </summary>
public sealed class AlertBook(
    IDbContextFactory<LoanHubDbContext> contexts,
    IDataProtectionProvider protection,
    RobotWebhook robots,
    IAuthorizationService authorization,
    IStringLocalizer<AlertsStrings> words,
    IStringLocalizer<ConsoleStrings> consoleWords,
    AlertOptions options,
    DeliveryOptions deliveryOptions,
    ClusterSignals signals,
    TimeProvider clock,
    ILogger<AlertBook> logger)
{
    public const string Area = "Alerts";
    public const string AcknowledgedAction = "Alert acknowledged";
    public const string RuleChangedAction = "Alert rule changed";
    /// <summary>How many ended alerts the list shows, newest first.</summary>
    public const int RecentShown = 100;

    private readonly IDataProtector protector = protection.CreateProtector("LoanHub.AlertRobots.v1");

    private TimeSpan HealthWindow => TimeSpan.FromMinutes(Math.Max(1, deliveryOptions.HealthWindowMinutes));

    /// <summary>Looks at every enabled rule now; returns the alerts this call raised (another instance may have raised the rest).</summary>
    public async Task<IReadOnlyList<Alert>> CheckAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await SettingsAsync(db, cancellationToken);
        var findings = (await AlertConditions.FindAsync(db, rules, now, HealthWindow, cancellationToken))
            .GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First());
        var open = await db.Alerts.Where(a => a.OpenKey != null).ToListAsync(cancellationToken);
        foreach (var alert in open)
        {
            if (findings.Remove(alert.OpenKey!, out var finding)) alert.Seen(finding, now);
            else alert.Clear(now);
        }
        var raised = findings.Values.Select(f => new Alert(f, now)).ToList();
        db.Alerts.AddRange(raised);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance raised or cleared one of these at the same moment: its view stands, and the next check
            // (a minute on) starts from it. Nothing of this check is kept, so no alert is raised twice.
            logger.LogDebug("Alerts were changed by another instance during this check; it is left to the next one.");
            return [];
        }
        if (raised.Count > 0 || open.Any(a => !a.IsOpen)) await signals.PublishAsync(ClusterSignal.Alerts, cancellationToken);
        return raised;
    }

    /// <summary>Sends each raised alert to its rule's robot, and records on the alert whether the group got it.</summary>
    public async Task NotifyAsync(IReadOnlyList<Alert> raised, CancellationToken cancellationToken = default)
    {
        if (raised.Count == 0) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await db.AlertRules.AsNoTracking().Where(r => r.Channel != AlertChannel.None && r.WebhookCipher != null)
            .ToDictionaryAsync(r => r.Kind, cancellationToken);
        foreach (var alert in raised)
        {
            if (!rules.TryGetValue(alert.Kind, out var rule)) continue;
            var result = await robots.SendAsync(rule.Channel, protector.Unprotect(rule.WebhookCipher!),
                rule.SecretCipher is null ? null : protector.Unprotect(rule.SecretCipher), RobotText(alert), cancellationToken);
            db.Alerts.Attach(alert);
            alert.Notified(clock.GetUtcNow(), result.Error);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<AlertList> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await RequireAsync(user, Policies.Alerts);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var open = await db.Alerts.AsNoTracking().Where(a => a.OpenKey != null).ToListAsync(cancellationToken);
        var recent = await db.Alerts.AsNoTracking().Where(a => a.OpenKey == null).OrderByDescending(a => a.RaisedAt).Take(RecentShown).ToListAsync(cancellationToken);
        return new AlertList(open.Count(a => a.AcknowledgedAt is null),
            [.. open.OrderBy(a => a.AcknowledgedAt is not null).ThenByDescending(a => a.RaisedAt)], recent, clock.GetUtcNow());
    }

    /// <summary>How many open alerts nobody has acknowledged: the app bar's count.</summary>
    public async Task<int> UnacknowledgedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Alerts.CountAsync(a => a.OpenKey != null && a.AcknowledgedAt == null, cancellationToken);
    }

    public async Task<AlertResult> AcknowledgeAsync(ClaimsPrincipal user, Guid alertId, CancellationToken cancellationToken = default)
    {
        var name = await RequireAsync(user, Policies.Alerts);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken);
        if (alert is null) return new AlertResult("The alert no longer exists.");
        if (alert.AcknowledgedBy is { } by) return new AlertResult("{0} acknowledged this alert already.", by);
        var now = clock.GetUtcNow();
        alert.Acknowledge(name, now);
        new AuditTrail(db, name, now).Record(Area, AcknowledgedAction, nameof(Alert), alert.Id.ToString(), null,
            new { alert.Kind, alert.Subject, alert.Figure, alert.Limit, alert.RaisedAt, Open = alert.IsOpen });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new AlertResult("The alert no longer exists.");
        }
        await signals.PublishAsync(ClusterSignal.Alerts, cancellationToken);
        return AlertResult.Ok;
    }

    public async Task<IReadOnlyList<AlertRuleSetting>> RulesAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await RequireAsync(user, Policies.AlertRules);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rules = await SettingsAsync(db, cancellationToken);
        return [.. AlertDefaults.Kinds.Select(k => rules[k])];
    }

    public async Task<AlertResult> SaveRuleAsync(ClaimsPrincipal user, AlertRuleChange change, CancellationToken cancellationToken = default)
    {
        var name = await RequireAsync(user, Policies.AlertRules);
        if (ThresholdProblem(change.Kind, change.Threshold) is { } problem) return problem;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rule = await db.AlertRules.SingleOrDefaultAsync(r => r.Kind == change.Kind, cancellationToken);
        if ((rule?.Version ?? 0) != change.VersionSeen)
            return new AlertResult("Someone changed this rule since you loaded it. The rules are refreshed; try again.");
        var newUrl = Blank(change.NewWebhookUrl);
        var newSecret = Blank(change.NewSigningSecret);
        if (change.Channel != AlertChannel.None)
        {
            if (newUrl is null && (rule?.WebhookCipher is null || rule.Channel != change.Channel))
                return new AlertResult("Enter the robot's webhook address.");
            if (newUrl is not null && UrlProblem(change.Channel, newUrl) is { } urlProblem) return urlProblem;
            if (newSecret is { Length: > 200 }) return new AlertResult("The signing secret is at most 200 characters.");
        }
        var now = clock.GetUtcNow();
        var isNew = rule is null;
        rule ??= new AlertRule(change.Kind);
        var before = isNew ? null : Described(rule);
        rule.Set(change.IsEnabled, AlertDefaults.UnitOf(change.Kind) == ThresholdUnit.None ? null : change.Threshold, change.Channel,
            newUrl is null ? rule.WebhookCipher : protector.Protect(newUrl),
            newSecret is null ? rule.SecretCipher : protector.Protect(newSecret), name, now);
        if (isNew) db.AlertRules.Add(rule);
        else db.Entry(rule).Property(r => r.Version).OriginalValue = change.VersionSeen;
        var after = Described(rule);
        new AuditTrail(db, name, now).Record(Area, RuleChangedAction, nameof(AlertRule), change.Kind.ToString(), before,
            new { after.IsEnabled, after.Threshold, after.Channel, after.Robot, WebhookChanged = newUrl is not null, SecretChanged = newSecret is not null });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new AlertResult("Someone changed this rule since you loaded it. The rules are refreshed; try again.");
        }
        return AlertResult.Ok;
    }

    /// <summary>
    /// Sends a test message to the robot: the address and secret typed (not yet saved) or, when left empty, the rule's
    /// saved ones. Sends nothing else and changes nothing.
    /// </summary>
    public async Task<RobotResult> SendTestAsync(ClaimsPrincipal user, AlertKind kind, AlertChannel channel, string? url, string? secret,
        CancellationToken cancellationToken = default)
    {
        await RequireAsync(user, Policies.AlertRules);
        if (channel == AlertChannel.None) return new RobotResult(words["Choose a robot first."]);
        var address = Blank(url);
        var key = Blank(secret);
        if (address is null || key is null)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rule = await db.AlertRules.AsNoTracking().SingleOrDefaultAsync(r => r.Kind == kind, cancellationToken);
            if (rule?.Channel == channel)
            {
                address ??= rule.WebhookCipher is null ? null : protector.Unprotect(rule.WebhookCipher);
                key ??= rule.SecretCipher is null ? null : protector.Unprotect(rule.SecretCipher);
            }
        }
        if (address is null) return new RobotResult(words["Enter the robot's webhook address."]);
        if (UrlProblem(channel, address) is { } problem) return new RobotResult(words[problem.Error!, problem.Arguments]);
        string text;
        using (InLanguage())
        {
            text = $"【LoanHub】{words["Test message: this group will receive the alerts of “{0}”.", AlertText.Title(words, kind)]}";
        }
        return await robots.SendAsync(channel, address, key, text, cancellationToken);
    }

    /// <summary>The text a robot sends for <paramref name="alert"/>, in the team's language (<see cref="AlertOptions.Language"/>).</summary>
    public string RobotText(Alert alert)
    {
        using var _ = InLanguage();
        var text = $"【LoanHub】{AlertText.Title(words, alert.Kind)}\n{AlertText.Message(words, alert, (int)HealthWindow.TotalMinutes)}";
        return options.ConsoleUrl is { Length: > 0 } console ? $"{text}\n{console.TrimEnd('/')}/{AlertText.Link(alert.Kind)}" : text;
    }

    private static AlertResult? ThresholdProblem(AlertKind kind, decimal? threshold)
    {
        if (AlertDefaults.IsValidThreshold(kind, threshold)) return null;
        var (min, max) = AlertDefaults.RangeOf(kind);
        return new AlertResult("The threshold must be between {0} and {1}.", min, max);
    }

    private AlertResult? UrlProblem(AlertChannel channel, string url)
    {
        if (EndpointRules.Problem(url, deliveryOptions.AllowPrivateEndpoints) is { } problem) return new AlertResult("The webhook address {0}.", FieldProblemText.Words(consoleWords, problem));
        // The robots' own hosts, or a test robot on this machine; never an arbitrary server fed the team's alerts.
        var host = new Uri(url).Host;
        var expected = channel == AlertChannel.WeCom ? "qyapi.weixin.qq.com" : "oapi.dingtalk.com";
        return host == expected || EndpointRules.IsLoopbackHost(new Uri(url)) ? null
            : new AlertResult("A {0} webhook address is on {1}.", AlertText.Channel(words, channel), expected);
    }

    private async Task<Dictionary<AlertKind, AlertRuleSetting>> SettingsAsync(LoanHubDbContext db, CancellationToken cancellationToken)
    {
        var saved = await db.AlertRules.AsNoTracking().ToDictionaryAsync(r => r.Kind, cancellationToken);
        return AlertDefaults.Kinds.ToDictionary(k => k, k => saved.TryGetValue(k, out var rule)
            ? new AlertRuleSetting(k, rule.IsEnabled, rule.Threshold ?? AlertDefaults.ThresholdOf(k), rule.Channel, HostOf(rule.WebhookCipher),
                rule.SecretCipher is not null, rule.Version, rule.UpdatedBy, rule.UpdatedAt)
            : AlertRuleSetting.Default(k));
    }

    private string? HostOf(string? cipher)
    {
        if (cipher is null) return null;
        try
        {
            return Uri.TryCreate(protector.Unprotect(cipher), UriKind.Absolute, out var uri) ? uri.Host : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>What the audit log keeps of a rule: never the address or the secret, only which robot and where.</summary>
    private RuleAudit Described(AlertRule rule) => new(rule.IsEnabled, rule.Threshold, rule.Channel, HostOf(rule.WebhookCipher));

    private sealed record RuleAudit(bool IsEnabled, decimal? Threshold, AlertChannel Channel, string? Robot);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private UiCulture InLanguage() => new(CultureInfo.GetCultureInfo(options.Language));

    private async Task<string> RequireAsync(ClaimsPrincipal user, string policy)
    {
        var name = user.Identity?.Name;
        if (string.IsNullOrEmpty(name) || !(await authorization.AuthorizeAsync(user, policy)).Succeeded)
            throw new UnauthorizedAccessException($"The {policy} policy does not admit this user.");
        return name;
    }

    /// <summary>Sets the UI culture for a block and puts the caller's back after it.</summary>
    private readonly struct UiCulture : IDisposable
    {
        private readonly CultureInfo previous;

        public UiCulture(CultureInfo culture)
        {
            previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = culture;
        }

        public void Dispose() => CultureInfo.CurrentUICulture = previous;
    }
}
