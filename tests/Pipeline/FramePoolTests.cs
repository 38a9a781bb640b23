using System.Runtime.InteropServices;
using StreamMatte.Pipeline.Frames;

namespace StreamMatte.Tests.Pipeline;

/// <summary>The frame pool's memory: mapped when the pool is made, not on the first frames that pass through it.</summary>
public partial class FramePoolTests
{
    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int mincore(void* address, nuint length, byte* residency);

    /// <summary>The share of the pages under <paramref name="data"/> that are in memory (Linux mincore).</summary>
    private static unsafe double ResidentShare<T>(T[] data) where T : unmanaged
    {
        long page = Environment.SystemPageSize;
        fixed (T* start = data)
        {
            long from = (long)start / page * page, to = ((long)start + (long)data.Length * sizeof(T) + page - 1) / page * page;
            int pages = (int)((to - from) / page);
            var residency = new byte[pages];
            fixed (byte* r = residency)
                Assert.Equal(0, mincore((void*)from, (nuint)(to - from), r));
            return residency.Count(b => (b & 1) != 0) / (double)pages;
        }
    }

    [Fact]
    public async Task Every_page_of_a_pooled_frame_is_in_memory_before_the_first_frame_is_rented()
    {
        // 4K: arrays this large come from memory the process has not touched yet, mapped only on their first write.
        var pool = new FramePool(2, 3840, 2160, 512, 288);
        var frame = await pool.RentAsync();   // renting writes nothing into the buffers
        try
        {
            Assert.Equal(1.0, ResidentShare(frame.Image.Pixels), 3);
            Assert.Equal(1.0, ResidentShare(frame.Alpha.Data), 3);
        }
        finally { pool.Return(frame); }
    }
}
