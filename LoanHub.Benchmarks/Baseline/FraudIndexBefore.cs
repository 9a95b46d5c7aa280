using System.Globalization;
using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;
using static System.FormattableString;

namespace LoanHub.Benchmarks.Baseline;

/// <summary>
/// The fraud index as it was before the compact one (issue 11), without its undo log (the backtest keeps none): kept only so
/// that <c>fraudindex</c> measures both in the same run.
/// </summary>
internal sealed class FraudIndexBefore(FraudPolicy policy)
{
    private readonly Dictionary<string, (ApplicationId ApplicationId, DateTimeOffset At)> _routed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string IdentityHash, DateTimeOffset At)>> _deviceUses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(ApplicationId ApplicationId, DateTimeOffset At)>> _ipUses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _phoneIdentities = new(StringComparer.Ordinal);
    private readonly LinkGraphBefore _links = new();

    public FraudIndexBefore() : this(FraudPolicy.Default) { }

    public FraudPolicy Policy { get; } = policy;

    public int ApplicationCount => _links.ApplicationCount;

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
            _phoneIdentities[application.PhoneHash] = identities = new HashSet<string>(StringComparer.Ordinal);
        identities.Add(application.IdentityHash);
        return true;
    }

    /// <summary>Marks that an application with this national ID was routed (billed); later ones within the lookback are duplicates.</summary>
    public void MarkRouted(string identityHash, ApplicationId applicationId, DateTimeOffset routedAt)
    {
        if (_routed.TryGetValue(identityHash, out var previous) && previous.At >= routedAt) return;
        _routed[identityHash] = (applicationId, routedAt);
    }

    /// <summary>
    /// Drops every windowed entry no check can read any more as of <paramref name="now"/> (each check's own
    /// window, which is never longer than FraudPolicy.LongestWindow). Link graph and phone
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

    private static List<T> GetOrAdd<T>(Dictionary<string, List<T>> lists, string key)
    {
        if (!lists.TryGetValue(key, out var list)) lists[key] = list = [];
        return list;
    }

    // The texts only: how the windows are worded does not change what the index costs.
    private static string Describe(TimeSpan window) => window.ToString("c", CultureInfo.InvariantCulture);
}

/// <summary>The link graph as it was before the compact one, for <see cref="FraudIndexBefore"/>.</summary>
internal sealed class LinkGraphBefore
{
    private sealed class Node(LinkKind kind)
    {
        public LinkKind Kind { get; } = kind;
        public int Parent;
        /// <summary>Indexes of the applications that used this key.</summary>
        public List<int> Applications { get; } = [];

        // Meaningful on a component's root only.
        public List<int> Nodes = [];
        public int Identities;
    }

    private readonly record struct Entry(ClusterMember Member, int IdentityNode);

    private readonly Dictionary<(LinkKind, string), int> _nodeByKey = [];
    private readonly List<Node> _nodes = [];
    private readonly List<Entry> _applications = [];
    private readonly Dictionary<ApplicationId, int> _applicationIndex = [];

    public int ApplicationCount => _applications.Count;

    public bool Add(ApplicationFingerprint application)
    {
        if (_applicationIndex.ContainsKey(application.ApplicationId)) return false;
        var index = _applications.Count;
        var keys = KeysOf(application).Select(k => NodeFor(k.Kind, k.Key)).ToArray();
        _applications.Add(new Entry(new ClusterMember(application.ApplicationId, application.ReceivedAt), keys[0]));
        _applicationIndex[application.ApplicationId] = index;
        foreach (var node in keys) _nodes[node].Applications.Add(index);
        Union(keys[0], keys[1]);
        Union(keys[0], keys[2]);
        return true;
    }

    /// <summary>The ring <paramref name="candidate"/> would belong to once added, or null below the threshold.</summary>
    public FraudCluster? ClusterWith(ApplicationFingerprint candidate, int minIdentities)
    {
        if (_applicationIndex.ContainsKey(candidate.ApplicationId)) return ClusterOf(candidate.ApplicationId, minIdentities);

        var keys = KeysOf(candidate).ToArray();
        var existing = keys.Select(k => _nodeByKey.TryGetValue((k.Kind, k.Key), out var node) ? node : -1).ToArray();
        var roots = existing.Where(n => n >= 0).Select(Find).Distinct().ToArray();
        var identities = roots.Sum(r => _nodes[r].Identities) + (existing[0] < 0 ? 1 : 0);
        if (identities < minIdentities) return null;

        var candidateNodes = existing.Where(n => n >= 0).ToHashSet();
        var candidateMember = new ClusterMember(candidate.ApplicationId, candidate.ReceivedAt);
        return Build(roots, identities, candidateMember, candidateNodes);
    }

    public FraudCluster? ClusterOf(ApplicationId applicationId, int minIdentities)
    {
        if (!_applicationIndex.TryGetValue(applicationId, out var index)) return null;
        var root = Find(_applications[index].IdentityNode);
        var identities = _nodes[root].Identities;
        return identities < minIdentities ? null : Build([root], identities, null, []);
    }

    private FraudCluster Build(IReadOnlyList<int> roots, int identities, ClusterMember? candidate, HashSet<int> candidateNodes)
    {
        var nodes = roots.SelectMany(r => _nodes[r].Nodes).ToArray();
        var members = nodes
            .Where(n => _nodes[n].Kind == LinkKind.NationalId)
            .SelectMany(n => _nodes[n].Applications)
            .Select(i => _applications[i].Member)
            .ToList();
        if (candidate is not null) members.Add(candidate);
        members.Sort(EarliestFirst);
        var order = members.Select((m, i) => (m.ApplicationId, i)).ToDictionary(x => x.ApplicationId, x => x.i);

        var links = new List<ClusterLink>();
        foreach (var n in nodes)
        {
            var sharing = _nodes[n].Applications.Select(i => _applications[i].Member.ApplicationId).ToList();
            if (candidate is not null && candidateNodes.Contains(n)) sharing.Add(candidate.ApplicationId);
            if (sharing.Count < 2) continue;
            links.Add(new ClusterLink(_nodes[n].Kind, [.. sharing.OrderBy(id => order[id])]));
        }
        links.Sort((a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : order[a.Applications[0]].CompareTo(order[b.Applications[0]]));

        return new FraudCluster(members[0].ApplicationId.Value, identities, members, links);
    }

    private static IEnumerable<(LinkKind Kind, string Key)> KeysOf(ApplicationFingerprint application) =>
    [
        (LinkKind.NationalId, application.IdentityHash),
        (LinkKind.Phone, application.PhoneHash),
        (LinkKind.Device, application.DeviceHash),
    ];

    private int NodeFor(LinkKind kind, string key)
    {
        if (_nodeByKey.TryGetValue((kind, key), out var existing)) return existing;
        var index = _nodes.Count;
        var node = new Node(kind) { Parent = index, Identities = kind == LinkKind.NationalId ? 1 : 0 };
        node.Nodes.Add(index);
        _nodes.Add(node);
        _nodeByKey[(kind, key)] = index;
        return index;
    }

    private int Find(int node)
    {
        while (_nodes[node].Parent != node)
        {
            var parent = _nodes[node].Parent;
            _nodes[node].Parent = _nodes[parent].Parent;
            node = parent;
        }
        return node;
    }

    private void Union(int a, int b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA == rootB) return;
        if (_nodes[rootA].Nodes.Count < _nodes[rootB].Nodes.Count) (rootA, rootB) = (rootB, rootA);
        var large = _nodes[rootA];
        var small = _nodes[rootB];
        var smallNodes = small.Nodes;
        small.Parent = rootA;
        large.Nodes.AddRange(smallNodes);
        large.Identities += small.Identities;
        small.Nodes = [];
    }

    /// <summary>Received time, then id: an order that does not depend on the order the host loaded the history in.</summary>
    private static int EarliestFirst(ClusterMember a, ClusterMember b)
    {
        var byTime = a.ReceivedAt.CompareTo(b.ReceivedAt);
        return byTime != 0 ? byTime : a.ApplicationId.Value.CompareTo(b.ApplicationId.Value);
    }
}
