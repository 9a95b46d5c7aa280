using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Core.Engine;

/// <summary>
/// Union-find over the keys applications share (national ID, phone, device). Each application joins
/// its three keys into one component, so two applications are in the same component exactly when a
/// chain of shared keys connects them. Components merge by size, with path halving, so adding and
/// finding stay near constant time as the graph grows.
/// </summary>
internal sealed class LinkGraph
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

    private UndoLog? _undo;

    /// <summary>
    /// Records every change in <paramref name="undo"/> while it is open. Finds then leave paths as they are, so that
    /// undoing a union restores the components exactly (merging by size keeps the trees shallow without halving).
    /// </summary>
    public void RecordChangesIn(UndoLog undo) => _undo = undo;

    public bool Add(ApplicationFingerprint application)
    {
        if (_applicationIndex.ContainsKey(application.ApplicationId)) return false;
        var index = _applications.Count;
        var keys = KeysOf(application).Select(k => NodeFor(k.Kind, k.Key)).ToArray();
        _applications.Add(new Entry(new ClusterMember(application.ApplicationId, application.ReceivedAt), keys[0]));
        _applicationIndex[application.ApplicationId] = index;
        foreach (var node in keys) _nodes[node].Applications.Add(index);
        _undo?.Add(() =>
        {
            foreach (var node in keys) _nodes[node].Applications.RemoveAt(_nodes[node].Applications.Count - 1);
            _applicationIndex.Remove(application.ApplicationId);
            _applications.RemoveAt(index);
        });
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
        _undo?.Add(() =>
        {
            _nodeByKey.Remove((kind, key));
            _nodes.RemoveAt(index);
        });
        return index;
    }

    private int Find(int node)
    {
        var halve = _undo is not { IsRecording: true };
        while (_nodes[node].Parent != node)
        {
            var parent = _nodes[node].Parent;
            if (halve) _nodes[node].Parent = _nodes[parent].Parent;
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
        _undo?.Add(() =>
        {
            small.Nodes = smallNodes;
            large.Identities -= small.Identities;
            large.Nodes.RemoveRange(large.Nodes.Count - smallNodes.Count, smallNodes.Count);
            small.Parent = rootB;
        });
    }

    /// <summary>Received time, then id: an order that does not depend on the order the host loaded the history in.</summary>
    private static int EarliestFirst(ClusterMember a, ClusterMember b)
    {
        var byTime = a.ReceivedAt.CompareTo(b.ReceivedAt);
        return byTime != 0 ? byTime : a.ApplicationId.Value.CompareTo(b.ApplicationId.Value);
    }
}
