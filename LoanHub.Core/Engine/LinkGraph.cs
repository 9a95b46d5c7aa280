using System.Diagnostics.CodeAnalysis;
using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Core.Engine;

/// <summary>
/// Union-find over the keys applications share (national ID, phone, device). Each application joins
/// its three keys into one component, so two applications are in the same component exactly when a
/// chain of shared keys connects them. Components merge by size, with path halving, so adding and
/// finding stay near constant time as the graph grows.
/// </summary>
/// <remarks>
/// Kept in arrays, not objects, so a million applications fit in a few hundred megabytes at most: keys are numbered per kind
/// (<see cref="KeyTable"/>) and a node is its kind and key number packed in one int. Each node has its parent, the next
/// node of its component (a list headed by the root, which holds the component's size and distinct national IDs) and
/// the newest application that used its key; each application links to the next older one that used the same key.
/// </remarks>
internal sealed class LinkGraph
{
    private const int Kinds = 3;

    /// <summary>A key's node: side by side, so a find or a union reads one cache line per node.</summary>
    private struct KeyNode
    {
        public int Parent;
        public int Next;
        public int NewestApplication;
        // Meaningful on a component's root only.
        public int Size;
        public int Identities;
    }

    /// <summary>The keys of one kind and, by key number, their nodes.</summary>
    private sealed class KindNodes
    {
        public readonly KeyTable Keys = new();
        public KeyNode[] Nodes = [];
    }

    private readonly KindNodes[] _kinds = [new(), new(), new()]; // by LinkKind
    /// <summary>An application: what a ring names of it, its national ID's key, and per kind the next older application with the same key.</summary>
    private struct Application
    {
        public ApplicationId Id;
        public DateTimeOffset ReceivedAt;
        public int IdentityKey;
        public int OlderSameIdentity;
        public int OlderSamePhone;
        public int OlderSameDevice;

        [UnscopedRef]
        public ref int OlderSharing(LinkKind kind)
        {
            if (kind == LinkKind.NationalId) return ref OlderSameIdentity;
            if (kind == LinkKind.Phone) return ref OlderSamePhone;
            return ref OlderSameDevice;
        }
    }

    private readonly ProbeTable _applicationIndex;
    private Application[] _applications = [];

    public LinkGraph() => _applicationIndex = new ProbeTable(application => Hash(_applications[application].Id));

    public int ApplicationCount => _applicationIndex.Count;

    private UndoLog? _undo;

    private bool Recording => _undo is { IsRecording: true };

    /// <summary>
    /// Records every change in <paramref name="undo"/> while it is open. Finds then leave paths as they are, so that
    /// undoing a union restores the components exactly (merging by size keeps the trees shallow without halving).
    /// </summary>
    public void RecordChangesIn(UndoLog undo) => _undo = undo;

    /// <summary>How many keys of <paramref name="kind"/> have a number; numbers run below it.</summary>
    public int KeyCount(LinkKind kind) => _kinds[(int)kind].Keys.Count;

    /// <summary>The number of a key of <paramref name="kind"/>, or -1 when no application or route has used it.</summary>
    public int FindKey(LinkKind kind, string key) => _kinds[(int)kind].Keys.Find(key);

    /// <summary>The number of a key of <paramref name="kind"/>, giving it one (a node of its own) when it is new.</summary>
    public int AddKey(LinkKind kind, string key)
    {
        var nodes = _kinds[(int)kind];
        var number = nodes.Keys.Add(key, out var added);
        if (!added) return number;
        DenseArray.Cover(ref nodes.Nodes, number, default);
        nodes.Nodes[number] = new KeyNode
        {
            Parent = Node(kind, number), Next = -1, NewestApplication = -1, Size = 1, Identities = kind == LinkKind.NationalId ? 1 : 0,
        };
        if (Recording) _undo!.Add(() => nodes.Keys.RemoveNewest(key));
        return number;
    }

    /// <summary>The application's number (0, 1, 2 … in the order added), or -1 when it is not in the graph.</summary>
    public int IndexOf(ApplicationId applicationId)
    {
        for (var position = _applicationIndex.Start(Hash(applicationId)); _applicationIndex.EntryAt(position) is var application and >= 0;
             position = _applicationIndex.Next(position))
        {
            if (_applications[application].Id == applicationId) return application;
        }
        return -1;
    }

    public ApplicationId IdOf(int application) => _applications[application].Id;

    /// <summary>Adds the application and links its keys; false, and nothing changed, when it is in the graph already.</summary>
    /// <param name="application">Its number.</param>
    /// <param name="keys">The numbers of its national ID, phone and device.</param>
    public bool Add(ApplicationFingerprint fingerprint, out int application, out (int Identity, int Phone, int Device) keys)
    {
        application = IndexOf(fingerprint.ApplicationId);
        if (application >= 0)
        {
            keys = default;
            return false;
        }
        keys = (AddKey(LinkKind.NationalId, fingerprint.IdentityHash), AddKey(LinkKind.Phone, fingerprint.PhoneHash),
            AddKey(LinkKind.Device, fingerprint.DeviceHash));
        var index = application = _applicationIndex.Count;
        DenseArray.Cover(ref _applications, index, default);
        _applications[index] = new Application { Id = fingerprint.ApplicationId, ReceivedAt = fingerprint.ReceivedAt, IdentityKey = keys.Identity };
        Share(LinkKind.NationalId, keys.Identity, index);
        Share(LinkKind.Phone, keys.Phone, index);
        Share(LinkKind.Device, keys.Device, index);
        _applicationIndex.Add(Hash(fingerprint.ApplicationId), index);
        if (Recording)
        {
            var numbers = keys;
            _undo!.Add(() =>
            {
                _applicationIndex.RemoveNewest(Hash(_applications[index].Id));
                Unshare(LinkKind.NationalId, numbers.Identity, index);
                Unshare(LinkKind.Phone, numbers.Phone, index);
                Unshare(LinkKind.Device, numbers.Device, index);
            });
        }
        var identity = Node(LinkKind.NationalId, keys.Identity);
        Union(identity, Node(LinkKind.Phone, keys.Phone));
        Union(identity, Node(LinkKind.Device, keys.Device));
        return true;
    }

    /// <summary>The ring a candidate not in the graph would belong to once added, or null below the threshold.</summary>
    /// <param name="keys">The numbers of its national ID, phone and device, -1 for a key never seen.</param>
    public FraudCluster? ClusterWith(ApplicationFingerprint candidate, (int Identity, int Phone, int Device) keys, int minIdentities)
    {
        Span<int> existing = stackalloc int[Kinds];
        Span<int> roots = stackalloc int[Kinds];
        int found = 0, rootCount = 0;
        var identities = keys.Identity < 0 ? 1 : 0;
        if (keys.Identity >= 0) existing[found++] = Node(LinkKind.NationalId, keys.Identity);
        if (keys.Phone >= 0) existing[found++] = Node(LinkKind.Phone, keys.Phone);
        if (keys.Device >= 0) existing[found++] = Node(LinkKind.Device, keys.Device);
        foreach (var node in existing[..found])
        {
            var root = Find(node);
            if (roots[..rootCount].Contains(root)) continue;
            roots[rootCount++] = root;
            identities += At(root).Identities;
        }
        if (identities < minIdentities) return null;

        var member = new ClusterMember(candidate.ApplicationId, candidate.ReceivedAt);
        return Build(roots[..rootCount].ToArray(), identities, member, existing[..found].ToArray());
    }

    public FraudCluster? ClusterOf(ApplicationId applicationId, int minIdentities)
    {
        var application = IndexOf(applicationId);
        return application < 0 ? null : ClusterOf(application, minIdentities);
    }

    public FraudCluster? ClusterOf(int application, int minIdentities)
    {
        var root = Find(Node(LinkKind.NationalId, _applications[application].IdentityKey));
        var identities = At(root).Identities;
        return identities < minIdentities ? null : Build([root], identities, null, []);
    }

    private FraudCluster Build(int[] roots, int identities, ClusterMember? candidate, int[] candidateNodes)
    {
        var nodes = new List<int>();
        foreach (var root in roots)
        {
            for (var node = root; node >= 0; node = At(node).Next) nodes.Add(node);
        }
        var members = new List<ClusterMember>();
        foreach (var node in nodes)
        {
            if (KindOf(node) != LinkKind.NationalId) continue;
            foreach (var application in Sharing(node)) members.Add(new ClusterMember(_applications[application].Id, _applications[application].ReceivedAt));
        }
        if (candidate is not null) members.Add(candidate);
        members.Sort(EarliestFirst);
        var order = new Dictionary<ApplicationId, int>(members.Count);
        for (var i = 0; i < members.Count; i++) order[members[i].ApplicationId] = i;

        var links = new List<ClusterLink>();
        foreach (var node in nodes)
        {
            var sharing = new List<ApplicationId>();
            foreach (var application in Sharing(node)) sharing.Add(_applications[application].Id);
            if (candidate is not null && candidateNodes.Contains(node)) sharing.Add(candidate.ApplicationId);
            if (sharing.Count < 2) continue;
            sharing.Sort((a, b) => order[a].CompareTo(order[b]));
            links.Add(new ClusterLink(KindOf(node), [.. sharing]));
        }
        links.Sort((a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : order[a.Applications[0]].CompareTo(order[b.Applications[0]]));

        return new FraudCluster(members[0].ApplicationId.Value, identities, members, links);
    }

    // The applications that used a node's key, newest first.
    private IEnumerable<int> Sharing(int node)
    {
        var kind = KindOf(node);
        for (var application = At(node).NewestApplication; application >= 0; application = _applications[application].OlderSharing(kind))
            yield return application;
    }

    private void Share(LinkKind kind, int key, int application)
    {
        ref var node = ref _kinds[(int)kind].Nodes[key];
        _applications[application].OlderSharing(kind) = node.NewestApplication;
        node.NewestApplication = application;
    }

    private void Unshare(LinkKind kind, int key, int application) =>
        _kinds[(int)kind].Nodes[key].NewestApplication = _applications[application].OlderSharing(kind);

    private static int Node(LinkKind kind, int key) => key << 2 | (int)kind;

    private static LinkKind KindOf(int node) => (LinkKind)(node & 3);

    private ref KeyNode At(int node) => ref _kinds[node & 3].Nodes[node >> 2];

    private int Find(int node)
    {
        var halve = !Recording;
        while (true)
        {
            ref var current = ref At(node);
            var parent = current.Parent;
            if (parent == node) return node;
            if (halve)
            {
                parent = At(parent).Parent;
                current.Parent = parent;
            }
            node = parent;
        }
    }

    private void Union(int a, int b)
    {
        var large = Find(a);
        var small = Find(b);
        if (large == small) return;
        if (At(large).Size < At(small).Size) (large, small) = (small, large);

        // The small component's list goes in after the large root: walking it is paid for by merging by size.
        var last = small;
        while (At(last).Next is var next and >= 0) last = next;
        var afterLargeRoot = At(large).Next;
        At(large).Next = small;
        At(last).Next = afterLargeRoot;
        At(small).Parent = large;
        At(large).Size += At(small).Size;
        At(large).Identities += At(small).Identities;
        if (Recording)
        {
            _undo!.Add(() =>
            {
                At(large).Identities -= At(small).Identities;
                At(large).Size -= At(small).Size;
                At(small).Parent = small;
                At(last).Next = -1;
                At(large).Next = afterLargeRoot;
            });
        }
    }

    private static ulong Hash(ApplicationId id) => unchecked((ulong)(uint)id.Value.GetHashCode());

    /// <summary>Received time, then id: an order that does not depend on the order the host loaded the history in.</summary>
    private static int EarliestFirst(ClusterMember a, ClusterMember b)
    {
        var byTime = a.ReceivedAt.CompareTo(b.ReceivedAt);
        return byTime != 0 ? byTime : a.ApplicationId.Value.CompareTo(b.ApplicationId.Value);
    }
}
