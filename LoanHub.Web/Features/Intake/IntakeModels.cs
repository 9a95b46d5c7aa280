using LoanHub.Core.Domain;

namespace LoanHub.Web.Features.Intake;

/// <summary>One validated application on its way into the writer.</summary>
public sealed record IntakeCommand(SourceId SourceId, ValidIntake Intake, string RequestHash, DateTimeOffset ReceivedAt)
{
    internal TaskCompletionSource<IntakeOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public enum IntakeDisposition { Created, Replayed, Conflict }

public sealed record RoutedTo(string LenderCode, string ProductCode);

/// <summary>What the writer answers for one command; <see cref="Created"/> means durably committed.</summary>
public sealed record IntakeOutcome(IntakeDisposition Disposition, ApplicationId ApplicationId, ApplicationStatus Status, RoutedTo? RoutedTo)
{
    public static IntakeOutcome Conflict(ApplicationId existing) => new(IntakeDisposition.Conflict, existing, ApplicationStatus.Received, null);
}

/// <summary>Intake settings (<c>LoanHub:Intake</c>).</summary>
public sealed record IntakeOptions
{
    public int MaxBatch { get; init; } = 256;
    public int PermitsPerSecondPerSource { get; init; } = 1000;
}

/// <summary>What became of one reviewed application.</summary>
public sealed record ReviewOutcome(Guid CaseId, ApplicationId ApplicationId, ApplicationStatus Status, RoutedTo? RoutedTo);
