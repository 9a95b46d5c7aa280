using LoanHub.Core.Domain;
using LoanHub.Core.Engine;
using static LoanHub.Tests.Core.Engine.EngineFixtures;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Engine;

public class FraudSignalDetailTests
{
    private static FraudSignal Signal(FraudFindings findings, string code) => Assert.Single(findings.Signals, s => s.Code == code);

    [Fact]
    public void A_duplicate_names_when_the_same_id_was_routed_and_the_lookback()
    {
        var index = new FraudIndex();
        var first = Fingerprint("id-1", at: Now);
        index.Add(first);
        index.MarkRouted("id-1", first.ApplicationId, Now);
        var signal = Signal(index.CheckHistory(Fingerprint("id-1", at: Now.AddDays(1))), FraudSignal.Duplicate);
        Assert.Equal(SignalSeverity.Duplicate, signal.Severity);
        Assert.Equal("The same national ID was routed on 2025-06-15 10:00 +08:00 (within 30 days).", signal.Detail);
    }

    [Fact]
    public void Shared_device_and_phone_say_how_many_ids_and_within_what()
    {
        var index = new FraudIndex(FraudPolicy.Default with { DeviceWindow = TimeSpan.FromDays(1) });
        index.Add(Fingerprint("id-1", phone: "ph", device: "dev", at: Now));
        index.Add(Fingerprint("id-2", phone: "ph", device: "dev", at: Now));
        var findings = index.CheckHistory(Fingerprint("id-3", phone: "ph", device: "dev", at: Now));
        Assert.Equal("3 national IDs used this device within 1 day.", Signal(findings, FraudSignal.DeviceShared).Detail);
        Assert.Equal("3 national IDs used this phone number.", Signal(findings, FraudSignal.PhoneShared).Detail);
        Assert.Equal(SignalSeverity.Review, Signal(findings, FraudSignal.PhoneShared).Severity);
    }

    [Theory]
    [InlineData(60, "1 hour")]
    [InlineData(180, "3 hours")]
    [InlineData(90, "90 minutes")]
    [InlineData(1, "1 minute")]
    [InlineData(2880, "2 days")]
    [InlineData(2160, "36 hours")]
    public void Windows_are_described_in_whole_days_hours_or_minutes(int minutes, string described)
    {
        var index = new FraudIndex(FraudPolicy.Default with { IpWindow = TimeSpan.FromMinutes(minutes), IpVelocityMinApplications = 2 });
        index.Add(Fingerprint("id-1", ip: "ip", at: Now));
        var signal = Signal(index.CheckHistory(Fingerprint("id-2", ip: "ip", at: Now)), FraudSignal.IpVelocity);
        Assert.Equal($"2 applications came from this IP address within {described}.", signal.Detail);
    }

    [Fact]
    public void A_ring_names_how_many_others_and_ids_it_links()
    {
        var index = new FraudIndex();
        var first = Fingerprint("id-1", phone: "ph", at: Now);
        index.Add(first);
        index.Add(Fingerprint("id-2", phone: "ph", device: "dev", at: Now.AddMinutes(1)));
        var findings = index.CheckHistory(Fingerprint("id-3", device: "dev", at: Now.AddMinutes(2)));
        var signal = Signal(findings, FraudSignal.Ring);
        Assert.Equal($"Linked by shared phone, device or ID to 2 other applications (3 national IDs); ring {first.ApplicationId.Value}.", signal.Detail);
        Assert.Equal(first.ApplicationId.Value, findings.Cluster!.ClusterId);
    }

    [Fact]
    public void The_applicant_checks_explain_age_and_amount()
    {
        var signals = ApplicantChecks.Run(Applicant(birthDate: Today.AddYears(-17), monthlyIncome: 1_000m, requestedAmount: 40_000m), Today, FraudPolicy.Default);
        Assert.Equal(
            ["The ID's birth date makes the applicant 17, under 18.", "The requested amount is more than 30 times the declared monthly income."],
            signals.Select(s => s.Detail));
    }

    [Fact]
    public void The_longest_window_bounds_what_pruning_keeps()
    {
        Assert.Equal(TimeSpan.FromDays(30), FraudPolicy.Default.LongestWindow);
        Assert.Equal(TimeSpan.FromDays(40), (FraudPolicy.Default with { DeviceWindow = TimeSpan.FromDays(40) }).LongestWindow);
        Assert.Equal(TimeSpan.FromDays(50), (FraudPolicy.Default with { IpWindow = TimeSpan.FromDays(50) }).LongestWindow);
    }

    [Fact]
    public void Findings_add_more_signals_and_know_a_duplicate()
    {
        var review = new FraudSignal(FraudSignal.PhoneShared, SignalSeverity.Review, "x");
        var duplicate = new FraudSignal(FraudSignal.Duplicate, SignalSeverity.Duplicate, "y");
        var findings = FraudFindings.None.With([review]);
        Assert.False(findings.IsDuplicate);
        Assert.True(findings.With([duplicate]).IsDuplicate);
        Assert.Equal([review, duplicate], findings.With([duplicate]).Signals);
        Assert.Empty(FraudFindings.None.Signals);
    }
}

public class FraudIndexWindowTests
{
    [Fact]
    public void A_later_route_of_the_same_id_replaces_an_earlier_one_but_not_the_reverse()
    {
        var index = new FraudIndex();
        var early = ApplicationId.New();
        var late = ApplicationId.New();
        index.MarkRouted("id-1", late, Now.AddDays(10));
        index.MarkRouted("id-1", early, Now);
        // Still counted from day 10: a check on day 35 is within 30 days of it.
        Assert.True(index.CheckHistory(Fingerprint("id-1", at: Now.AddDays(35))).IsDuplicate);
        Assert.False(index.CheckHistory(Fingerprint("id-1", at: Now.AddDays(40))).IsDuplicate);
        // The routed application itself is no duplicate of itself.
        Assert.False(index.CheckHistory(Fingerprint("id-1", at: Now.AddDays(11), id: late)).IsDuplicate);
    }

    [Fact]
    public void Routing_rolled_back_forgets_the_route_or_restores_the_earlier_one()
    {
        var index = new FraudIndex();
        var undo = new UndoLog();
        index.RecordChangesIn(undo);
        index.MarkRouted("id-1", ApplicationId.New(), Now);
        undo.Open();
        index.MarkRouted("id-1", ApplicationId.New(), Now.AddDays(20));
        index.MarkRouted("id-2", ApplicationId.New(), Now.AddDays(20));
        undo.RollBack();
        Assert.False(index.CheckHistory(Fingerprint("id-1", at: Now.AddDays(31))).IsDuplicate);
        Assert.False(index.CheckHistory(Fingerprint("id-2", at: Now.AddDays(21))).IsDuplicate);
    }

    [Fact]
    public void Device_and_ip_uses_expire_exactly_at_the_end_of_their_window()
    {
        var policy = FraudPolicy.Default with { DeviceSharedMinIdentities = 2, IpVelocityMinApplications = 2 };
        var index = new FraudIndex(policy);
        index.Add(Fingerprint("id-1", device: "dev", ip: "ip", at: Now));
        var justInside = index.CheckHistory(Fingerprint("id-2", device: "dev", ip: "ip", at: Now.AddHours(1).AddTicks(-1)));
        Assert.Contains(justInside.Signals, s => s.Code == FraudSignal.IpVelocity);
        var atEnd = index.CheckHistory(Fingerprint("id-2", device: "dev", ip: "ip", at: Now.AddHours(1)));
        Assert.DoesNotContain(atEnd.Signals, s => s.Code == FraudSignal.IpVelocity);
        Assert.Contains(atEnd.Signals, s => s.Code == FraudSignal.DeviceShared);
        var deviceEnd = index.CheckHistory(Fingerprint("id-2", device: "dev", at: Now.AddDays(7)));
        Assert.DoesNotContain(deviceEnd.Signals, s => s.Code == FraudSignal.DeviceShared);
    }

    [Fact]
    public void Adding_drops_uses_that_fell_out_of_the_window_so_pruning_finds_only_the_rest()
    {
        var index = new FraudIndex();
        index.Add(Fingerprint("id-1", device: "dev", ip: "ip", at: Now));
        index.Add(Fingerprint("id-2", device: "dev", ip: "ip", at: Now.AddDays(8)));
        // The first device and IP uses went when the second was added; pruning at day 9 drops only the second's IP use.
        Assert.Equal(1, index.Prune(Now.AddDays(9)));
        Assert.Equal(2, index.ApplicationCount);
    }

    [Fact]
    public void Pruning_keeps_a_route_until_the_lookback_has_passed()
    {
        var index = new FraudIndex();
        index.MarkRouted("id-1", ApplicationId.New(), Now);
        Assert.Equal(0, index.Prune(Now.AddDays(30).AddTicks(-1)));
        Assert.Equal(1, index.Prune(Now.AddDays(30)));
    }

    [Fact]
    public void Adding_the_same_application_twice_is_refused_the_second_time()
    {
        var index = new FraudIndex();
        var application = Fingerprint("id-1", at: Now);
        Assert.True(index.Add(application));
        Assert.False(index.Add(application));
        Assert.Equal(1, index.ApplicationCount);
        Assert.Same(FraudPolicy.Default, new FraudIndex().Policy);
    }

    [Fact]
    public void A_rolled_back_add_leaves_no_trace_in_device_ip_or_phone_counts()
    {
        var policy = FraudPolicy.Default with { DeviceSharedMinIdentities = 2, IpVelocityMinApplications = 2, PhoneSharedMinIdentities = 2 };
        var index = new FraudIndex(policy);
        var undo = new UndoLog();
        index.RecordChangesIn(undo);
        var zero = Fingerprint("id-0", device: "dev", ip: "ip", phone: "ph", at: Now);
        index.Add(zero);
        undo.Open();
        index.Add(Fingerprint("id-1", device: "dev", ip: "ip", phone: "ph", at: Now));
        index.Add(Fingerprint("id-2", device: "dev-2", ip: "ip-2", phone: "ph-2", at: Now));
        undo.RollBack();
        Assert.Empty(index.CheckHistory(zero).Signals);
        Assert.Empty(index.CheckHistory(Fingerprint("id-3", device: "dev-2", ip: "ip-2", phone: "ph-2", at: Now)).Signals);
        Assert.Equal(1, index.ApplicationCount);
    }

    [Fact]
    public void The_ring_of_an_application_in_the_index_is_found_by_its_id()
    {
        var index = new FraudIndex();
        var a = Fingerprint("id-1", phone: "ph", at: Now);
        index.Add(a);
        index.Add(Fingerprint("id-2", phone: "ph", device: "dev", at: Now));
        Assert.Null(index.ClusterOf(a.ApplicationId));
        index.Add(Fingerprint("id-3", device: "dev", at: Now));
        var ring = index.ClusterOf(a.ApplicationId);
        Assert.Equal((3, 3), (ring!.DistinctIdentities, ring.Members.Count));
        Assert.Null(index.ClusterOf(ApplicationId.New()));
        Assert.Equal(ring, index.CheckHistory(a).Cluster, new ClusterComparer());
    }

    private sealed class ClusterComparer : IEqualityComparer<FraudCluster?>
    {
        public bool Equals(FraudCluster? x, FraudCluster? y) =>
            x!.ClusterId == y!.ClusterId && x.Members.SequenceEqual(y.Members) && x.Links.Count == y.Links.Count;

        public int GetHashCode(FraudCluster? obj) => 0;
    }
}

public class BlocklistDetailTests
{
    [Fact]
    public void The_signal_names_every_blocked_key_and_the_latest_end_in_china_time()
    {
        var until = new DateTimeOffset(2026, 1, 31, 20, 0, 0, TimeSpan.Zero); // 1 February in China
        var applicant = Fingerprint("id", phone: "ph", device: "dev", at: Now);
        var list = new Blocklist([
            new BlockedKey(Guid.NewGuid(), LinkKind.NationalId, "id", until.AddDays(-5)),
            new BlockedKey(Guid.NewGuid(), LinkKind.Phone, "ph", until),
            new BlockedKey(Guid.NewGuid(), LinkKind.Device, "dev", until.AddDays(-1)),
        ]);
        var match = list.Check(applicant, FraudPolicy.Default);
        Assert.Equal(3, match.Keys.Count);
        Assert.Equal(3, list.Count);
        Assert.Equal("The applicant's national ID and phone and device are on the blocklist until 2026-02-01.", match.Signal!.Detail);
        Assert.Equal(SignalSeverity.Reject, match.Signal.Severity);
    }

    [Fact]
    public void One_blocked_key_is_named_alone()
    {
        var list = new Blocklist([new BlockedKey(Guid.NewGuid(), LinkKind.Device, "dev", Now.AddDays(1))]);
        var match = list.Check(Fingerprint("id", device: "dev", at: Now), FraudPolicy.Default);
        Assert.Equal("The applicant's device is on the blocklist until 2025-06-16.", match.Signal!.Detail);
        Assert.Same(BlocklistMatch.None, Blocklist.Empty.Check(Fingerprint("id", at: Now), FraudPolicy.Default));
        Assert.Same(BlocklistMatch.None, list.Check(Fingerprint("id", device: "dev", at: Now.AddDays(1)), FraudPolicy.Default));
    }

    [Fact]
    public void A_key_blocked_twice_keeps_the_later_end_whichever_comes_first()
    {
        var later = new BlockedKey(Guid.NewGuid(), LinkKind.Phone, "ph", Now.AddDays(10));
        var earlier = new BlockedKey(Guid.NewGuid(), LinkKind.Phone, "ph", Now.AddDays(2));
        var list = new Blocklist([later, earlier]);
        Assert.Equal(1, list.Count);
        Assert.Equal(later, Assert.Single(list.Check(Fingerprint("id", phone: "ph", at: Now.AddDays(5)), FraudPolicy.Default).Keys));
    }
}

public class SmallEngineRulesTests
{
    [Fact]
    public void The_business_day_is_the_china_calendar_day()
    {
        Assert.Equal(new DateOnly(2025, 6, 15), BusinessDay.Of(new DateTimeOffset(2025, 6, 14, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2025, 6, 14), BusinessDay.Of(new DateTimeOffset(2025, 6, 14, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2025, 6, 1), BusinessDay.MonthOf(new DateOnly(2025, 6, 30)));
    }

    [Fact]
    public void Ratios_without_debt_or_loan_are_zero_and_without_income_the_largest()
    {
        Assert.Equal(0m, Applicant(existingMonthlyDebt: 0m).DebtToIncome);
        Assert.Equal(0.125m, Applicant(monthlyIncome: 8_000m, existingMonthlyDebt: 1_000m).DebtToIncome);
        Assert.Equal(decimal.MaxValue, Applicant(monthlyIncome: 0m, existingMonthlyDebt: 1m).DebtToIncome);
        Assert.Equal(0m, Applicant(requestedAmount: 0m).LoanToIncome);
        Assert.Equal(0.5m, Applicant(monthlyIncome: 1_000m, requestedAmount: 6_000m).LoanToIncome);
        Assert.Equal(decimal.MaxValue, Applicant(monthlyIncome: 0m, requestedAmount: 1m).LoanToIncome);
    }

    [Fact]
    public void A_profile_from_an_applicant_keeps_what_the_engine_needs_and_no_debt_as_zero()
    {
        var applicant = new Applicant("张伟", "11010519491231002X", "13800138000", "11", null, 12_000m, null, Employment.Retired,
            50_000m, 24, LoanPurpose.Medical, "dev", "ip", null);
        var profile = ApplicantProfile.From(applicant);
        Assert.Equal(new ApplicantProfile(new DateOnly(1949, 12, 31), 12_000m, 0m, Employment.Retired, 50_000m, 24, "11", null, LoanPurpose.Medical), profile);
        Assert.Equal(75, profile.AgeOn(new DateOnly(2025, 12, 30)));
        Assert.Equal(76, profile.AgeOn(new DateOnly(2025, 12, 31)));
    }

    [Fact]
    public void A_product_snapshot_takes_the_lender_and_product_as_they_are()
    {
        var lender = new Lender("L1", "Bank", "hash");
        var product = lender.AddProduct("P1", "Cash", ProductType.CashLoan, EligibilityCriteria.Open, CommissionContract.PerLead(10m));
        product.Pause();
        var snapshot = ProductSnapshot.Of(lender, product);
        Assert.Equal((product.Id, lender.Id, "L1", "P1", "Bank", "Cash", false, true),
            (snapshot.ProductId, snapshot.LenderId, snapshot.LenderCode, snapshot.ProductCode, snapshot.LenderName, snapshot.ProductName, snapshot.ProductActive, snapshot.LenderActive));
        Assert.Equal("L1/P1", snapshot.Label);
        Assert.Equal(new ProductUsage(0, 0m), ProductUsage.None);
    }
}
