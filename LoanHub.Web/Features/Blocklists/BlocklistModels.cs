using LoanHub.Core.Engine;

namespace LoanHub.Web.Features.Blocklists;

public enum BlockState { Active, Expired, Lifted }

/// <summary>One entry as the admin's list shows it: what kind of key (never the key), why, by whom, until when, and its stops.</summary>
public sealed record BlocklistRow(
    Guid Id,
    int Version,
    LinkKind Kind,
    string Reason,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset Until,
    Guid? ReviewCaseId,
    int Stopped,
    BlockState State,
    string? LiftedBy,
    DateTimeOffset? LiftedAt,
    string? LiftReason);

/// <param name="Active">Entries that block right now, whatever the list shows.</param>
public sealed record BlocklistView(IReadOnlyList<BlocklistRow> Rows, int Active, int StoppedTotal, DateTimeOffset LoadedAt);

public sealed record BlocklistResult(bool Succeeded, string? Message)
{
    public static BlocklistResult Ok { get; } = new(true, null);
    public static BlocklistResult Fail(string message) => new(false, message);
}
