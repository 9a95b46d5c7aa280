using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;
using static System.FormattableString;

namespace LoanHub.Core.Engine;

/// <summary>
/// The in-memory history the fraud checks read: who was routed recently, which national IDs used each
/// device and phone, how busy each IP is, and the graph of applications linked by shared keys.
/// </summary>
/// <remarks>
/// <para><b>Not thread-safe.</b> The host owns one instance, warms it from the store at start (every
/// committed application through <see cref="Add"/>, every routed one through <see cref="MarkRouted"/>),
/// and serialises access: the intake writer checks, commits, then adds, under one lock, so a check never
/// misses an application committed before it.</para>
/// <para><b>Memory.</b> Windowed entries (routed IDs, device and IP uses) are dropped by <see cref="Prune"/>
/// once no check can read them, and hot devices and IPs are trimmed as they are added. The link graph
/// (which phones, devices and IDs ever appeared together) and the national IDs seen per phone are kept
/// for the life of the index: rings and shared phones are found across any span of time, and both grow
/// only with distinct keys, not with traffic. The store's retention limit bounds them across restarts.</para>
/// <para>Counts include the application being checked, so "3 national IDs on a device" means this one
/// and two others. Checking an application already added does not count it twice.</para>
/// </remarks>
public sealed class FraudIndex(FraudPolicy policy)
{
    private readonly Dictionary<string, (ApplicationId ApplicationId, DateTimeOffset At)> _routed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string IdentityHash, DateTimeOffset At)>> _deviceUses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(ApplicationId ApplicationId, DateTimeOffset At)>> _ipUses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _phoneIdentities = new(StringComparer.Ordinal);
    private readonly LinkGraph _links = new();

    public FraudIndex() : this(FraudPolicy.Default) { }

    public FraudPolicy Policy { get; private set; } = policy;

    // The shortest windows this index has judged by: it may have dropped anything older than these.
    private (TimeSpan Lookback, TimeSpan Device, TimeSpan Ip) _kept = (policy.DuplicateLookback, policy.DeviceWindow, policy.IpWindow);

    /// <summary>
    /// Judges from now on by <paramref name="next"/>'s thresholds, when the history this index holds can answer them:
    /// false, and nothing changed, when one of its windows reaches further back than the index has kept (the history
    /// must then be read again under it).
    /// </summary>
    public bool TryUse(FraudPolicy next)
    {
        if (next.DuplicateLookback > _kept.Lookback || next.DeviceWindow > _kept.Device || next.IpWindow > _kept.Ip) return false;
        Policy = next;
        _kept = (next.DuplicateLookback, next.DeviceWindow, next.IpWindow);
        return true;
    }

    private UndoLog? _undo;

    /// <summary>From now on, every change is recorded in <paramref name="undo"/> while it is open, to be taken back.</summary>
    public void RecordChangesIn(UndoLog undo)
    {
        _undo = undo;
        _links.RecordChangesIn(undo);
    }

    public int ApplicationCount => _links.ApplicationCount;

    /// <summary>
    /// All signals for a new application: the history checks against this index and the applicant
    /// checks (age, amount against income) as of the China business day it was received.
    /// </summary>
    public FraudFindings Check(ApplicationFingerprint application, ApplicantProfile applicant)
    {
        var findings = CheckHistory(application);
        return findings.With(ApplicantChecks.Run(applicant, BusinessDay.Of(application.ReceivedAt), Policy));
    }

    /// <summary>The checks that need history: duplicate, shared device and phone, IP velocity and rings.</summary>
    public FraudFindings CheckHistory(ApplicationFingerprint application)
    {
        var signals = new List<FraudSignal>();
        var at = application.ReceivedAt;

        if (_routed.TryGetValue(application.IdentityHash, out var routed)
            && routed.ApplicationId != application.ApplicationId
            && routed.At > at - Policy.DuplicateLookback)
        {
            signals.Add(new(FraudSignal.Duplicate, SignalSeverity.Duplicate,
                Invariant($"The same national ID was routed on {routed.At:yyyy-MM-dd HH:mm zzz} (within {Describe(Policy.DuplicateLookback)}).")));
        }

        var deviceIdentities = new HashSet<string>(StringComparer.Ordinal) { application.IdentityHash };
        if (_deviceUses.TryGetValue(application.DeviceHash, out var deviceUses))
            deviceIdentities.UnionWith(deviceUses.Where(u => u.At > at - Policy.DeviceWindow).Select(u => u.IdentityHash));
        if (deviceIdentities.Count >= Policy.DeviceSharedMinIdentities)
            signals.Add(new(FraudSignal.DeviceShared, SignalSeverity.Review,
                Invariant($"{deviceIdentities.Count} national IDs used this device within {Describe(Policy.DeviceWindow)}.")));

        var phoneIdentities = new HashSet<string>(StringComparer.Ordinal) { application.IdentityHash };
        if (_phoneIdentities.TryGetValue(application.PhoneHash, out var seenWithPhone)) phoneIdentities.UnionWith(seenWithPhone);
        if (phoneIdentities.Count >= Policy.PhoneSharedMinIdentities)
            signals.Add(new(FraudSignal.PhoneShared, SignalSeverity.Review, Invariant($"{phoneIdentities.Count} national IDs used this phone number.")));

        var fromIp = 1 + (_ipUses.TryGetValue(application.IpHash, out var ipUses)
            ? ipUses.Count(u => u.At > at - Policy.IpWindow && u.ApplicationId != application.ApplicationId)
            : 0);
        if (fromIp >= Policy.IpVelocityMinApplications)
            signals.Add(new(FraudSignal.IpVelocity, SignalSeverity.Review,
                Invariant($"{fromIp} applications came from this IP address within {Describe(Policy.IpWindow)}.")));

        var cluster = _links.ClusterWith(application, Policy.RingMinIdentities);
        if (cluster is not null)
            signals.Add(new(FraudSignal.Ring, SignalSeverity.Review,
                Invariant($"Linked by shared phone, device or ID to {cluster.Members.Count - 1} other applications ({cluster.DistinctIdentities} national IDs); ring {cluster.ClusterId}.")));

        return new FraudFindings(signals, cluster);
    }

    /// <summary>Records a committed application. Adding the same application again changes nothing.</summary>
    /// <returns>False when the application was already in the index.</returns>
    public bool Add(ApplicationFingerprint application)
    {
        if (!_links.Add(application)) return false;
        var at = application.ReceivedAt;

        var deviceUses = GetOrAdd(_deviceUses, application.DeviceHash);
        deviceUses.RemoveAll(u => u.At <= at - Policy.DeviceWindow);
        deviceUses.Add((application.IdentityHash, at));

        var ipUses = GetOrAdd(_ipUses, application.IpHash);
        ipUses.RemoveAll(u => u.At <= at - Policy.IpWindow);
        ipUses.Add((application.ApplicationId, at));

        if (!_phoneIdentities.TryGetValue(application.PhoneHash, out var identities))
        {
            _phoneIdentities[application.PhoneHash] = identities = new HashSet<string>(StringComparer.Ordinal);
            var phone = application.PhoneHash;
            _undo?.Add(() => _phoneIdentities.Remove(phone));
        }
        if (identities.Add(application.IdentityHash))
        {
            var identity = application.IdentityHash;
            _undo?.Add(() => identities.Remove(identity));
        }
        return true;
    }

    /// <summary>Marks that an application with this national ID was routed (billed); later ones within the lookback are duplicates.</summary>
    public void MarkRouted(string identityHash, ApplicationId applicationId, DateTimeOffset routedAt)
    {
        var known = _routed.TryGetValue(identityHash, out var previous);
        if (known && previous.At >= routedAt) return;
        _routed[identityHash] = (applicationId, routedAt);
        if (known) _undo?.Add(() => _routed[identityHash] = previous);
        else _undo?.Add(() => _routed.Remove(identityHash));
    }

    /// <summary>
    /// The ring an application already in the index belongs to, or null when its linked component has
    /// fewer distinct national IDs than the policy's ring threshold. For the review queue.
    /// </summary>
    public FraudCluster? ClusterOf(ApplicationId applicationId) => _links.ClusterOf(applicationId, Policy.RingMinIdentities);

    /// <summary>
    /// Drops every windowed entry no check can read any more as of <paramref name="now"/> (each check's own
    /// window, which is never longer than <see cref="FraudPolicy.LongestWindow"/>). Link graph and phone
    /// identities are kept; see the remarks on the class.
    /// </summary>
    /// <returns>How many entries were dropped.</returns>
    public int Prune(DateTimeOffset now)
    {
        var dropped = 0;
        foreach (var (identity, routed) in _routed.ToArray())
        {
            if (routed.At > now - Policy.DuplicateLookback) continue;
            _routed.Remove(identity);
            dropped++;
        }
        dropped += PruneLists(_deviceUses, u => u.At <= now - Policy.DeviceWindow);
        dropped += PruneLists(_ipUses, u => u.At <= now - Policy.IpWindow);
        return dropped;
    }

    private static int PruneLists<T>(Dictionary<string, List<T>> lists, Predicate<T> expired)
    {
        var dropped = 0;
        foreach (var (key, list) in lists.ToArray())
        {
            dropped += list.RemoveAll(expired);
            if (list.Count == 0) lists.Remove(key);
        }
        return dropped;
    }

    // The list a key's uses are added to; while recording, its contents as they were are kept to be put back.
    private List<T> GetOrAdd<T>(Dictionary<string, List<T>> lists, string key)
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
            _undo?.Add(() => lists.Remove(key));
        }
        else if (_undo is { IsRecording: true } undo)
        {
            var before = list.ToArray();
            undo.Add(() =>
            {
                list.Clear();
                list.AddRange(before);
            });
        }
        return list;
    }

    private static string Describe(TimeSpan window) =>
        window.TotalDays >= 1 && window.TotalDays % 1 == 0 ? Count(window.TotalDays, "day")
        : window.TotalHours >= 1 && window.TotalHours % 1 == 0 ? Count(window.TotalHours, "hour")
        : Count(Math.Ceiling(window.TotalMinutes), "minute");

    private static string Count(double n, string unit) => Invariant($"{n:0} {unit}{(n == 1 ? "" : "s")}");
}

/// <summary>Checks that need only the applicant: age from the ID and amount against income.</summary>
public static class ApplicantChecks
{
    public static IReadOnlyList<FraudSignal> Run(ApplicantProfile applicant, DateOnly today, FraudPolicy policy)
    {
        var signals = new List<FraudSignal>();
        var age = applicant.AgeOn(today);
        if (age < policy.MinimumAge)
            signals.Add(new(FraudSignal.Underage, SignalSeverity.Reject, Invariant($"The ID's birth date makes the applicant {age}, under {policy.MinimumAge}.")));
        if (applicant.RequestedAmount > policy.MaxAmountToMonthlyIncome * applicant.MonthlyIncome)
            signals.Add(new(FraudSignal.AmountToIncome, SignalSeverity.Review,
                Invariant($"The requested amount is more than {policy.MaxAmountToMonthlyIncome:0.##} times the declared monthly income.")));
        return signals;
    }
}
