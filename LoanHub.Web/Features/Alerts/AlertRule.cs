using LoanHub.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Features.Alerts;

/// <summary>
/// An admin's setting of one kind of alert. A kind with no row runs on <see cref="AlertDefaults"/>. The robot's
/// webhook address and DingTalk signing secret carry the group's access token, so they are kept encrypted by the key ring.
/// </summary>
public sealed class AlertRule : IVersioned
{
    public const int MaxCipherLength = 2000;

    private AlertRule() { }

    internal AlertRule(AlertKind kind) => Kind = kind;

    public AlertKind Kind { get; private set; }
    public bool IsEnabled { get; private set; } = true;
    public decimal? Threshold { get; private set; }
    public AlertChannel Channel { get; private set; }
    public string? WebhookCipher { get; private set; }
    public string? SecretCipher { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }
    public int Version { get; private set; }

    internal void Set(bool enabled, decimal? threshold, AlertChannel channel, string? webhookCipher, string? secretCipher, string by, DateTimeOffset at)
    {
        IsEnabled = enabled;
        Threshold = threshold;
        Channel = channel;
        WebhookCipher = channel == AlertChannel.None ? null : webhookCipher;
        SecretCipher = channel == AlertChannel.DingTalk ? secretCipher : null;
        UpdatedBy = by;
        UpdatedAt = at;
        Version++;
    }
}

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> rule)
    {
        rule.ToTable("AlertRules");
        rule.HasKey(r => r.Kind);
        rule.Property(r => r.WebhookCipher).HasMaxLength(AlertRule.MaxCipherLength);
        rule.Property(r => r.SecretCipher).HasMaxLength(AlertRule.MaxCipherLength);
        rule.Property(r => r.UpdatedBy).HasMaxLength(256);
    }
}
