using System.Security.Cryptography;
using System.Text.Json;
using LoanHub.Core.Domain;
using LoanHub.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LoanHub.Web.Features.Outcomes;

/// <summary>The body a lender posts to <c>POST /api/v1/postbacks</c>. Names are a contract with lenders.</summary>
public sealed record PostbackRequest(string? EventId, Guid? ApplicationId, string? Outcome, decimal? FundedAmount, DateTimeOffset? OccurredAt)
{
    public string ContentHash() => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this, JsonSerializerOptions.Web)));
}

public sealed record PostbackResponse(string EventId, Guid ApplicationId, string Outcome, string DeliveryStatus, decimal? FundedAmount, decimal Commission);

public enum PostbackDisposition { Accepted, Replayed, NotFound, Conflict, Invalid }

public sealed record PostbackResult(PostbackDisposition Disposition, PostbackResponse? Response = null, string? Problem = null,
    IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// Applies lenders' outcome reports to their deliveries and books each event in the commission ledger
/// with what the contract the lead was delivered under earns on it (nothing, for events it does not pay for).
/// Postbacks are serialised in this process (a delivery moves through one state at a time), and the
/// unique (lender, eventId) index backs the idempotency in the store.
/// </summary>
public sealed class PostbackService(IDbContextFactory<LoanHubDbContext> contexts, TimeProvider clock)
{
    private readonly SemaphoreSlim writer = new(1, 1);

    public async Task<PostbackResult> ApplyAsync(LenderId lender, PostbackRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = Validate(request, now, out var outcome);
        if (errors.Count > 0) return new PostbackResult(PostbackDisposition.Invalid, Errors: errors);

        var hash = request.ContentHash();
        await writer.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var earlier = await db.Outcomes.AsNoTracking().FirstOrDefaultAsync(o => o.LenderId == lender && o.EventId == request.EventId, cancellationToken);
            if (earlier is not null)
            {
                return earlier.RequestHash == hash
                    ? new PostbackResult(PostbackDisposition.Replayed, await ResponseOfAsync(db, earlier, cancellationToken))
                    : new PostbackResult(PostbackDisposition.Conflict, Problem: $"Event '{request.EventId}' was already reported with a different body.");
            }

            var applicationId = new ApplicationId(request.ApplicationId!.Value);
            var allocation = await db.Allocations.FirstOrDefaultAsync(a => a.ApplicationId == applicationId && a.LenderId == lender, cancellationToken);
            if (allocation is null)
                return new PostbackResult(PostbackDisposition.NotFound, Problem: "No application with that id was routed to your products.");

            // The lead's ledger runs forward from its delivery: an outcome cannot have happened before the lender had the lead.
            if (request.OccurredAt < allocation.AllocatedAt)
                return Invalid("occurredAt", $"cannot precede the delivery of the lead at {allocation.AllocatedAt:O}");
            var requested = await db.Applications.Where(a => a.Id == applicationId).Select(a => a.Applicant.RequestedAmount).SingleAsync(cancellationToken);
            if (outcome == LenderOutcome.Funded && request.FundedAmount > requested)
                return Invalid("fundedAmount", $"must be at most the requested amount of {requested:N2}");

            try
            {
                allocation.Record(outcome, request.FundedAmount, request.OccurredAt!.Value);
            }
            catch (DomainException e)
            {
                return new PostbackResult(PostbackDisposition.Conflict, Problem: e.Message);
            }

            var report = new OutcomeReport(lender, request.EventId!, allocation.Id, applicationId, outcome, request.FundedAmount,
                request.OccurredAt!.Value, now, hash);
            db.Outcomes.Add(report);
            var commissionEvent = outcome switch
            {
                LenderOutcome.Approved => CommissionEvent.Approved,
                LenderOutcome.Funded => CommissionEvent.Funded,
                _ => (CommissionEvent?)null,
            };
            var commission = 0m;
            if (commissionEvent is { } earned)
            {
                // Under the contract the lead was delivered under, whatever its product's contract is now.
                var entry = new CommissionEntry(allocation, earned, request.FundedAmount, request.OccurredAt.Value);
                db.CommissionEntries.Add(entry);
                commission = entry.Amount;
            }
            await db.SaveChangesAsync(cancellationToken);
            return new PostbackResult(PostbackDisposition.Accepted, new PostbackResponse(report.EventId, applicationId.Value, outcome.ToString(),
                allocation.Status.ToString(), allocation.FundedAmount, commission));
        }
        finally
        {
            writer.Release();
        }
    }

    private static PostbackResult Invalid(string field, string error) =>
        new(PostbackDisposition.Invalid, Errors: new Dictionary<string, string[]> { [field] = [error] });

    // The first answer, rebuilt from what that event stored.
    private static async Task<PostbackResponse> ResponseOfAsync(LoanHubDbContext db, OutcomeReport report, CancellationToken cancellationToken)
    {
        var commissionEvent = report.Outcome == LenderOutcome.Approved ? CommissionEvent.Approved : CommissionEvent.Funded;
        var commission = report.Outcome == LenderOutcome.Declined ? 0m : await db.CommissionEntries.AsNoTracking()
            .Where(e => e.AllocationId == report.AllocationId && e.Event == commissionEvent).Select(e => (decimal?)e.Amount)
            .FirstOrDefaultAsync(cancellationToken) ?? 0m;
        var status = report.Outcome switch
        {
            LenderOutcome.Approved => DeliveryStatus.Approved,
            LenderOutcome.Declined => DeliveryStatus.Declined,
            _ => DeliveryStatus.Funded,
        };
        return new PostbackResponse(report.EventId, report.ApplicationId.Value, report.Outcome.ToString(), status.ToString(), report.FundedAmount, commission);
    }

    private static Dictionary<string, string[]> Validate(PostbackRequest request, DateTimeOffset now, out LenderOutcome outcome)
    {
        var errors = new Dictionary<string, string[]>();
        outcome = default;
        if (string.IsNullOrWhiteSpace(request.EventId) || request.EventId.Length > 64) errors["eventId"] = ["is required, 1–64 characters"];
        if (request.ApplicationId is null || request.ApplicationId == Guid.Empty) errors["applicationId"] = ["is required"];
        // Exactly one of the names: Enum.TryParse alone also takes numbers ("+1") and comma lists ("Approved, Declined").
        if (request.Outcome is null || !Enum.GetNames<LenderOutcome>().Contains(request.Outcome, StringComparer.Ordinal)
            || !Enum.TryParse(request.Outcome, ignoreCase: false, out outcome))
            errors["outcome"] = ["must be Approved, Declined or Funded"];
        else if (outcome == LenderOutcome.Funded)
        {
            if (request.FundedAmount is not { } funded || funded <= 0m) errors["fundedAmount"] = ["is required and must be above 0 for Funded"];
            else if (!Money.HasAtMostTwoPlaces(funded)) errors["fundedAmount"] = ["must have at most two decimal places"];
        }
        else if (request.FundedAmount is not null) errors["fundedAmount"] = ["is only allowed with Funded"];
        if (request.OccurredAt is null) errors["occurredAt"] = ["is required (ISO 8601)"];
        else if (request.OccurredAt > now.AddMinutes(1)) errors["occurredAt"] = ["cannot be in the future"];
        return errors;
    }
}
