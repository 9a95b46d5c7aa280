using System.Text.Json.Serialization;
using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Intake;

/// <summary>What the writer takes from its queue: an application to decide, or a lender's answer to record.</summary>
public abstract record WriterWork;

/// <summary>
/// A beat of this instance's membership on a shared store: the writer catches up with the others' turns and takes over
/// the deliveries of instances that are gone, even while no intake comes (ADR 0013).
/// </summary>
internal sealed record ClusterTick : WriterWork
{
    public static readonly ClusterTick Instance = new();
}

/// <summary>One validated application on its way into the writer.</summary>
public sealed record IntakeCommand(SourceId SourceId, ValidIntake Intake, string RequestHash, DateTimeOffset ReceivedAt) : WriterWork
{
    internal TaskCompletionSource<IntakeOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Backdated history that no source waits on (the demo generator): its delivery has no deadline.</summary>
    internal bool Unhurried { get; init; }
    /// <summary>The keyed hashes of the applicant's national ID, phone, device and IP, computed before the writer takes it.</summary>
    internal LookupHashes? LookupHashes { get; set; }
    /// <summary>The application the writer created for it, once decided.</summary>
    internal ApplicationId? ApplicationId { get; set; }
}

public enum IntakeDisposition { Created, Replayed, Conflict }

/// <summary>Where a lead landed; the lender's reference and the borrower's next step when the lender gave them.</summary>
public sealed record RoutedTo(
    string LenderCode,
    string ProductCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LenderRef = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RedirectUrl = null);

/// <summary>What the writer answers for one command; <see cref="Created"/> means durably committed.</summary>
public sealed record IntakeOutcome(IntakeDisposition Disposition, ApplicationId ApplicationId, ApplicationStatus Status, RoutedTo? RoutedTo)
{
    public static IntakeOutcome Conflict(ApplicationId existing) => new(IntakeDisposition.Conflict, existing, ApplicationStatus.Received, null);
}

/// <summary>Intake settings (<c>LoanHub:Intake</c>).</summary>
public sealed record IntakeOptions
{
    public int MaxBatch { get; init; } = 256;
    /// <summary>The most applications waiting for the writer; beyond it intake answers 503 with Retry-After.</summary>
    public int QueueLimit { get; init; } = 5000;
    public int PermitsPerSecondPerSource { get; init; } = 1000;
}

/// <summary>What became of one reviewed application.</summary>
public sealed record ReviewOutcome(Guid CaseId, ApplicationId ApplicationId, ApplicationStatus Status, RoutedTo? RoutedTo);

/// <summary>The writer has more applications waiting than it may queue: the source is asked to retry shortly.</summary>
public sealed class WriterBusyException(int limit) : Exception($"{limit} applications are already waiting to be decided; retry shortly.")
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
}
