using LoanHub.Core.Domain;
using static System.FormattableString;

namespace LoanHub.Core.Engine;

/// <summary>One active blocked key as the engine matches it.</summary>
public sealed record BlockedKey(Guid EntryId, LinkKind Kind, string KeyHash, DateTimeOffset Until);

/// <summary>The blocked keys an application carries, and the signal they raise (none when it carries none).</summary>
public sealed record BlocklistMatch(IReadOnlyList<BlockedKey> Keys, FraudSignal? Signal)
{
    public static BlocklistMatch None { get; } = new([], null);
}

/// <summary>
/// The active blocklist as one immutable snapshot: the writer swaps in a new one when an entry is added or lifted, and
/// reads it without locks. Expiry needs no swap: a key matches only applications received before its end.
/// </summary>
public sealed class Blocklist
{
    private readonly Dictionary<(LinkKind, string), BlockedKey> keys = [];

    public static Blocklist Empty { get; } = new([]);

    public Blocklist(IEnumerable<BlockedKey> blocked)
    {
        // A key blocked twice blocks until the later end; the stop counts towards that entry.
        foreach (var key in blocked)
        {
            if (!keys.TryGetValue((key.Kind, key.KeyHash), out var known) || known.Until < key.Until) keys[(key.Kind, key.KeyHash)] = key;
        }
    }

    public int Count => keys.Count;

    /// <summary>
    /// The blocked national ID, phone and device of <paramref name="application"/>, and the signal: a reject, or a
    /// review when <see cref="FraudPolicy.BlocklistedToReview"/> says so.
    /// </summary>
    public BlocklistMatch Check(ApplicationFingerprint application, FraudPolicy policy)
    {
        if (keys.Count == 0) return BlocklistMatch.None;
        var matched = new List<BlockedKey>(3);
        foreach (var (kind, hash) in (ReadOnlySpan<(LinkKind, string)>)[(LinkKind.NationalId, application.IdentityHash), (LinkKind.Phone, application.PhoneHash), (LinkKind.Device, application.DeviceHash)])
        {
            if (keys.TryGetValue((kind, hash), out var key) && application.ReceivedAt < key.Until) matched.Add(key);
        }
        if (matched.Count == 0) return BlocklistMatch.None;
        var what = string.Join(" and ", matched.Select(k => Describe(k.Kind)));
        var until = matched.Max(k => k.Until);
        var signal = new FraudSignal(FraudSignal.Blocklisted, policy.BlocklistedToReview ? SignalSeverity.Review : SignalSeverity.Reject,
            Invariant($"The applicant's {what} {(matched.Count == 1 ? "is" : "are")} on the blocklist until {until.ToOffset(BusinessDay.ChinaStandardTime):yyyy-MM-dd}."));
        return new BlocklistMatch(matched, signal);
    }

    private static string Describe(LinkKind kind) => kind switch
    {
        LinkKind.NationalId => "national ID",
        LinkKind.Phone => "phone",
        _ => "device",
    };
}
