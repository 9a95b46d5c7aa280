using System.Security.Cryptography;
using System.Text;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

/// <summary>
/// The index keeps keyed hashes in lowercase hex as their bits and any other key as its string: the store's 64-character
/// hashes and the backtest's 16-character prefixes must find exactly what the same keys written as plain strings find.
/// </summary>
public class FraudIndexKeysTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public enum Spelling { Plain, Hex16, Hex64 }

    private sealed record Draw(Guid Id, int Identity, int Phone, int Device, int Ip, int Minute, bool Routed);

    private static string Key(Spelling spelling, string kind, int number) => spelling switch
    {
        Spelling.Plain => $"{kind}-{number}",
        Spelling.Hex16 => Hex(kind, number)[..16],
        _ => Hex(kind, number),
    };

    private static string Hex(string kind, int number) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}-{number}")));

    private static ApplicationFingerprint Spelled(Draw draw, Spelling spelling) => new(new ApplicationId(draw.Id),
        Key(spelling, "id", draw.Identity), Key(spelling, "phone", draw.Phone), Key(spelling, "device", draw.Device), Key(spelling, "ip", draw.Ip),
        Start.AddMinutes(draw.Minute));

    // Key pools wide enough that most keys are new (the tables grow while a group is recorded) and narrow enough that
    // phones, devices and IPs are shared and rings form and merge.
    private static List<Draw> Draws(Random random, int from, int count) => [.. Enumerable.Range(from, count).Select(minute => new Draw(
        new Guid(random.Next(), 0, 0, new byte[8]), random.Next(900), random.Next(500), random.Next(500), random.Next(15), minute, random.Next(3) == 0))];

    private static string Describe(FraudIndex index, IEnumerable<ApplicationFingerprint> probes) => string.Join("\n", probes.Select(p =>
    {
        var findings = index.CheckHistory(p);
        var cluster = findings.Cluster is { } c
            ? $"{c.ClusterId}:{c.DistinctIdentities}:{string.Join(",", c.Members.Select(m => m.ApplicationId))}|" +
              string.Join(";", c.Links.Select(l => $"{l.Kind}={string.Join(",", l.Applications)}"))
            : "-";
        return $"{string.Join(",", findings.Signals.Select(s => s.Code + "/" + s.Detail))} {cluster}";
    }));

    private static void Feed(FraudIndex index, IEnumerable<Draw> draws, Spelling spelling)
    {
        foreach (var draw in draws)
        {
            var application = Spelled(draw, spelling);
            index.Add(application);
            if (draw.Routed) index.MarkRouted(application.IdentityHash, application.ApplicationId, application.ReceivedAt);
        }
    }

    [Theory]
    [InlineData(Spelling.Hex16, 1)]
    [InlineData(Spelling.Hex16, 2)]
    [InlineData(Spelling.Hex64, 3)]
    [InlineData(Spelling.Hex64, 4)]
    public void Hex_keyed_hashes_find_what_plain_keys_find_and_roll_back_exactly(Spelling spelling, int seed)
    {
        var random = new Random(seed);
        var history = Draws(random, 0, 300);
        var group = Draws(random, 300, 300);
        var probes = Draws(random, 700, 120);
        var plain = new FraudIndex(FraudPolicy.Default with { IpVelocityMinApplications = 4 });
        var hex = new FraudIndex(plain.Policy);
        var undo = new UndoLog();
        hex.RecordChangesIn(undo);
        Feed(plain, history, Spelling.Plain);
        Feed(hex, history, spelling);
        string Plain() => Describe(plain, probes.Select(p => Spelled(p, Spelling.Plain)));
        string Hex() => Describe(hex, probes.Select(p => Spelled(p, spelling)));
        var before = Hex();
        Assert.Equal(Plain(), before);
        Assert.Contains("RING", before);

        undo.Open();
        Feed(hex, group, spelling);
        var withGroup = Hex();
        Assert.NotEqual(before, withGroup);
        undo.RollBack();
        Assert.Equal(before, Hex());
        Assert.Equal(300, hex.ApplicationCount);

        Feed(hex, group, spelling);
        Feed(plain, group, Spelling.Plain);
        Assert.Equal(withGroup, Hex());
        Assert.Equal(Plain(), withGroup);
        Assert.Equal(plain.Prune(Start.AddDays(3)), hex.Prune(Start.AddDays(3)));
        Assert.Equal(Plain(), Hex());
    }

    [Fact]
    public void Keys_that_differ_only_in_case_or_in_length_are_different_keys()
    {
        var index = new FraudIndex(FraudPolicy.Default with { DeviceSharedMinIdentities = 2 });
        const string lower = "00000000000000ab";
        index.Add(Fingerprint(lower, device: "0123456789abcdef", at: Start));
        Assert.Empty(index.CheckHistory(Fingerprint(lower, device: "0123456789abcdef", at: Start)).Signals);

        index.Add(Fingerprint(lower.ToUpperInvariant(), device: "0123456789abcdef", at: Start));
        index.Add(Fingerprint("000000000000000000000000000000ab", device: "0123456789abcdef", at: Start));
        var findings = index.CheckHistory(Fingerprint(lower + lower, device: "0123456789abcdef", at: Start));

        Assert.Equal("4 national IDs used this device within 7 days.", Assert.Single(findings.Signals, s => s.Code == FraudSignal.DeviceShared).Detail);
        var upperDevice = index.CheckHistory(Fingerprint(lower, device: "0123456789ABCDEF", at: Start));
        Assert.DoesNotContain(upperDevice.Signals, s => s.Code == FraudSignal.DeviceShared);
    }
}
