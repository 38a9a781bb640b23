namespace StreamMatte.Tests.Support;

/// <summary>
/// Managed bytes that code allocates on the calling thread, for the tests that say a path allocates nothing.
/// The runtime occasionally allocates on the calling thread on its own account, a single time: in one full-suite run
/// six guided upsamplings were charged 6,720 B, while the same test alone, and in every other run, measured 0. So a
/// measurement takes a few rounds and keeps the fewest bytes: an allocation the code makes on every call shows in every
/// round, a one-time one in only one.
/// </summary>
public static class Allocations
{
    public static long FewestBytes(Action round, int rounds = 3)
    {
        long fewest = long.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
