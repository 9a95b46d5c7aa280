using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Domain;

public class LoanApplicationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static LoanApplication NewApplication(string externalRef = "ext-1") =>
        new(SourceId.New(), externalRef, "body-hash", Now, LoanApplicationTests.SampleApplicant(), new Consent(true, true, false, "I agree"),
            new LookupHashes("id-hash", "phone-hash", "device-hash", "ip-hash"));

    [Fact]
    public void A_new_application_is_received_undecided_with_its_hashes()
    {
        var application = NewApplication();
        Assert.Equal((ApplicationStatus.Received, false, (DateTimeOffset?)null), (application.Status, application.IsDecided, application.DecidedAt));
        Assert.Equal(("ext-1", "body-hash", Now), (application.ExternalRef, application.RequestHash, application.ReceivedAt));
        Assert.Equal(("id-hash", "phone-hash", "device-hash", "ip-hash"), (application.IdentityHash, application.PhoneHash, application.DeviceHash, application.IpHash));
        Assert.False(application.HasFraudSignals);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_external_reference_is_refused(string externalRef) =>
        Assert.Throws<DomainException>(() => NewApplication(externalRef));

    [Fact]
    public void An_external_reference_is_at_most_64_characters()
    {
        Assert.Equal(64, NewApplication(new string('e', 64)).ExternalRef.Length);
        Assert.Throws<DomainException>(() => NewApplication(new string('e', 65)));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    public void Any_fraud_signal_marks_the_application(int count, bool marked)
    {
        var application = NewApplication();
        application.RecordFraudSignals(count);
        Assert.Equal(marked, application.HasFraudSignals);
    }

    [Fact]
    public void Holding_for_review_leaves_the_application_undecided_and_dates_it()
    {
        var application = NewApplication();
        application.HoldForReview(Now.AddMinutes(1));
        Assert.Equal((ApplicationStatus.InReview, false, Now.AddMinutes(1)), (application.Status, application.IsDecided, application.DecidedAt!.Value));
        var e = Assert.Throws<DomainException>(() => application.HoldForReview(Now));
        Assert.Contains("InReview", e.Message);
    }

    [Fact]
    public void A_routed_application_is_decided_and_names_its_lender()
    {
        var application = NewApplication();
        var lender = LenderId.New();
        application.MarkRouted(lender, Now.AddSeconds(2));
        Assert.Equal((ApplicationStatus.Routed, true, Now.AddSeconds(2), lender), (application.Status, application.IsDecided, application.DecidedAt!.Value, application.RoutedLenderId!.Value));
    }

    [Fact]
    public void An_unmatched_application_keeps_why_and_defaults_to_no_eligible_product()
    {
        var application = NewApplication();
        application.MarkUnmatched(Now);
        Assert.Equal((ApplicationStatus.Unmatched, UnmatchedCause.NoEligibleProduct), (application.Status, application.UnmatchedCause!.Value));
        var refused = NewApplication();
        refused.HoldForReview(Now);
        refused.MarkUnmatched(Now, UnmatchedCause.RefusedByAll);
        Assert.Equal((ApplicationStatus.Unmatched, UnmatchedCause.RefusedByAll, true), (refused.Status, refused.UnmatchedCause!.Value, refused.IsDecided));
    }

    [Fact]
    public void A_rejection_may_follow_review_but_nothing_follows_a_rejection()
    {
        var application = NewApplication();
        application.HoldForReview(Now);
        application.MarkRejected(Now.AddHours(1));
        Assert.Equal((ApplicationStatus.Rejected, Now.AddHours(1)), (application.Status, application.DecidedAt!.Value));
        var e = Assert.Throws<DomainException>(() => application.MarkRouted(LenderId.New(), Now));
        Assert.Equal("The application is already Rejected and cannot become Routed.", e.Message);
        Assert.Null(application.RoutedLenderId);
    }

    [Fact]
    public void A_duplicate_is_decided_from_received()
    {
        var application = NewApplication();
        application.MarkDuplicate(Now);
        Assert.Equal((ApplicationStatus.Duplicate, true), (application.Status, application.IsDecided));
        Assert.Throws<DomainException>(() => application.MarkUnmatched(Now));
    }

    [Fact]
    public void The_applicant_age_comes_from_the_national_id_and_is_unknown_once_erased()
    {
        var applicant = LoanApplicationTests.SampleApplicant();
        Assert.Equal(new DateOnly(1949, 12, 31), applicant.BirthDate);
        Assert.Equal(75, applicant.AgeOn(new DateOnly(2025, 12, 30)));
        Assert.Equal(76, applicant.KnownAgeOn(new DateOnly(2025, 12, 31)));
        Assert.Null((applicant with { NationalId = "erased" }).KnownAgeOn(new DateOnly(2025, 12, 31)));
    }

    [Fact]
    public void Erased_references_start_with_their_prefix() =>
        Assert.StartsWith("erased:", LoanApplication.ErasedExternalRef(ApplicationId.New()));
}

public class ReviewCaseRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static ReviewCase NewCase(Guid? cluster = null) => new(ApplicationId.New(), SourceId.New(), Now, ["DEVICE_SHARED"], cluster);

    [Fact]
    public void A_new_case_is_open_with_its_reasons()
    {
        var cluster = Guid.NewGuid();
        var review = NewCase(cluster);
        Assert.Equal((ReviewStatus.Open, false, Now, cluster), (review.Status, review.IsDecided, review.OpenedAt, review.ClusterId!.Value));
        Assert.Equal(["DEVICE_SHARED"], review.Reasons);
    }

    [Fact]
    public void An_open_case_joins_a_ring_found_later_but_a_decided_one_does_not()
    {
        var open = NewCase();
        var ring = Guid.NewGuid();
        open.JoinCluster(ring);
        Assert.Equal(ring, open.ClusterId);
        var decided = NewCase();
        decided.Approve("alice@x", "fine", Now);
        decided.JoinCluster(ring);
        Assert.Null(decided.ClusterId);
    }

    [Fact]
    public void A_claim_keeps_who_and_when_and_the_same_reviewer_may_claim_again()
    {
        var review = NewCase();
        review.Claim("alice@x", Now);
        review.Claim("alice@x", Now.AddMinutes(1));
        Assert.Equal((ReviewStatus.Claimed, "alice@x", Now.AddMinutes(1)), (review.Status, review.ClaimedBy, review.ClaimedAt!.Value));
        var e = Assert.Throws<DomainException>(() => review.Claim("bob@x", Now));
        Assert.Equal("This case is claimed by alice@x.", e.Message);
    }

    [Fact]
    public void A_decided_case_cannot_be_claimed()
    {
        var review = NewCase();
        review.Reject("alice@x", "ring", Now);
        Assert.Throws<DomainException>(() => review.Claim("alice@x", Now));
    }

    [Fact]
    public void Only_the_claimer_releases_and_a_release_clears_the_claim()
    {
        var review = NewCase();
        Assert.Throws<DomainException>(() => review.Release("alice@x"));
        review.Claim("alice@x", Now);
        Assert.Throws<DomainException>(() => review.Release("bob@x"));
        review.Release("alice@x");
        Assert.Equal((ReviewStatus.Open, (string?)null, (DateTimeOffset?)null), (review.Status, review.ClaimedBy, review.ClaimedAt));
    }

    [Fact]
    public void A_decision_keeps_who_when_and_the_trimmed_note()
    {
        var review = NewCase();
        review.Claim("alice@x", Now);
        review.Approve("alice@x", "  known customer ", Now.AddMinutes(3));
        Assert.Equal((ReviewStatus.Approved, true, "alice@x", Now.AddMinutes(3), "known customer"),
            (review.Status, review.IsDecided, review.DecidedBy, review.DecidedAt!.Value, review.Note));
    }

    [Fact]
    public void An_unclaimed_case_may_be_decided_by_any_reviewer() 
    {
        var review = NewCase();
        review.Reject("bob@x", "synthetic", Now);
        Assert.Equal((ReviewStatus.Rejected, "bob@x"), (review.Status, review.DecidedBy));
    }

    [Fact]
    public void An_expired_case_is_rejected_by_the_retention_whoever_claimed_it()
    {
        var review = NewCase();
        review.Claim("alice@x", Now);
        review.Expire("system:retention", "expired", Now.AddDays(366));
        Assert.Equal((ReviewStatus.Rejected, "system:retention", Now.AddDays(366), "expired"), (review.Status, review.DecidedBy, review.DecidedAt!.Value, review.Note));
        Assert.Throws<DomainException>(() => review.Expire("system:retention", "again", Now));
    }
}

public class EligibilityCriteriaRulesTests
{
    private static EligibilityCriteria Criteria(decimal minAmount = 500m, decimal maxAmount = 1_000m, int minTerm = 1, int maxTerm = 12,
        int minAge = 18, int maxAge = 100, int minScore = 0, decimal minIncome = 0m, string[]? provinces = null,
        Employment[]? employment = null, RiskTier tier = RiskTier.E, LoanPurpose[]? purposes = null) =>
        new(minAmount, maxAmount, minTerm, maxTerm, minAge, maxAge, minScore, minIncome, provinces ?? [], employment ?? [], tier, purposes);

    [Fact]
    public void The_bounds_of_every_range_are_allowed()
    {
        var c = Criteria(minAmount: 0.01m, maxAmount: 0.01m, minTerm: 1, maxTerm: 360, minAge: 18, maxAge: 100, minScore: 1000, minIncome: 0m);
        Assert.Equal((0.01m, 0.01m, 1, 360, 18, 100, 1000, 0m), (c.MinAmount, c.MaxAmount, c.MinTermMonths, c.MaxTermMonths, c.MinAge, c.MaxAge, c.MinScore, c.MinMonthlyIncome));
        var same = Criteria(minTerm: 12, maxTerm: 12, minAge: 30, maxAge: 30);
        Assert.Equal((12, 30), (same.MinTermMonths, same.MinAge));
    }

    [Fact]
    public void Each_range_outside_its_bounds_is_refused()
    {
        Assert.Throws<DomainException>(() => Criteria(minAmount: 0m));
        Assert.Throws<DomainException>(() => Criteria(minTerm: 0));
        Assert.Throws<DomainException>(() => Criteria(minTerm: 13, maxTerm: 12));
        Assert.Throws<DomainException>(() => Criteria(maxTerm: 361));
        Assert.Throws<DomainException>(() => Criteria(minAge: 17));
        Assert.Throws<DomainException>(() => Criteria(maxAge: 101));
        Assert.Throws<DomainException>(() => Criteria(minScore: -1));
        Assert.Throws<DomainException>(() => Criteria(minScore: 1001));
        Assert.Throws<DomainException>(() => Criteria(minIncome: -0.01m));
    }

    [Fact]
    public void Lists_are_kept_sorted_without_repeats_and_no_purposes_means_any()
    {
        var c = Criteria(provinces: ["44", "11", "44"], employment: [Employment.Retired, Employment.Salaried, Employment.Retired],
            purposes: [LoanPurpose.Travel, LoanPurpose.Consumption, LoanPurpose.Travel]);
        Assert.Equal(["11", "44"], c.Provinces);
        Assert.Equal([Employment.Salaried, Employment.Retired], c.Employment);
        Assert.Equal([LoanPurpose.Consumption, LoanPurpose.Travel], c.Purposes);
        Assert.Empty(Criteria().Purposes);
        Assert.Equal(RiskTier.B, Criteria(tier: RiskTier.B).MaxTier);
    }

    [Fact]
    public void Criteria_differing_in_any_field_are_not_equal()
    {
        var baseline = Criteria();
        Assert.Equal(baseline, Criteria());
        Assert.Equal(baseline.GetHashCode(), Criteria().GetHashCode());
        Assert.False(baseline.Equals(null));
        EligibilityCriteria[] others =
        [
            Criteria(minAmount: 600m), Criteria(maxAmount: 2_000m), Criteria(minTerm: 2), Criteria(maxTerm: 24),
            Criteria(minAge: 20), Criteria(maxAge: 60), Criteria(minScore: 1), Criteria(minIncome: 1m),
            Criteria(tier: RiskTier.D), Criteria(provinces: ["11"]), Criteria(employment: [Employment.Student]),
            Criteria(purposes: [LoanPurpose.Medical]),
        ];
        foreach (var other in others) Assert.False(baseline.Equals(other), $"{other} should differ");
    }

    [Fact]
    public void Open_criteria_accept_the_widest_ranges()
    {
        var open = EligibilityCriteria.Open;
        Assert.Equal((500m, 5_000_000m, 1, 120, 18, 100, 0, 0m, RiskTier.E), (open.MinAmount, open.MaxAmount, open.MinTermMonths, open.MaxTermMonths, open.MinAge, open.MaxAge, open.MinScore, open.MinMonthlyIncome, open.MaxTier));
    }
}

public class InputRulesTests
{
    [Fact]
    public void Text_is_stored_in_normalisation_form_c()
    {
        Assert.Equal("\u00e9", InputRules.Normalized("e\u0301"));
        Assert.Equal("\u00e9", InputRules.Normalized("\u00e9"));
        Assert.Equal("plain", InputRules.Normalized("plain"));
        Assert.Null(InputRules.Normalized(null));
        Assert.Equal("a\ud800", InputRules.Normalized("a\ud800"));
    }

    [Theory]
    [InlineData("张伟 O'Brien", null)]
    [InlineData("emoji \ud83d\ude00 ok", null)]
    [InlineData("a\u0000b", "must not contain control characters")]
    [InlineData("a\nb", "must not contain control characters")]
    [InlineData("a\u007fb", "must not contain control characters")]
    [InlineData("a\u202Eb", "must not contain bidirectional control characters")]
    [InlineData("a\u202Ab", "must not contain bidirectional control characters")]
    [InlineData("a\u2066b", "must not contain bidirectional control characters")]
    [InlineData("a\u2069b", "must not contain bidirectional control characters")]
    [InlineData("a\uFFFE", "must be well-formed Unicode text")]
    [InlineData("a\uFFFF", "must be well-formed Unicode text")]
    public void Control_bidi_and_broken_unicode_are_refused(string text, string? problem) =>
        Assert.Equal(problem, InputRules.ProblemWith(text));

    [Fact]
    public void Unpaired_surrogates_are_refused()
    {
        // Built in code: test data attributes cannot carry a lone surrogate.
        foreach (var text in new[] { "a" + '\ud800' + "b", "a" + '\ud800', '\ude00' + "a" })
            Assert.Equal("must be well-formed Unicode text", InputRules.ProblemWith(text));
    }

    [Theory]
    [InlineData("\u2029")]
    [InlineData("\u2065")]
    [InlineData("\u206A")]
    [InlineData("\u2029a\u202F")]
    public void Characters_next_to_the_bidi_controls_are_allowed(string text) => Assert.Null(InputRules.ProblemWith(text));

    [Fact]
    public void Line_breaks_and_tabs_pass_only_where_allowed()
    {
        Assert.Null(InputRules.ProblemWith("line one\r\nline two\tend", allowLineBreaks: true));
        Assert.Equal("must not contain control characters", InputRules.ProblemWith("a\tb"));
        Assert.Equal("must not contain control characters", InputRules.ProblemWith("a\u0001b", allowLineBreaks: true));
        Assert.Equal("must be well-formed Unicode text", InputRules.ProblemWith("a\ud800", allowLineBreaks: true));
    }

    [Fact]
    public void Money_is_between_its_bounds_in_whole_fen()
    {
        Assert.Null(InputRules.MoneyProblem(0m));
        Assert.Null(InputRules.MoneyProblem(InputRules.MaxMoney));
        Assert.Equal("must be between 0 and 100,000,000", InputRules.MoneyProblem(InputRules.MaxMoney + 0.01m));
        Assert.Equal("must be between 0 and 100,000,000", InputRules.MoneyProblem(-0.01m));
        Assert.Equal("must be between 1.5 and 10", InputRules.MoneyProblem(1m, 1.5m, 10m));
        Assert.Null(InputRules.MoneyProblem(10m, 1.5m, 10m));
        Assert.Equal("must have at most two decimal places", InputRules.MoneyProblem(1.005m));
        Assert.Equal(100_000_000m, InputRules.MaxMoney);
    }

    [Fact]
    public void Counts_are_between_their_bounds()
    {
        Assert.Null(InputRules.CountProblem(0, 0, 10));
        Assert.Null(InputRules.CountProblem(10, 0, 10));
        Assert.Equal("must be between 0 and 1,000,000", InputRules.CountProblem(1_000_001, 0, InputRules.MaxCount));
        Assert.Equal("must be between 1 and 10", InputRules.CountProblem(0, 1, 10));
    }
}

public class RecordsKeptAsGivenTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_risk_assessment_keeps_its_decision_and_takes_the_placement_later()
    {
        var applicationId = ApplicationId.New();
        var assessment = new RiskAssessment(applicationId, "v3", 640, RiskTier.C, ["R1"], ["S1"], Decision.Review, "{\"a\":1}", At, 7, 31);
        Assert.Equal((applicationId, "v3", 640, RiskTier.C, Decision.Review, "{\"a\":1}", At, 7L, 31),
            (assessment.ApplicationId, assessment.ScorecardVersion, assessment.Score, assessment.Tier, assessment.Decision, assessment.DecisionRecordJson, assessment.AssessedAt, assessment.CatalogVersionId!.Value, assessment.ApplicantAge!.Value));
        Assert.Equal(["R1"], assessment.ReasonCodes);
        Assert.Equal(["S1"], assessment.Signals);
        assessment.RecordPlacement("{\"b\":2}");
        Assert.Equal("{\"b\":2}", assessment.DecisionRecordJson);
    }

    [Fact]
    public void An_outcome_report_keeps_the_postback_as_received()
    {
        var lender = LenderId.New();
        var allocation = AllocationId.New();
        var application = ApplicationId.New();
        var report = new OutcomeReport(lender, "evt-1", allocation, application, LenderOutcome.Funded, 100m, At, At.AddMinutes(1), "h");
        Assert.Equal((lender, "evt-1", allocation, application, LenderOutcome.Funded, 100m, At, At.AddMinutes(1), "h"),
            (report.LenderId, report.EventId, report.AllocationId, report.ApplicationId, report.Outcome, report.FundedAmount!.Value, report.OccurredAt, report.ReceivedAt, report.RequestHash));
    }

    [Fact]
    public void An_audit_entry_keeps_who_did_what_to_which_record()
    {
        var entry = new AuditEntry(At, "ops", "Routing", "Activate", "RoutingPolicy", "3", "{}", "{\"v\":3}");
        Assert.Equal((At, "ops", "Routing", "Activate", "RoutingPolicy", "3", "{}", "{\"v\":3}"),
            (entry.At, entry.Actor, entry.Area, entry.Action, entry.EntityType, entry.EntityId, entry.Before, entry.After));
    }

    [Fact]
    public void An_application_id_parses_from_its_text()
    {
        var id = ApplicationId.New();
        Assert.True(ApplicationId.TryParse(id.ToString(), out var parsed));
        Assert.Equal(id, parsed);
        Assert.False(ApplicationId.TryParse("nope", out _));
    }
}
