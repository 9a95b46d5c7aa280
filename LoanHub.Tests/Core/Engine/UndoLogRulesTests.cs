using LoanHub.Core.Engine;

namespace LoanHub.Tests.Core.Engine;

public class UndoLogRulesTests
{
    [Fact]
    public void Rolling_back_undoes_newest_first_and_stops_recording()
    {
        var undo = new UndoLog();
        var order = new List<int>();
        Assert.False(undo.IsRecording);
        undo.Open();
        Assert.True(undo.IsRecording);
        undo.Add(() => order.Add(1));
        undo.Add(() => order.Add(2));
        undo.RollBack();
        Assert.Equal([2, 1], order);
        Assert.False(undo.IsRecording);
        undo.RollBack();
        Assert.Equal([2, 1], order);
    }

    [Fact]
    public void Opening_again_forgets_what_was_recorded_before()
    {
        var undo = new UndoLog();
        var value = 0;
        undo.Open();
        undo.Add(() => value = 1);
        undo.Open();
        undo.RollBack();
        Assert.Equal(0, value);
    }

    [Fact]
    public void Changes_made_while_rolling_back_are_not_recorded()
    {
        var undo = new UndoLog();
        var calls = 0;
        undo.Open();
        undo.Add(() =>
        {
            calls++;
            undo.Add(() => calls += 100);
        });
        undo.RollBack();
        Assert.Equal(1, calls);
        undo.Open();
        undo.RollBack();
        Assert.Equal(1, calls);
    }

    [Fact]
    public void A_failing_step_still_ends_the_rollback()
    {
        var undo = new UndoLog();
        undo.Open();
        undo.Add(() => throw new InvalidOperationException("step"));
        Assert.Throws<InvalidOperationException>(undo.RollBack);
        Assert.False(undo.IsRecording);
        var value = 0;
        undo.Add(() => value = 1);
        undo.RollBack();
        Assert.Equal(0, value);
    }
}
