using LoanHub.Core.Engine;
using Microsoft.Extensions.Time.Testing;
using static LoanHub.Tests.Core.Engine.EngineFixtures;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

public class FraudIndexTests
{
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly FraudIndex _index = new();

    private DateTimeOffset Clock => _clock.GetUtcNow();

    private static IEnumerable<string> Codes(FraudFindings findings) => findings.Signals.Select(s => s.Code);

    private ApplicationFingerprint AddAndRoute(string identity)
    {
        var application = Fingerprint(identity, at: Clock);
        _index.Add(application);
        _index.MarkRouted(identity, application.ApplicationId, Clock);
        return application;
    }

    [Fact]
    public void Same_national_id_routed_within_30_days_is_a_duplicate()
    {
        AddAndRoute("id-1");
        _clock.Advance(TimeSpan.FromDays(29));

        var findings = _index.CheckHistory(Fingerprint("id-1", at: Clock));

        Assert.True(findings.IsDuplicate);
        Assert.Contains(FraudSignal.Duplicate, Codes(findings));
    }

    [Fact]
    public void Same_national_id_routed_more_than_30_days_ago_is_not_a_duplicate()
    {
        AddAndRoute("id-1");
        _clock.Advance(TimeSpan.FromDays(30));

        Assert.False(_index.CheckHistory(Fingerprint("id-1", at: Clock)).IsDuplicate);
    }

    [Fact]
    public void Same_national_id_seen_but_never_routed_is_not_a_duplicate()
    {
        _index.Add(Fingerprint("id-1", at: Clock));

        Assert.False(_index.CheckHistory(Fingerprint("id-1", at: Clock)).IsDuplicate);
    }

    [Fact]
    public void Rechecking_the_routed_application_itself_is_not_a_duplicate()
    {
        var routed = AddAndRoute("id-1");

        Assert.False(_index.CheckHistory(routed).IsDuplicate);
    }

    [Fact]
    public void Third_national_id_on_one_device_within_7_days_is_DEVICE_SHARED_but_the_second_is_not()
    {
        _index.Add(Fingerprint("id-1", device: "dev", at: Clock));
        _clock.Advance(TimeSpan.FromDays(3));
        Assert.DoesNotContain(FraudSignal.DeviceShared, Codes(_index.CheckHistory(Fingerprint("id-2", device: "dev", at: Clock))));
        _index.Add(Fingerprint("id-2", device: "dev", at: Clock));
        _clock.Advance(TimeSpan.FromDays(3));

        var findings = _index.CheckHistory(Fingerprint("id-3", device: "dev", at: Clock));

        var signal = Assert.Single(findings.Signals, s => s.Code == FraudSignal.DeviceShared);
        Assert.Equal(SignalSeverity.Review, signal.Severity);
        Assert.Equal("3 national IDs used this device within 7 days.", signal.Detail);
    }

    [Fact]
    public void Device_uses_older_than_7_days_do_not_count()
    {
        _index.Add(Fingerprint("id-1", device: "dev", at: Clock));
        _clock.Advance(TimeSpan.FromDays(1));
        _index.Add(Fingerprint("id-2", device: "dev", at: Clock));
        _clock.Advance(TimeSpan.FromDays(6));

        Assert.DoesNotContain(FraudSignal.DeviceShared, Codes(_index.CheckHistory(Fingerprint("id-3", device: "dev", at: Clock))));
    }

    [Fact]
    public void The_same_national_id_again_on_a_device_is_not_sharing()
    {
        _index.Add(Fingerprint("id-1", device: "dev", at: Clock));
        _index.Add(Fingerprint("id-1", device: "dev", at: Clock));

        Assert.DoesNotContain(FraudSignal.DeviceShared, Codes(_index.CheckHistory(Fingerprint("id-2", device: "dev", at: Clock))));
    }

    [Fact]
    public void Second_national_id_on_one_phone_is_PHONE_SHARED_at_any_distance_in_time()
    {
        _index.Add(Fingerprint("id-1", phone: "ph", at: Clock));
        _clock.Advance(TimeSpan.FromDays(200));

        Assert.Contains(FraudSignal.PhoneShared, Codes(_index.CheckHistory(Fingerprint("id-2", phone: "ph", at: Clock))));
        Assert.DoesNotContain(FraudSignal.PhoneShared, Codes(_index.CheckHistory(Fingerprint("id-1", phone: "ph", at: Clock))));
    }

    [Fact]
    public void Twentieth_application_from_one_IP_within_an_hour_is_IP_VELOCITY_and_the_nineteenth_is_not()
    {
        for (var i = 0; i < 18; i++)
        {
            _index.Add(Fingerprint($"id-{i}", ip: "1.2.3.4", at: Clock));
            _clock.Advance(TimeSpan.FromMinutes(3));
        }
        Assert.DoesNotContain(FraudSignal.IpVelocity, Codes(_index.CheckHistory(Fingerprint("id-x", ip: "1.2.3.4", at: Clock))));
        _index.Add(Fingerprint("id-18", ip: "1.2.3.4", at: Clock));

        var findings = _index.CheckHistory(Fingerprint("id-19", ip: "1.2.3.4", at: Clock));

        Assert.Equal("20 applications came from this IP address within 1 hour.", Assert.Single(findings.Signals, s => s.Code == FraudSignal.IpVelocity).Detail);
        Assert.DoesNotContain(FraudSignal.IpVelocity, Codes(_index.CheckHistory(Fingerprint("id-19", ip: "5.6.7.8", at: Clock))));
    }

    [Fact]
    public void IP_applications_older_than_an_hour_do_not_count()
    {
        for (var i = 0; i < 19; i++) _index.Add(Fingerprint($"id-{i}", ip: "1.2.3.4", at: Clock));
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.DoesNotContain(FraudSignal.IpVelocity, Codes(_index.CheckHistory(Fingerprint("id-19", ip: "1.2.3.4", at: Clock))));
    }

    [Fact]
    public void Three_national_ids_chained_by_a_phone_and_a_device_form_a_ring_with_its_links()
    {
        var first = Fingerprint("id-1", phone: "ph-A", at: Clock);
        var second = Fingerprint("id-2", phone: "ph-A", device: "dev-B", at: Clock.AddMinutes(1));
        _index.Add(first);
        _index.Add(second);
        var third = Fingerprint("id-3", device: "dev-B", at: Clock.AddMinutes(2));

        var findings = _index.CheckHistory(third);

        Assert.Contains(FraudSignal.Ring, Codes(findings));
        var cluster = Assert.IsType<FraudCluster>(findings.Cluster);
        Assert.Equal(first.ApplicationId.Value, cluster.ClusterId);
        Assert.Equal(3, cluster.DistinctIdentities);
        Assert.Equal([first.ApplicationId, second.ApplicationId, third.ApplicationId], cluster.Members.Select(m => m.ApplicationId));
        Assert.Collection(cluster.Links,
            phone =>
            {
                Assert.Equal(LinkKind.Phone, phone.Kind);
                Assert.Equal([first.ApplicationId, second.ApplicationId], phone.Applications);
            },
            device =>
            {
                Assert.Equal(LinkKind.Device, device.Kind);
                Assert.Equal([second.ApplicationId, third.ApplicationId], device.Applications);
            });
    }

    [Fact]
    public void Two_linked_national_ids_are_not_a_ring()
    {
        _index.Add(Fingerprint("id-1", phone: "ph-A", at: Clock));

        var findings = _index.CheckHistory(Fingerprint("id-2", phone: "ph-A", at: Clock));

        Assert.Null(findings.Cluster);
        Assert.DoesNotContain(FraudSignal.Ring, Codes(findings));
    }

    [Fact]
    public void Many_applications_of_one_national_id_are_not_a_ring()
    {
        for (var i = 0; i < 5; i++) _index.Add(Fingerprint("id-1", phone: $"ph-{i}", device: "dev", at: Clock));

        Assert.Null(_index.CheckHistory(Fingerprint("id-1", device: "dev", at: Clock)).Cluster);
    }

    [Fact]
    public void Every_member_of_a_ring_reports_the_same_ring()
    {
        var members = new[]
        {
            Fingerprint("id-1", phone: "ph", at: Clock),
            Fingerprint("id-2", phone: "ph", device: "dev", at: Clock.AddSeconds(1)),
            Fingerprint("id-3", device: "dev", at: Clock.AddSeconds(2)),
        };
        foreach (var member in members) _index.Add(member);

        var clusters = members.Select(m => _index.ClusterOf(m.ApplicationId)).ToArray();

        Assert.All(clusters, c => Assert.Equal(members[0].ApplicationId.Value, c?.ClusterId));
        Assert.All(members, m => Assert.Contains(FraudSignal.Ring, Codes(_index.CheckHistory(m))));
    }

    [Fact]
    public void Ring_id_does_not_depend_on_the_order_history_was_loaded_in()
    {
        var members = new[]
        {
            Fingerprint("id-1", phone: "ph", at: Clock),
            Fingerprint("id-2", phone: "ph", device: "dev", at: Clock.AddSeconds(1)),
            Fingerprint("id-3", device: "dev", at: Clock.AddSeconds(2)),
        };
        var reversed = new FraudIndex();
        foreach (var member in members.Reverse()) reversed.Add(member);

        Assert.Equal(members[0].ApplicationId.Value, reversed.ClusterOf(members[2].ApplicationId)?.ClusterId);
    }

    [Fact]
    public void Merged_rings_keep_the_older_rings_id()
    {
        ApplicationFingerprint[] older =
            [.. Enumerable.Range(1, 3).Select(i => Fingerprint($"a{i}", phone: "p-old", at: Clock.AddSeconds(i)))];
        ApplicationFingerprint[] newer =
            [.. Enumerable.Range(1, 3).Select(i => Fingerprint($"b{i}", phone: "p-new", device: $"dev-b{i}", at: Clock.AddDays(1).AddSeconds(i)))];
        foreach (var application in older.Concat(newer)) _index.Add(application);
        Assert.Equal(newer[0].ApplicationId.Value, _index.ClusterOf(newer[2].ApplicationId)?.ClusterId);

        _index.Add(Fingerprint("c1", phone: "p-old", device: "dev-b1", at: Clock.AddDays(2)));

        var merged = _index.ClusterOf(newer[2].ApplicationId);
        Assert.Equal(older[0].ApplicationId.Value, merged?.ClusterId);
        Assert.Equal(7, merged?.DistinctIdentities);
    }

    [Fact]
    public void Adding_the_same_application_twice_counts_it_once()
    {
        var application = Fingerprint("id-1", ip: "1.2.3.4", at: Clock);

        Assert.True(_index.Add(application));
        Assert.False(_index.Add(application));
        Assert.Equal(1, _index.ApplicationCount);
    }

    [Fact]
    public void Prune_drops_expired_windows_but_keeps_rings_and_phone_links()
    {
        _index.Add(Fingerprint("id-1", phone: "ph", device: "dev", ip: "1.2.3.4", at: Clock));
        _index.MarkRouted("id-1", ApplicationId.New(), Clock);
        _index.Add(Fingerprint("id-2", phone: "ph", device: "dev", ip: "1.2.3.4", at: Clock));
        _index.Add(Fingerprint("id-3", device: "dev", at: Clock));
        _clock.Advance(TimeSpan.FromDays(31));

        var dropped = _index.Prune(Clock);
        var later = _index.CheckHistory(Fingerprint("id-1", phone: "ph", device: "dev", at: Clock));

        Assert.Equal(1 + 3 + 3, dropped);
        Assert.Equal(0, _index.Prune(Clock));
        Assert.False(later.IsDuplicate);
        Assert.DoesNotContain(FraudSignal.DeviceShared, Codes(later));
        Assert.Contains(FraudSignal.PhoneShared, Codes(later));
        Assert.Equal(3, later.Cluster?.DistinctIdentities);
    }

    [Fact]
    public void Thresholds_come_from_the_policy()
    {
        var strict = new FraudIndex(FraudPolicy.Default with { DeviceSharedMinIdentities = 2, RingMinIdentities = 2 });
        strict.Add(Fingerprint("id-1", device: "dev", at: Clock));

        var findings = strict.CheckHistory(Fingerprint("id-2", device: "dev", at: Clock));

        Assert.Contains(FraudSignal.DeviceShared, Codes(findings));
        Assert.Contains(FraudSignal.Ring, Codes(findings));
    }

    [Fact]
    public void Check_adds_the_applicant_checks_as_of_the_China_business_day_received()
    {
        // 17:00 UTC on 14 June is already 15 June in China: the applicant turns 18 that day.
        var received = new DateTimeOffset(2025, 6, 14, 17, 0, 0, TimeSpan.Zero);
        var turning18 = Applicant(birthDate: new DateOnly(2007, 6, 15));

        Assert.Empty(_index.Check(Fingerprint("id-1", at: received), turning18).Signals);
        Assert.Contains(FraudSignal.Underage, Codes(_index.Check(Fingerprint("id-1", at: received.AddHours(-2)), turning18)));
    }
}

public class ApplicantChecksTests
{
    [Fact]
    public void Applicant_a_day_short_of_18_is_rejected_as_UNDERAGE()
    {
        var signals = ApplicantChecks.Run(Applicant(birthDate: Today.AddYears(-18).AddDays(1)), Today, FraudPolicy.Default);

        var signal = Assert.Single(signals);
        Assert.Equal((FraudSignal.Underage, SignalSeverity.Reject), (signal.Code, signal.Severity));
    }

    [Fact]
    public void Applicant_on_their_18th_birthday_is_of_age() =>
        Assert.Empty(ApplicantChecks.Run(Applicant(birthDate: Today.AddYears(-18)), Today, FraudPolicy.Default));

    [Theory]
    [InlineData(30_000, false)]
    [InlineData(30_000.01, true)]
    public void Amount_above_30_months_of_income_is_reviewed(decimal amount, bool flagged)
    {
        var signals = ApplicantChecks.Run(Applicant(monthlyIncome: 1_000m, requestedAmount: amount), Today, FraudPolicy.Default);

        Assert.Equal(flagged, signals.Any(s => s.Code == FraudSignal.AmountToIncome && s.Severity == SignalSeverity.Review));
    }
}
