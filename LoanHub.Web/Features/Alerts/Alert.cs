using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LoanHub.Web.Features.Alerts;

/// <summary>
/// One episode of a condition: raised when a rule first finds it, cleared when the rule no longer does. While it is
/// open, <see cref="OpenKey"/> (kind and subject) is set, and a unique index on it lets only one open alert exist per
/// condition, however many instances look at once. Acknowledging takes it off the count but not out of its episode:
/// the same condition raises nothing new until it has cleared.
/// </summary>
public sealed class Alert
{
    public const int MaxSubjectLength = 100;

    private Alert() { }

    internal Alert(AlertFinding finding, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        Kind = finding.Kind;
        Subject = finding.Subject;
        SubjectName = Truncated(finding.SubjectName);
        Figure = finding.Figure;
        Limit = finding.Limit;
        RaisedAt = at;
        LastSeenAt = at;
        OpenKey = KeyOf(finding.Kind, finding.Subject);
    }

    public Guid Id { get; private set; }
    public AlertKind Kind { get; private set; }
    /// <summary>What the condition is about: a product's or lender's or source's code, or the review queue.</summary>
    public string Subject { get; private set; } = "";
    public string SubjectName { get; private set; } = "";
    /// <summary>What was measured when it was raised (or last seen), in the rule's unit: leads, percent, days, hours.</summary>
    public decimal Figure { get; private set; }
    /// <summary>What it was measured against: the cap, the threshold.</summary>
    public decimal Limit { get; private set; }
    public DateTimeOffset RaisedAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }
    public DateTimeOffset? ClearedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public string? AcknowledgedBy { get; private set; }
    public string? OpenKey { get; private set; }
    public DateTimeOffset? NotifiedAt { get; private set; }
    public string? NotifyError { get; private set; }

    public bool IsOpen => ClearedAt is null;

    public static string KeyOf(AlertKind kind, string subject) => $"{kind}:{subject}";

    internal void Seen(AlertFinding finding, DateTimeOffset at)
    {
        Figure = finding.Figure;
        Limit = finding.Limit;
        SubjectName = Truncated(finding.SubjectName);
        LastSeenAt = at;
    }

    internal void Clear(DateTimeOffset at)
    {
        ClearedAt = at;
        OpenKey = null;
    }

    internal void Acknowledge(string by, DateTimeOffset at)
    {
        AcknowledgedBy = by;
        AcknowledgedAt = at;
    }

    internal void Notified(DateTimeOffset at, string? error)
    {
        NotifiedAt = at;
        NotifyError = error is null ? null : error.Length > 500 ? error[..500] : error;
    }

    private static string Truncated(string value) => value.Length > 200 ? value[..200] : value;
}

/// <summary>A condition a rule finds true now.</summary>
public sealed record AlertFinding(AlertKind Kind, string Subject, string SubjectName, decimal Figure, decimal Limit)
{
    public string Key => Alert.KeyOf(Kind, Subject);
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> alert)
    {
        alert.ToTable("Alerts");
        alert.HasKey(a => a.Id);
        alert.Property(a => a.Subject).HasMaxLength(Alert.MaxSubjectLength);
        alert.Property(a => a.SubjectName).HasMaxLength(200);
        alert.Property(a => a.OpenKey).HasMaxLength(Alert.MaxSubjectLength + 30);
        alert.Property(a => a.AcknowledgedBy).HasMaxLength(256);
        alert.Property(a => a.NotifyError).HasMaxLength(500);
        // Several NULLs are allowed in a unique index by both SQLite and PostgreSQL: cleared alerts keep none.
        alert.HasIndex(a => a.OpenKey).IsUnique();
        // The list: newest first.
        alert.HasIndex(a => a.RaisedAt);
        alert.Ignore(a => a.IsOpen);
    }
}
