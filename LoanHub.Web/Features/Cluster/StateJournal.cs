namespace LoanHub.Web.Features.Cluster;

/// <summary>
/// The <see cref="StateChange"/>s of the group the writer is deciding, kept while it is open and written with the
/// group's turn (<see cref="WriterTurns"/>); changes applied from other instances' turns are not recorded again.
/// </summary>
internal sealed class StateJournal
{
    private readonly List<StateChange> changes = [];

    public bool IsRecording { get; private set; }

    public int Count => changes.Count;

    /// <summary>Starts recording a group, forgetting anything recorded before.</summary>
    public void Begin()
    {
        changes.Clear();
        IsRecording = true;
    }

    public void Add(StateChange change)
    {
        if (IsRecording) changes.Add(change);
    }

    /// <summary>Forgets what was recorded after the first <paramref name="count"/> changes: a part of the group was taken back.</summary>
    public void TruncateTo(int count) => changes.RemoveRange(count, changes.Count - count);

    /// <summary>Stops recording and hands over the group's changes.</summary>
    public IReadOnlyList<StateChange> End()
    {
        IsRecording = false;
        var group = changes.ToArray();
        changes.Clear();
        return group;
    }
}
