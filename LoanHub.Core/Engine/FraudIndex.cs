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
/// only with distinct keys, not with traffic. The store's retention limit bounds them across restarts.
/// Nothing is kept as an object per applicant, key or use: keys are numbered once (lowercase hex keyed hashes kept as
/// their bits) and everything else lives in arrays by those numbers, a few hundred bytes per applicant in all, so the
/// writer's 180 days and the backtest's replay of a million applicants stay well inside the heap they are given.</para>
/// <para>Counts include the application being checked, so "3 national IDs on a device" means this one
/// and two others. Checking an application already added does not count it twice.</para>
/// </remarks>
public sealed class FraudIndex(FraudPolicy policy)
{
    // Keys are numbered (LinkGraph, KeyTable) and what is kept per key lives in arrays by that number: no object per
    // applicant, key or use. Times are kept as UTC ticks; windows compare as the DateTimeOffsets they came from do.
    private readonly LinkGraph _links = new();
    private readonly KeyTable _ips = new();
    private readonly UseLog _deviceUses = new(); // value: the national ID's key number
    private readonly UseLog _ipUses = new();     // value: the application's number
    private Route[] _routed = [];                // by national ID key number
    private readonly List<ApplicationId> _routedUnknown = []; // routed applications not in the index, for Route.Application < 0
    private int[] _phoneIdentity = [];           // by phone key number: the first national ID seen with it, or -1
    private readonly Dictionary<int, HashSet<int>> _phoneMoreIdentities = []; // the others, for the few phones that have more

    /// <summary>The last route of a national ID. <see cref="Application"/> is the application's number, or ~ its place in the unknown list.</summary>
    private readonly record struct Route(long UtcTicks, int Application, short OffsetMinutes)
    {
        public static readonly Route None = new(long.MinValue, 0, 0);

        public bool Exists => UtcTicks != long.MinValue;

        public DateTimeOffset At => new DateTimeOffset(UtcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(OffsetMinutes));
    }

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

    // Undo steps are made only while the log is open: outside a group (the history load, the backtest) they would be garbage.
    private bool Recording => _undo is { IsRecording: true };

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
        List<FraudSignal>? signals = null;
        void Found(FraudSignal signal) => (signals ??= new List<FraudSignal>(2)).Add(signal);
        var at = application.ReceivedAt.UtcTicks;
        var self = _links.IndexOf(application.ApplicationId);
        var identity = _links.FindKey(LinkKind.NationalId, application.IdentityHash);
        var phone = _links.FindKey(LinkKind.Phone, application.PhoneHash);
        var device = _links.FindKey(LinkKind.Device, application.DeviceHash);

        if (identity >= 0 && identity < _routed.Length && _routed[identity] is { Exists: true } routed
            && RoutedApplication(routed) != application.ApplicationId
            && routed.UtcTicks > at - Policy.DuplicateLookback.Ticks)
        {
            Found(new(FraudSignal.Duplicate, SignalSeverity.Duplicate,
                Invariant($"The same national ID was routed on {routed.At:yyyy-MM-dd HH:mm zzz} (within {Describe(Policy.DuplicateLookback)}).")));
        }

        var deviceIdentities = 1 + DistinctValuesAfter(_deviceUses, device, at - Policy.DeviceWindow.Ticks, except: identity);
        if (deviceIdentities >= Policy.DeviceSharedMinIdentities)
            Found(new(FraudSignal.DeviceShared, SignalSeverity.Review,
                Invariant($"{deviceIdentities} national IDs used this device within {Describe(Policy.DeviceWindow)}.")));

        var phoneIdentities = 1 + OtherPhoneIdentities(phone, identity);
        if (phoneIdentities >= Policy.PhoneSharedMinIdentities)
            Found(new(FraudSignal.PhoneShared, SignalSeverity.Review, Invariant($"{phoneIdentities} national IDs used this phone number.")));

        var fromIp = 1 + UsesAfter(_ipUses, _ips.Find(application.IpHash), at - Policy.IpWindow.Ticks, except: self);
        if (fromIp >= Policy.IpVelocityMinApplications)
            Found(new(FraudSignal.IpVelocity, SignalSeverity.Review,
                Invariant($"{fromIp} applications came from this IP address within {Describe(Policy.IpWindow)}.")));

        var cluster = self >= 0
            ? _links.ClusterOf(self, Policy.RingMinIdentities)
            : _links.ClusterWith(application, (identity, phone, device), Policy.RingMinIdentities);
        if (cluster is not null)
            Found(new(FraudSignal.Ring, SignalSeverity.Review,
                Invariant($"Linked by shared phone, device or ID to {cluster.Members.Count - 1} other applications ({cluster.DistinctIdentities} national IDs); ring {cluster.ClusterId}.")));

        return new FraudFindings(signals ?? [], cluster);
    }

    /// <summary>Records a committed application. Adding the same application again changes nothing.</summary>
    /// <returns>False when the application was already in the index.</returns>
    public bool Add(ApplicationFingerprint application)
    {
        if (!_links.Add(application, out var index, out var keys)) return false;
        var at = application.ReceivedAt.UtcTicks;
        DenseArray.Cover(ref _routed, _links.KeyCount(LinkKind.NationalId) - 1, Route.None);

        AddUse(_deviceUses, keys.Device, keys.Identity, at, Policy.DeviceWindow);
        var ip = _ips.Add(application.IpHash, out var newIp);
        if (newIp && Recording)
        {
            var key = application.IpHash;
            _undo!.Add(() => _ips.RemoveNewest(key));
        }
        AddUse(_ipUses, ip, index, at, Policy.IpWindow);
        AddPhoneIdentity(keys.Phone, keys.Identity);
        return true;
    }

    /// <summary>Marks that an application with this national ID was routed (billed); later ones within the lookback are duplicates.</summary>
    public void MarkRouted(string identityHash, ApplicationId applicationId, DateTimeOffset routedAt)
    {
        var identity = _links.AddKey(LinkKind.NationalId, identityHash);
        DenseArray.Cover(ref _routed, identity, Route.None);
        var previous = _routed[identity];
        if (previous.Exists && previous.UtcTicks >= routedAt.UtcTicks) return;
        var application = _links.IndexOf(applicationId);
        if (application < 0)
        {
            application = ~_routedUnknown.Count;
            _routedUnknown.Add(applicationId);
        }
        _routed[identity] = new Route(routedAt.UtcTicks, application, (short)routedAt.Offset.TotalMinutes);
        if (Recording) _undo!.Add(() => _routed[identity] = previous);
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
        var routedBefore = now.UtcTicks - Policy.DuplicateLookback.Ticks;
        for (var identity = 0; identity < _routed.Length; identity++)
        {
            if (!_routed[identity].Exists || _routed[identity].UtcTicks > routedBefore) continue;
            _routed[identity] = Route.None;
            dropped++;
        }
        dropped += _deviceUses.RemoveAtOrBefore(now.UtcTicks - Policy.DeviceWindow.Ticks);
        dropped += _ipUses.RemoveAtOrBefore(now.UtcTicks - Policy.IpWindow.Ticks);
        return dropped;
    }

    private ApplicationId RoutedApplication(Route route) =>
        route.Application >= 0 ? _links.IdOf(route.Application) : _routedUnknown[~route.Application];

    // A use of a key, dropping first the key's uses that fell out of the window; while recording, both are kept to be taken back.
    private void AddUse(UseLog uses, int key, int value, long at, TimeSpan window)
    {
        var dropped = Recording ? new List<(int Value, long UtcTicks)>() : null;
        uses.RemoveAtOrBefore(key, at - window.Ticks, dropped);
        uses.Add(key, value, at);
        if (dropped is null) return;
        _undo!.Add(() =>
        {
            uses.Remove(key, value, at);
            foreach (var use in dropped) uses.Add(key, use.Value, use.UtcTicks);
        });
    }

    private void AddPhoneIdentity(int phone, int identity)
    {
        DenseArray.Cover(ref _phoneIdentity, phone, -1);
        if (_phoneIdentity[phone] < 0)
        {
            _phoneIdentity[phone] = identity;
            if (Recording) _undo!.Add(() => _phoneIdentity[phone] = -1);
            return;
        }
        if (_phoneIdentity[phone] == identity) return;
        if (!_phoneMoreIdentities.TryGetValue(phone, out var more))
        {
            _phoneMoreIdentities[phone] = more = [];
            if (Recording) _undo!.Add(() => _phoneMoreIdentities.Remove(phone));
        }
        if (more.Add(identity) && Recording) _undo!.Add(() => more.Remove(identity));
    }

    // The national IDs other than the applicant's seen with a phone (all of them: phone links have no window).
    private int OtherPhoneIdentities(int phone, int identity)
    {
        if (phone < 0 || phone >= _phoneIdentity.Length || _phoneIdentity[phone] < 0) return 0;
        var count = _phoneIdentity[phone] != identity ? 1 : 0;
        if (_phoneMoreIdentities.TryGetValue(phone, out var more)) count += more.Count - (more.Contains(identity) ? 1 : 0);
        return count;
    }

    // How many uses of the key came after the cutoff, leaving out those of value `except`.
    private static int UsesAfter(UseLog uses, int key, long cutoff, int except)
    {
        if (key < 0) return 0;
        var count = 0;
        for (var use = uses.First(key); use >= 0; use = uses.Next(use))
        {
            if (uses.UtcTicks(use) > cutoff && uses.Value(use) != except) count++;
        }
        return count;
    }

    // How many distinct values the key's uses after the cutoff have, leaving out `except`: a few are compared in place, more go in a set.
    private static int DistinctValuesAfter(UseLog uses, int key, long cutoff, int except)
    {
        if (key < 0) return 0;
        Span<int> few = stackalloc int[16];
        var count = 0;
        HashSet<int>? many = null;
        for (var use = uses.First(key); use >= 0; use = uses.Next(use))
        {
            var value = uses.Value(use);
            if (uses.UtcTicks(use) <= cutoff || value == except) continue;
            if (many is not null) many.Add(value);
            else if (few[..count].Contains(value)) continue;
            else if (count < few.Length) few[count++] = value;
            else many = [.. few, value];
        }
        return many?.Count ?? count;
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
