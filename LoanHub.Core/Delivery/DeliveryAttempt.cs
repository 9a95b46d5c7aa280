using LoanHub.Core.Domain;
using ApplicationId = LoanHub.Core.Domain.ApplicationId;

namespace LoanHub.Core.Delivery;

/// <summary>One offer of one application to one product's lender; the id is the <c>deliveryId</c> lenders see.</summary>
public readonly record struct DeliveryId(Guid Value)
{
    public static DeliveryId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

/// <summary>How one call to a lender ended.</summary>
public enum CallResult { Accepted, Refused, Timeout, Error }

/// <summary>Where an attempt stands: in flight until both calls it needs have answered (or failed).</summary>
public enum AttemptOutcome { InFlight, Accepted, Refused, TimedOut, Failed, Abandoned }

/// <summary>
/// One delivery attempt: the pre-check (when the lender has one) and the post of one application to one product.
/// Stored before anything is sent, so an attempt in flight when the process dies is found and sent again with the
/// same idempotency keys at the next start. Each call's answer, latency and reason are kept for the timeline and
/// the lender's health figures.
/// </summary>
public sealed class DeliveryAttempt
{
    public const int MaxReasonLength = 300;

    public DeliveryId Id { get; private set; }
    public ApplicationId ApplicationId { get; private set; }
    public LenderId LenderId { get; private set; }
    public ProductId ProductId { get; private set; }
    /// <summary>1 for the first product offered, 2 for the next after a refusal, …</summary>
    public int Sequence { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public bool WithPrecheck { get; private set; }
    /// <summary>What the product's budget holds for this lead while the attempt is in flight.</summary>
    public decimal ExpectedCommission { get; private set; }
    public CallResult? PrecheckResult { get; private set; }
    public int? PrecheckLatencyMs { get; private set; }
    /// <summary>The CNY the lender offered at pre-check, when it named a price.</summary>
    public decimal? Price { get; private set; }
    public CallResult? PostResult { get; private set; }
    public int? PostLatencyMs { get; private set; }
    public AttemptOutcome Outcome { get; private set; }
    public string? Reason { get; private set; }
    public string? LenderRef { get; private set; }
    public string? RedirectUrl { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>
    /// The instance sending it, where several share the store: only that instance sends it while it lives; when it is
    /// gone, another takes the attempt over and sends it again with the same idempotency keys. Null on a store of one.
    /// </summary>
    public string? Sender { get; private set; }

    public const int MaxSenderLength = 100;

    /// <summary>This instance sends it from now on (it made the attempt, or took it over from one that is gone).</summary>
    public void SendFrom(string instance)
    {
        EnsureInFlight();
        if (string.IsNullOrWhiteSpace(instance) || instance.Length > MaxSenderLength) throw new DomainException("An attempt's sender is a name of at most 100 characters.");
        Sender = instance;
    }

    private DeliveryAttempt() { }

    public DeliveryAttempt(ApplicationId applicationId, LenderId lenderId, ProductId productId, int sequence, bool withPrecheck, decimal expectedCommission, DateTimeOffset createdAt)
    {
        if (sequence < 1) throw new DomainException("An attempt's sequence starts at 1.");
        Id = DeliveryId.New();
        ApplicationId = applicationId;
        LenderId = lenderId;
        ProductId = productId;
        Sequence = sequence;
        WithPrecheck = withPrecheck;
        ExpectedCommission = Money.Round(expectedCommission);
        CreatedAt = createdAt;
        Outcome = AttemptOutcome.InFlight;
    }

    public bool IsInFlight => Outcome == AttemptOutcome.InFlight;

    /// <summary>True when the attempt ended at the pre-check: about the person, so none of the lender's products is offered it again.</summary>
    public bool EndedAtPrecheck => WithPrecheck && PrecheckResult is not null and not CallResult.Accepted;

    public void RecordPrecheck(CallResult result, int latencyMs, decimal? price, string? reason, DateTimeOffset at)
    {
        if (!WithPrecheck) throw new DomainException("This attempt has no pre-check.");
        EnsureInFlight();
        if (PrecheckResult is not null) throw new DomainException("The pre-check of this attempt is already recorded.");
        PrecheckResult = result;
        PrecheckLatencyMs = Math.Max(0, latencyMs);
        Price = result == CallResult.Accepted && price is { } p ? Money.Round(p) : null;
        if (result != CallResult.Accepted) End(OutcomeOf(result), reason, at);
    }

    public void RecordPost(CallResult result, int latencyMs, string? lenderRef, string? redirectUrl, string? reason, DateTimeOffset at)
    {
        EnsureInFlight();
        if (WithPrecheck && PrecheckResult != CallResult.Accepted) throw new DomainException("A post follows only an accepted pre-check.");
        PostResult = result;
        PostLatencyMs = Math.Max(0, latencyMs);
        if (result == CallResult.Accepted)
        {
            LenderRef = Trimmed(lenderRef, 100);
            RedirectUrl = Trimmed(redirectUrl, 500);
        }
        End(OutcomeOf(result), reason, at);
    }

    /// <summary>What the budget holds once an auction has priced the lead: the winning bid.</summary>
    public void HoldAt(decimal expectedCommission)
    {
        EnsureInFlight();
        ExpectedCommission = Money.Round(expectedCommission);
    }

    /// <summary>A bid under the product's minimum price is a refusal, recorded as such.</summary>
    public void RefuseBid(string reason, DateTimeOffset at)
    {
        EnsureInFlight();
        End(AttemptOutcome.Refused, reason, at);
    }

    /// <summary>Never sent, or no longer worth waiting for: the deadline passed or the lender was paused.</summary>
    public void Abandon(string reason, DateTimeOffset at)
    {
        EnsureInFlight();
        End(AttemptOutcome.Abandoned, reason, at);
    }

    private void End(AttemptOutcome outcome, string? reason, DateTimeOffset at)
    {
        Outcome = outcome;
        Reason = Trimmed(reason, MaxReasonLength);
        CompletedAt = at;
    }

    private void EnsureInFlight()
    {
        if (!IsInFlight) throw new DomainException($"The attempt already ended {Outcome}.");
    }

    private static AttemptOutcome OutcomeOf(CallResult result) => result switch
    {
        CallResult.Accepted => AttemptOutcome.Accepted,
        CallResult.Refused => AttemptOutcome.Refused,
        CallResult.Timeout => AttemptOutcome.TimedOut,
        _ => AttemptOutcome.Failed,
    };

    private static string? Trimmed(string? text, int max) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim() is var t && t.Length > max ? t[..max] : text.Trim();
}
