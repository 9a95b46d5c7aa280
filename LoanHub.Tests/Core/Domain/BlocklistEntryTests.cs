using LoanHub.Core.Domain;
using LoanHub.Core.Engine;

namespace LoanHub.Tests.Core.Domain;

public class BlocklistEntryTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));

    private static BlocklistEntry Entry(int days = BlocklistEntry.DefaultDays) => new(LinkKind.Device, "hash", "Ring", "rita@test.local", At, days, null);

    [Fact]
    public void An_entry_blocks_for_its_days_and_then_expires()
    {
        var entry = Entry(days: 180);

        Assert.Equal(At.AddDays(180), entry.Until);
        Assert.True(entry.IsActiveAt(At.AddDays(180).AddTicks(-1)));
        Assert.False(entry.IsActiveAt(At.AddDays(180)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(BlocklistEntry.MaxDays + 1)]
    public void A_block_lasts_one_day_to_two_years(int days) => Assert.Throws<DomainException>(() => Entry(days));

    [Fact]
    public void A_lift_needs_a_reason_happens_once_and_ends_the_block()
    {
        var entry = Entry();

        Assert.Throws<DomainException>(() => entry.Lift("admin@test.local", " ", At.AddDays(1)));
        entry.Lift("admin@test.local", "Family phone, verified", At.AddDays(1));

        Assert.False(entry.IsActiveAt(At.AddDays(2)));
        Assert.Equal("Family phone, verified", entry.LiftReason);
        Assert.Throws<DomainException>(() => entry.Lift("admin@test.local", "again", At.AddDays(2)));
    }

    [Fact]
    public void An_expired_entry_cannot_be_lifted() =>
        Assert.Throws<DomainException>(() => Entry(days: 1).Lift("admin@test.local", "late", At.AddDays(1)));
}

public class AprRangeTests
{
    [Theory]
    [InlineData(0.08, 0.24, null)]
    [InlineData(0.36, 0.36, null)]
    [InlineData(0, 0.24, "The lowest APR must be above 0.")]
    [InlineData(0.24, 0.08, "The highest APR must be at least the lowest.")]
    [InlineData(0.08, 0.3601, "The highest APR may be at most 0.36 (36 %, the legal ceiling for lending in China).")]
    public void An_apr_range_needs_0_below_min_at_most_max_at_most_36_percent(double min, double max, string? problem)
    {
        Assert.Equal(problem, AprRange.ProblemWith((decimal)min, (decimal)max));
        if (problem is null) Assert.Equal((decimal)max, AprRange.Create((decimal)min, (decimal)max).Max);
        else Assert.Throws<DomainException>(() => AprRange.Create((decimal)min, (decimal)max));
    }

    [Fact]
    public void A_range_past_24_percent_is_flagged_and_reads_in_percent()
    {
        Assert.True(AprRange.Create(0.18m, 0.36m).AboveSupervisoryLine);
        Assert.False(AprRange.Create(0.08m, 0.24m).AboveSupervisoryLine);
        Assert.Equal("8–24 %", AprRange.Create(0.08m, 0.24m).ToString());
    }
}
