namespace LoanHub.Web.Features.Alerts;

/// <summary>A rule as it runs: the admin's setting, or the defaults when there is none. The robot's address is never shown again, only its host.</summary>
public sealed record AlertRuleSetting(
    AlertKind Kind,
    bool IsEnabled,
    decimal? Threshold,
    AlertChannel Channel,
    string? WebhookHost,
    bool HasSigningSecret,
    int Version,
    string? UpdatedBy,
    DateTimeOffset? UpdatedAt)
{
    public ThresholdUnit Unit => AlertDefaults.UnitOf(Kind);

    public static AlertRuleSetting Default(AlertKind kind) => new(kind, true, AlertDefaults.ThresholdOf(kind), AlertChannel.None, null, false, 0, null, null);
}

/// <summary>An admin's change to a rule, against the version seen. An empty address or secret keeps the one saved.</summary>
public sealed record AlertRuleChange(
    AlertKind Kind,
    int VersionSeen,
    bool IsEnabled,
    decimal? Threshold,
    AlertChannel Channel,
    string? NewWebhookUrl = null,
    string? NewSigningSecret = null);

/// <summary>The alert centre's list: what is open (unacknowledged first) and what ended lately.</summary>
public sealed record AlertList(int Unacknowledged, IReadOnlyList<Alert> Open, IReadOnlyList<Alert> Recent, DateTimeOffset AsOf);

/// <summary>How a change went: <see cref="Error"/> is an English key (with <see cref="Arguments"/>) the page translates.</summary>
public sealed record AlertResult(string? Error, params object[] Arguments)
{
    public static AlertResult Ok { get; } = new((string?)null);
    public bool Succeeded => Error is null;
}
