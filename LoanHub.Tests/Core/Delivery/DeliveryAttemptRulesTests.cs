using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Tests.Core.Delivery;

public class DeliveryAttemptRulesTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Answered = Created.AddSeconds(1);

    private static DeliveryAttempt Attempt(bool withPrecheck = true, int sequence = 1, decimal expectedCommission = 30m) =>
        new(ApplicationId.New(), LenderId.New(), ProductId.New(), sequence, withPrecheck, expectedCommission, Created);

    [Fact]
    public void Sequence_starts_at_one()
    {
        Assert.Throws<DomainException>(() => Attempt(sequence: 0));
        Assert.Equal(1, Attempt(sequence: 1).Sequence);
    }

    [Fact]
    public void A_new_attempt_is_in_flight_with_its_commission_held_in_whole_fen()
    {
        var applicationId = ApplicationId.New();
        var lenderId = LenderId.New();
        var productId = ProductId.New();
        var attempt = new DeliveryAttempt(applicationId, lenderId, productId, 2, true, 12.345m, Created);
        Assert.Equal((applicationId, lenderId, productId, 2, true), (attempt.ApplicationId, attempt.LenderId, attempt.ProductId, attempt.Sequence, attempt.WithPrecheck));
        Assert.Equal(12.35m, attempt.ExpectedCommission);
        Assert.Equal(Created, attempt.CreatedAt);
        Assert.Equal(AttemptOutcome.InFlight, attempt.Outcome);
        Assert.True(attempt.IsInFlight);
        Assert.False(attempt.EndedAtPrecheck);
        Assert.Null(attempt.CompletedAt);
        Assert.NotEqual(Guid.Empty, attempt.Id.Value);
        Assert.NotEqual(attempt.Id, Attempt().Id);
    }

    [Fact]
    public void An_attempt_without_a_precheck_cannot_record_one()
    {
        var attempt = Attempt(withPrecheck: false);
        Assert.Throws<DomainException>(() => attempt.RecordPrecheck(CallResult.Accepted, 10, null, null, Answered));
        Assert.Null(attempt.PrecheckResult);
    }

    [Fact]
    public void A_precheck_is_recorded_once()
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(CallResult.Accepted, 10, 20m, null, Answered);
        var e = Assert.Throws<DomainException>(() => attempt.RecordPrecheck(CallResult.Refused, 10, null, null, Answered));
        Assert.Contains("already recorded", e.Message);
        Assert.Equal(CallResult.Accepted, attempt.PrecheckResult);
    }

    [Fact]
    public void An_accepted_precheck_keeps_the_attempt_in_flight_with_its_latency_and_price()
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(CallResult.Accepted, 42, 18.004m, "ignored", Answered);
        Assert.Equal((CallResult.Accepted, 42, 18.00m), (attempt.PrecheckResult!.Value, attempt.PrecheckLatencyMs!.Value, attempt.Price!.Value));
        Assert.True(attempt.IsInFlight);
        Assert.Null(attempt.Reason);
        Assert.Null(attempt.CompletedAt);
        Assert.False(attempt.EndedAtPrecheck);
    }

    [Fact]
    public void A_refused_precheck_names_no_price_even_when_the_lender_sent_one()
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(CallResult.Refused, 42, 18m, "  existing customer  ", Answered);
        Assert.Null(attempt.Price);
        Assert.Equal("existing customer", attempt.Reason);
        Assert.Equal(Answered, attempt.CompletedAt);
    }

    [Fact]
    public void An_accepted_precheck_without_a_price_names_none()
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(CallResult.Accepted, 1, null, null, Answered);
        Assert.Null(attempt.Price);
    }

    [Theory]
    [InlineData(CallResult.Refused, AttemptOutcome.Refused)]
    [InlineData(CallResult.Timeout, AttemptOutcome.TimedOut)]
    [InlineData(CallResult.Error, AttemptOutcome.Failed)]
    public void A_precheck_that_does_not_accept_ends_the_attempt_at_the_precheck(CallResult result, AttemptOutcome outcome)
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(result, 5, null, null, Answered);
        Assert.Equal(outcome, attempt.Outcome);
        Assert.True(attempt.EndedAtPrecheck);
        Assert.False(attempt.IsInFlight);
    }

    [Theory]
    [InlineData(CallResult.Accepted, AttemptOutcome.Accepted)]
    [InlineData(CallResult.Refused, AttemptOutcome.Refused)]
    [InlineData(CallResult.Timeout, AttemptOutcome.TimedOut)]
    [InlineData(CallResult.Error, AttemptOutcome.Failed)]
    public void The_post_answer_decides_the_outcome(CallResult result, AttemptOutcome outcome)
    {
        var attempt = Attempt(withPrecheck: false);
        attempt.RecordPost(result, 7, null, null, null, Answered);
        Assert.Equal((outcome, result, 7, Answered), (attempt.Outcome, attempt.PostResult!.Value, attempt.PostLatencyMs!.Value, attempt.CompletedAt!.Value));
        Assert.False(attempt.EndedAtPrecheck);
    }

    [Fact]
    public void Negative_latencies_are_recorded_as_zero()
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(CallResult.Accepted, -5, null, null, Answered);
        attempt.RecordPost(CallResult.Accepted, -1, null, null, null, Answered);
        Assert.Equal((0, 0), (attempt.PrecheckLatencyMs!.Value, attempt.PostLatencyMs!.Value));
    }

    [Fact]
    public void An_accepted_post_keeps_the_lender_reference_and_redirect_trimmed_to_their_columns()
    {
        var attempt = Attempt(withPrecheck: false);
        attempt.RecordPost(CallResult.Accepted, 7, " " + new string('r', 120) + " ", " https://l.example/" + new string('c', 600), null, Answered);
        Assert.Equal(new string('r', 100), attempt.LenderRef);
        Assert.Equal(500, attempt.RedirectUrl!.Length);
        Assert.StartsWith("https://l.example/ccc", attempt.RedirectUrl);
    }

    [Fact]
    public void A_short_lender_reference_is_kept_whole_and_a_blank_one_is_none()
    {
        var attempt = Attempt(withPrecheck: false);
        attempt.RecordPost(CallResult.Accepted, 7, " REF-1 ", "   ", null, Answered);
        Assert.Equal("REF-1", attempt.LenderRef);
        Assert.Null(attempt.RedirectUrl);
    }

    [Fact]
    public void A_refused_post_keeps_no_lender_reference_or_redirect()
    {
        var attempt = Attempt(withPrecheck: false);
        attempt.RecordPost(CallResult.Refused, 7, "REF-1", "https://l.example/c", "no product", Answered);
        Assert.Null(attempt.LenderRef);
        Assert.Null(attempt.RedirectUrl);
        Assert.Equal("no product", attempt.Reason);
    }

    [Fact]
    public void A_post_after_a_refused_precheck_is_refused_and_changes_nothing()
    {
        var attempt = Attempt();
        attempt.RecordPrecheck(CallResult.Refused, 5, null, "no", Answered);
        Assert.Throws<DomainException>(() => attempt.RecordPost(CallResult.Accepted, 7, "REF", null, null, Answered.AddSeconds(5)));
        Assert.Null(attempt.PostResult);
        Assert.Equal(Answered, attempt.CompletedAt);
    }

    [Fact]
    public void A_reason_longer_than_300_characters_is_cut_at_300()
    {
        var attempt = Attempt();
        attempt.Abandon(new string('x', 301), Answered);
        Assert.Equal(DeliveryAttempt.MaxReasonLength, attempt.Reason!.Length);
        Assert.Equal(300, DeliveryAttempt.MaxReasonLength);
    }

    [Fact]
    public void A_blank_reason_is_none()
    {
        var attempt = Attempt();
        attempt.Abandon("  ", Answered);
        Assert.Null(attempt.Reason);
    }

    [Fact]
    public void An_auction_holds_the_winning_bid_in_whole_fen_while_in_flight()
    {
        var attempt = Attempt();
        attempt.HoldAt(41.005m);
        Assert.Equal(41.01m, attempt.ExpectedCommission);
        attempt.Abandon("deadline", Answered);
        Assert.Throws<DomainException>(() => attempt.HoldAt(50m));
        Assert.Equal(41.01m, attempt.ExpectedCommission);
    }

    [Fact]
    public void A_bid_under_the_minimum_is_recorded_as_a_refusal()
    {
        var attempt = Attempt();
        attempt.RefuseBid("bid 3.00 under minimum 5.00", Answered);
        Assert.Equal((AttemptOutcome.Refused, "bid 3.00 under minimum 5.00", Answered), (attempt.Outcome, attempt.Reason, attempt.CompletedAt!.Value));
        Assert.Throws<DomainException>(() => attempt.RefuseBid("again", Answered));
    }

    [Fact]
    public void An_abandoned_attempt_takes_no_answer_any_more()
    {
        var attempt = Attempt();
        attempt.Abandon("lender paused", Answered);
        Assert.Equal(AttemptOutcome.Abandoned, attempt.Outcome);
        var e = Assert.Throws<DomainException>(() => attempt.RecordPrecheck(CallResult.Accepted, 1, null, null, Answered));
        Assert.Contains("Abandoned", e.Message);
        Assert.Throws<DomainException>(() => attempt.RecordPost(CallResult.Accepted, 1, null, null, null, Answered));
        Assert.Throws<DomainException>(() => attempt.Abandon("again", Answered));
        Assert.Equal("lender paused", attempt.Reason);
    }

    [Fact]
    public void A_delivery_id_reads_as_its_guid()
    {
        var id = new DeliveryId(Guid.Parse("0192f3a4-0000-7000-8000-000000000001"));
        Assert.Equal("0192f3a4-0000-7000-8000-000000000001", id.ToString());
    }
}
