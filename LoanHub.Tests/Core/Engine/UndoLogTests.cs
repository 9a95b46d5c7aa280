using LoanHub.Core.Engine;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

/// <summary>What the writer relies on after a failed commit: rolling back leaves the engine's state exactly as it was.</summary>
public class UndoLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    // Keys few enough that applications share phones and devices and rings form, many enough that a group still merges rings.
    private static ApplicationFingerprint Random(Random random, int minute) => new(
        new ApplicationId(new Guid(random.Next(), 0, 0, new byte[8])),
        $"id-{random.Next(400)}", $"phone-{random.Next(250)}", $"device-{random.Next(250)}", $"ip-{random.Next(10)}",
        Start.AddMinutes(minute));

    private static string Describe(FraudIndex index, IEnumerable<ApplicationFingerprint> probes) => string.Join("\n", probes.Select(p =>
    {
        var findings = index.CheckHistory(p);
        var cluster = findings.Cluster is { } c ? $"{c.ClusterId}:{c.DistinctIdentities}:{string.Join(",", c.Members.Select(m => m.ApplicationId))}" : "-";
        return $"{string.Join(",", findings.Signals.Select(s => s.Code + "/" + s.Detail))} {cluster}";
    }));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Rolling_back_a_group_leaves_every_fraud_finding_as_it_was_and_the_group_can_be_decided_again(int seed)
    {
        var random = new Random(seed);
        var index = new FraudIndex();
        var history = Enumerable.Range(0, 300).Select(i => Random(random, i)).ToList();
        foreach (var application in history)
        {
            index.Add(application);
            if (random.Next(3) == 0) index.MarkRouted(application.IdentityHash, application.ApplicationId, application.ReceivedAt);
        }
        var undo = new UndoLog();
        index.RecordChangesIn(undo);
        var probes = Enumerable.Range(400, 80).Select(i => Random(random, i)).ToList();
        var before = Describe(index, probes);

        var group = Enumerable.Range(300, 60).Select(i => Random(random, i)).ToList();
        undo.Open();
        foreach (var application in group)
        {
            index.Add(application);
            index.MarkRouted(application.IdentityHash, application.ApplicationId, application.ReceivedAt);
        }
        var withGroup = Describe(index, probes);
        Assert.NotEqual(before, withGroup);
        undo.RollBack();

        Assert.Equal(before, Describe(index, probes));
        Assert.Equal(300, index.ApplicationCount);
        // Decided again, the same group leaves the index as it left it the first time.
        foreach (var application in group)
        {
            index.Add(application);
            index.MarkRouted(application.IdentityHash, application.ApplicationId, application.ReceivedAt);
        }
        Assert.Equal(withGroup, Describe(index, probes));
    }

    [Fact]
    public void Nothing_is_recorded_while_the_log_is_closed()
    {
        var undo = new UndoLog();
        var value = 0;
        undo.Add(() => value = -1);
        undo.RollBack();
        Assert.Equal(0, value);

        undo.Open();
        undo.Add(() => value = 1);
        undo.Close();
        undo.RollBack();
        Assert.Equal(0, value);
    }
}
