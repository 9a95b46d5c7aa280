/// <summary>
/// What a measured stretch asked of the garbage collector: bytes allocated (by every thread of the process, the app's
/// background jobs included) per item, and the collections of each generation. Unlike times, these hardly move with
/// the load of a shared machine, so a change that allocates less shows even when the clock is noisy.
/// </summary>
internal readonly struct HeapWork
{
    private readonly long allocated;
    private readonly int gen0, gen1, gen2;
    private readonly TimeSpan paused;

    private HeapWork(long allocated, int gen0, int gen1, int gen2, TimeSpan paused) =>
        (this.allocated, this.gen0, this.gen1, this.gen2, this.paused) = (allocated, gen0, gen1, gen2, paused);

    public static HeapWork Start() =>
        new(GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    /// <summary>"N bytes allocated an item, GCs g0/g1/g2, paused for" since <see cref="Start"/>.</summary>
    public string Stop(long items)
    {
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return $"{bytes / (double)Math.Max(1, items):N0} bytes allocated an applicant, collections gen0 {GC.CollectionCount(0) - gen0} / gen1 {GC.CollectionCount(1) - gen1} / gen2 {GC.CollectionCount(2) - gen2}, paused {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s";
    }
}
