using LoanHub.Core.Engine;

namespace LoanHub.Core.Domain;

/// <summary>
/// One version of the risk policy: every decision and fraud threshold, why it was saved, by whom and with what backtest.
/// Versions are never edited: a change makes a new one, and restoring an old one makes a new version with its thresholds.
/// Version 1 holds the thresholds configured when the store was created.
/// </summary>
public sealed class RiskPolicyVersion
{
    public int Version { get; private set; }
    /// <summary>The thresholds of this version as JSON (<see cref="RiskPolicy"/>).</summary>
    public string PolicyJson { get; private set; } = "";
    public string Comment { get; private set; } = "";
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public bool IsActive { get; private set; }
    /// <summary>The version that was active when this one was proposed and backtested; null for the first.</summary>
    public int? BasedOnVersion { get; private set; }
    /// <summary>The version whose thresholds this one brought back, when it is a restore.</summary>
    public int? RestoredFromVersion { get; private set; }
    /// <summary>What the backtest of this change, required before saving it, reported (JSON); empty for version 1.</summary>
    public string BacktestJson { get; private set; } = "";

    private RiskPolicy? policy;

    private RiskPolicyVersion() { }

    public RiskPolicyVersion(int version, RiskPolicy policy, string comment, string createdBy, DateTimeOffset createdAt,
        int? basedOnVersion = null, int? restoredFromVersion = null, string backtestJson = "")
    {
        if (version < 1) throw new DomainException("Risk policy versions start at 1.");
        if (string.IsNullOrWhiteSpace(comment)) throw new DomainException("A risk policy version needs a comment saying why.");
        Version = version;
        this.policy = policy;
        PolicyJson = policy.ToJson();
        Comment = comment.Trim();
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        BasedOnVersion = basedOnVersion;
        RestoredFromVersion = restoredFromVersion;
        BacktestJson = backtestJson;
        IsActive = true;
    }

    public RiskPolicy Policy => policy ??= RiskPolicy.FromJson(PolicyJson);

    public void Retire() => IsActive = false;
}
