using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;

namespace LoanHub.Tests.Core.Engine;

public class BlocklistTests
{
    private static readonly Guid Entry = Guid.NewGuid();

    private static Blocklist Blocking(LinkKind kind, string hash, DateTimeOffset until) => new([new BlockedKey(Entry, kind, hash, until)]);

    [Fact]
    public void A_blocked_device_matches_an_applicant_received_before_its_end_and_not_after()
    {
        var blocklist = Blocking(LinkKind.Device, "dev-1", Now.AddDays(1));

        var before = blocklist.Check(Fingerprint("id-1", device: "dev-1", at: Now), FraudPolicy.Default);
        var after = blocklist.Check(Fingerprint("id-2", device: "dev-1", at: Now.AddDays(1)), FraudPolicy.Default);

        Assert.Equal([Entry], before.Keys.Select(k => k.EntryId));
        Assert.Equal(FraudSignal.Blocklisted, before.Signal?.Code);
        Assert.Equal(SignalSeverity.Reject, before.Signal?.Severity);
        Assert.Equal("The applicant's device is on the blocklist until 2025-06-16.", before.Signal?.Detail);
        Assert.Same(BlocklistMatch.None, after);
    }

    [Theory]
    [InlineData(LinkKind.NationalId)]
    [InlineData(LinkKind.Phone)]
    [InlineData(LinkKind.Device)]
    public void Each_kind_of_key_matches_only_its_own_field(LinkKind kind)
    {
        var blocklist = Blocking(kind, "key", Now.AddDays(30));
        var carrying = kind switch
        {
            LinkKind.NationalId => Fingerprint("key"),
            LinkKind.Phone => Fingerprint("id", phone: "key"),
            _ => Fingerprint("id", device: "key"),
        };
        // The same hash in another field is another key: a phone hash never blocks a device.
        var elsewhere = kind == LinkKind.Device ? Fingerprint("key") : Fingerprint("id", device: "key");

        Assert.NotNull(blocklist.Check(carrying, FraudPolicy.Default).Signal);
        Assert.Null(blocklist.Check(elsewhere, FraudPolicy.Default).Signal);
    }

    [Fact]
    public void A_key_blocked_twice_blocks_until_the_later_end()
    {
        var later = Guid.NewGuid();
        var blocklist = new Blocklist([new BlockedKey(Entry, LinkKind.Phone, "p", Now.AddDays(1)), new BlockedKey(later, LinkKind.Phone, "p", Now.AddDays(9))]);

        var match = blocklist.Check(Fingerprint("id", phone: "p", at: Now.AddDays(5)), FraudPolicy.Default);

        Assert.Equal([later], match.Keys.Select(k => k.EntryId));
    }

    [Fact]
    public void A_blocklisted_applicant_is_rejected_and_with_the_review_switch_held_for_review()
    {
        var blocklist = Blocking(LinkKind.NationalId, "id", Now.AddDays(180));
        var score = new ScoreResult(700, RiskTier.A, [], "test", []);

        var rejected = DecisionPolicy.Default.Decide(score, FraudFindings.None.With([blocklist.Check(Fingerprint("id"), FraudPolicy.Default).Signal!]));
        var reviewed = DecisionPolicy.Default.Decide(score,
            FraudFindings.None.With([blocklist.Check(Fingerprint("id"), FraudPolicy.Default with { BlocklistedToReview = true }).Signal!]));

        Assert.Equal(Decision.Reject, rejected.Decision);
        Assert.Equal([FraudSignal.Blocklisted], rejected.Because);
        Assert.Equal(Decision.Review, reviewed.Decision);
        Assert.Equal([FraudSignal.Blocklisted], reviewed.Because);
    }

    [Fact]
    public void An_applicant_carrying_no_blocked_key_raises_nothing()
    {
        var blocklist = Blocking(LinkKind.Device, "dev-1", Now.AddDays(1));

        Assert.Same(BlocklistMatch.None, blocklist.Check(Fingerprint("id", device: "dev-2"), FraudPolicy.Default));
        Assert.Same(BlocklistMatch.None, Blocklist.Empty.Check(Fingerprint("id"), FraudPolicy.Default));
    }
}
