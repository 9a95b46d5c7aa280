using System.Diagnostics;
using LoanHub.Core.Delivery;
using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Delivery;

/// <summary>One attempt to send: the calls it needs and where to report how they went.</summary>
/// <remarks>
/// Usually both calls (the pre-check when the lender has one, then the post). An auction sends the pre-checks alone
/// first (<see cref="PrecheckOnly"/>), then the post alone to the best bid (<see cref="Precheck"/> null).
/// </remarks>
internal sealed record DeliveryJob(DeliveryId AttemptId, ApplicationId ApplicationId, LenderEndpoint Endpoint,
    PrecheckRequest? Precheck, PostRequest Post, TimeSpan Remaining, bool PrecheckOnly = false, bool Unhurried = false)
{
    /// <summary>When <see cref="Remaining"/> was measured: time the job waits before it is sent counts against the deadline too.</summary>
    public long IssuedTimestamp { get; } = Stopwatch.GetTimestamp();
}

/// <summary>How one call ended, as the writer records it on the attempt.</summary>
internal sealed record CallOutcome(CallResult Result, int LatencyMs, string? Reason, decimal? Price = null, string? LenderRef = null, string? RedirectUrl = null);

/// <summary>What became of one attempt's calls; <see cref="Post"/> is null when it ended at the pre-check or was never sent.</summary>
internal sealed record DeliveryReport(DeliveryId AttemptId, ApplicationId ApplicationId, CallOutcome? Precheck, CallOutcome? Post, string? AbandonedBecause,
    bool PrecheckOnly = false)
    : Intake.WriterWork
{
    /// <summary>Records the calls' answers on the attempt, which ends accepted, refused, failed, timed out or abandoned.</summary>
    public void ApplyTo(DeliveryAttempt attempt, DateTimeOffset at)
    {
        // A resumed auction asks again for bids already recorded; the lender's repeated answer changes nothing.
        if (Precheck is { } precheck && attempt.WithPrecheck && attempt.PrecheckResult is null) attempt.RecordPrecheck(precheck.Result, precheck.LatencyMs, precheck.Price, precheck.Reason, at);
        if (PrecheckOnly && AbandonedBecause is null && Precheck is not null) return; // a bid: the post may follow
        if (attempt.IsInFlight && Post is { } post) attempt.RecordPost(post.Result, post.LatencyMs, post.LenderRef, post.RedirectUrl, post.Reason, at);
        if (attempt.IsInFlight) attempt.Abandon(AbandonedBecause ?? "No answer was recorded.", at);
    }
}

/// <summary>
/// Sends attempts to lenders, outside the writer: the writer records an attempt, commits, and hands it here;
/// the calls run on the thread pool and their answers go back to the writer as a <see cref="DeliveryReport"/>.
/// Intake thus keeps its pace while lenders think. A call never outlives the delivery's deadline, and on
/// shutdown the calls in flight are simply dropped: their attempts stay in flight in the store and are sent
/// again, with the same idempotency keys, at the next start.
/// </summary>
internal sealed class DeliveryDispatcher(LenderClient client, ILogger<DeliveryDispatcher> logger)
{
    private readonly CancellationTokenSource stopping = new();

    public void Dispatch(DeliveryJob job, Func<DeliveryReport, ValueTask> report) =>
        _ = Task.Run(() => RunAsync(job, report));

    public void Stop() => stopping.Cancel();

    private async Task RunAsync(DeliveryJob job, Func<DeliveryReport, ValueTask> report)
    {
        try
        {
            await report(await SendAsync(job, stopping.Token));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Left in flight in the store; resumed at the next start.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Delivery attempt {AttemptId} of application {ApplicationId} could not be sent.", job.AttemptId, job.ApplicationId);
            await report(new DeliveryReport(job.AttemptId, job.ApplicationId, null, null, "LoanHub could not send the attempt."));
        }
    }

    private async Task<DeliveryReport> SendAsync(DeliveryJob job, CancellationToken cancellationToken)
    {
        var endpoint = job.Endpoint;
        var deliveryId = job.AttemptId.ToString();
        CallOutcome? precheck = null;
        if (endpoint.PrecheckUrl is { } precheckUrl && job.Precheck is { } precheckBody)
        {
            if (TimeLeft(job, endpoint) is not { } timeout)
                return new DeliveryReport(job.AttemptId, job.ApplicationId, null, null, "The delivery deadline passed before the pre-check.", job.PrecheckOnly);
            var answer = await client.SendAsync(new LenderCall(precheckUrl, endpoint.Secret, DeliveryStage.Precheck, deliveryId, timeout), precheckBody, cancellationToken);
            precheck = Outcome(answer, DeliveryStage.Precheck);
            if (precheck.Result != CallResult.Accepted || job.PrecheckOnly)
                return new DeliveryReport(job.AttemptId, job.ApplicationId, precheck, null, null, job.PrecheckOnly);
        }
        if (TimeLeft(job, endpoint) is not { } postTimeout)
            return new DeliveryReport(job.AttemptId, job.ApplicationId, precheck, null, "The delivery deadline passed before the post.");
        var posted = await client.SendAsync(new LenderCall(endpoint.PostUrl, endpoint.Secret, DeliveryStage.Post, deliveryId, postTimeout), job.Post, cancellationToken);
        return new DeliveryReport(job.AttemptId, job.ApplicationId, precheck, Outcome(posted, DeliveryStage.Post), null);
    }

    // Each call gets the lender's timeout, cut short by what is left of the delivery's deadline.
    private static TimeSpan? TimeLeft(DeliveryJob job, LenderEndpoint endpoint)
    {
        // History no one waits on (the demo's, answered in process): half a minute a call, so that a busy machine never
        // turns an answer into a timeout and the same seed gives the same history.
        if (job.Unhurried) return TimeSpan.FromSeconds(30);
        var left = job.Remaining - Stopwatch.GetElapsedTime(job.IssuedTimestamp);
        if (left <= Placement.ShortestCall) return null;
        var lender = TimeSpan.FromMilliseconds(endpoint.TimeoutMs);
        return left < lender ? left : lender;
    }

    private static CallOutcome Outcome(LenderAnswer answer, DeliveryStage stage)
    {
        var result = answer.Kind switch
        {
            AnswerKind.Accepted => CallResult.Accepted,
            AnswerKind.Refused => CallResult.Refused,
            AnswerKind.Timeout => CallResult.Timeout,
            _ => CallResult.Error,
        };
        return stage == DeliveryStage.Precheck
            ? new CallOutcome(result, answer.LatencyMs, answer.Reason, answer.Price)
            : new CallOutcome(result, answer.LatencyMs, answer.Reason, null, answer.LenderRef, answer.RedirectUrl);
    }
}
