namespace StreamMatte.Tests.Support;

/// <summary>
/// Managed bytes that code allocates on the calling thread, for the tests that say a path allocates nothing.
/// The runtime can itself allocate on the calling thread, now and then and once. In one full-suite run, six guided
/// upsamplings were charged 6,720 B; the same test run alone, and in the other runs, measured 0. So each measurement
/// is taken over a few rounds and the fewest bytes count. An allocation the code makes on every call shows in every
/// round; a one-time one shows in only one.
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
