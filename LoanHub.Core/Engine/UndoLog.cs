namespace LoanHub.Core.Engine;

/// <summary>
/// How to take back, newest first, what a run of decisions changed in memory: the writer opens it before deciding
/// a group and, when the group's commit fails, rolls the engine's state back to exactly where it stood, so one bad
/// application costs no reload of the history. Nothing is recorded while it is closed (the history loads unrecorded).
/// </summary>
public sealed class UndoLog
{
    private readonly List<Action> steps = [];
    private bool rollingBack;

    /// <summary>True between <see cref="Open"/> and <see cref="Close"/> or <see cref="RollBack"/>.</summary>
    public bool IsRecording { get; private set; }

    /// <summary>Starts recording, forgetting anything recorded before.</summary>
    public void Open()
    {
        steps.Clear();
        IsRecording = true;
    }

    /// <summary>Records how to undo a change just made; does nothing while closed or rolling back.</summary>
    public void Add(Action undo)
    {
        if (IsRecording && !rollingBack) steps.Add(undo);
    }

    /// <summary>The changes were committed: forgets them and stops recording.</summary>
    public void Close()
    {
        steps.Clear();
        IsRecording = false;
    }

    /// <summary>Undoes every change recorded since <see cref="Open"/>, newest first, and stops recording.</summary>
    public void RollBack()
    {
        rollingBack = true;
        try
        {
            for (var i = steps.Count - 1; i >= 0; i--) steps[i]();
        }
        finally
        {
            rollingBack = false;
            Close();
        }
    }
}
