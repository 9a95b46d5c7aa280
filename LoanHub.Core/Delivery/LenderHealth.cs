using LoanHub.Core.Domain;

namespace LoanHub.Core.Delivery;

/// <summary>One ended attempt as lender health counts it.</summary>
public sealed record AttemptSample(DateTimeOffset At, bool WithPrecheck, CallResult? Precheck, CallResult? Post, int LatencyMs)
{
    public static AttemptSample Of(DeliveryAttempt attempt) => new(attempt.CompletedAt ?? attempt.CreatedAt, attempt.WithPrecheck,
        attempt.PrecheckResult, attempt.PostResult, (attempt.PrecheckLatencyMs ?? 0) + (attempt.PostLatencyMs ?? 0));

    /// <summary>The call that ended the attempt: the pre-check when it did not accept, else the post.</summary>
    public CallResult? Ending => WithPrecheck && Precheck is not CallResult.Accepted ? Precheck : Post;
}

/// <summary>When the system pauses a lender whose endpoint fails (<c>LoanHub:Delivery:AutoPause*</c>).</summary>
public sealed record AutoPausePolicy(double ErrorRate, int MinAttempts, TimeSpan Window)
{
    public static AutoPausePolicy Default { get; } = new(0.5, 20, TimeSpan.FromMinutes(15));

    /// <summary>Timeouts and errors reach the rate over at least the minimum number of attempts.</summary>
    public bool IsBreached(int attempts, int failures) =>
        attempts >= Math.Max(1, MinAttempts) && (double)failures / attempts >= ErrorRate;

    public string Reason(int attempts, int timeouts, int errors) => System.FormattableString.Invariant(
        $"Paused automatically: {Count(timeouts, "timeout")} and {Count(errors, "error")} in {Count(attempts, "attempt")} over the last {Window.TotalMinutes:0} minutes ({(double)(timeouts + errors) / attempts:P0}; the limit is {ErrorRate:P0}).");

    private static string Count(int n, string noun) => System.FormattableString.Invariant($"{n} {noun}{(n == 1 ? "" : "s")}");
}

/// <summary>
/// The running count of one lender's attempts and failures over the policy's window, kept by the writer as answers
/// arrive so that auto-pause costs nothing per answer.
/// </summary>
public sealed class FailureWindow(AutoPausePolicy policy)
{
    private readonly Queue<(DateTimeOffset At, CallResult? Ending)> samples = new();
    private int timeouts;
    private int errors;

    public int Attempts => samples.Count;

    public void Add(AttemptSample sample)
    {
        samples.Enqueue((sample.At, sample.Ending));
        if (sample.Ending == CallResult.Timeout) timeouts++;
        if (sample.Ending == CallResult.Error) errors++;
        var since = sample.At - policy.Window;
        while (samples.TryPeek(out var oldest) && oldest.At <= since)
        {
            samples.Dequeue();
            if (oldest.Ending == CallResult.Timeout) timeouts--;
            if (oldest.Ending == CallResult.Error) errors--;
        }
    }

    public bool IsBreached => policy.IsBreached(samples.Count, timeouts + errors);

    public string Reason => policy.Reason(samples.Count, timeouts, errors);

    public void Clear()
    {
        samples.Clear();
        timeouts = errors = 0;
    }
}

/// <summary>
/// A lender's delivery figures over a sliding window: attempts, acceptance at pre-check and post, timeouts,
/// errors and latency. The writer computes them from the answers it records to pause a failing lender, and the
/// console from the stored attempts, with this one rule.
/// </summary>
public sealed record LenderHealth(
    int Attempts,
    int Prechecks,
    int PrechecksAccepted,
    int Posts,
    int PostsAccepted,
    int Timeouts,
    int Errors,
    int? P50LatencyMs,
    int? P95LatencyMs)
{
    public static LenderHealth Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, null, null);

    public double? PrecheckAcceptance => Prechecks == 0 ? null : (double)PrechecksAccepted / Prechecks;
    public double? PostAcceptance => Posts == 0 ? null : (double)PostsAccepted / Posts;
    /// <summary>Timeouts and errors as a share of attempts: what auto-pause watches.</summary>
    public double? FailureRate => Attempts == 0 ? null : (double)(Timeouts + Errors) / Attempts;

    public static LenderHealth Of(IEnumerable<AttemptSample> samples, DateTimeOffset now, TimeSpan window)
    {
        var since = now - window;
        var recent = samples.Where(s => s.At > since && s.At <= now && (s.Precheck is not null || s.Post is not null)).ToList();
        if (recent.Count == 0) return Empty;
        var prechecks = recent.Where(s => s.WithPrecheck && s.Precheck is not null).ToList();
        var posts = recent.Where(s => s.Post is not null).ToList();
        var latencies = recent.Select(s => s.LatencyMs).Order().ToArray();
        return new LenderHealth(
            recent.Count,
            prechecks.Count,
            prechecks.Count(s => s.Precheck == CallResult.Accepted),
            posts.Count,
            posts.Count(s => s.Post == CallResult.Accepted),
            recent.Count(s => s.Ending == CallResult.Timeout),
            recent.Count(s => s.Ending == CallResult.Error),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95));
    }

    /// <summary>Whether these figures reach the policy's failure rate over at least its minimum of attempts.</summary>
    public bool CallsForPause(AutoPausePolicy policy) => policy.IsBreached(Attempts, Timeouts + Errors);

    // Nearest rank on sorted values.
    private static int? Percentile(int[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
