using System.Runtime.InteropServices;

namespace StreamMatte.Pipeline.Stages;

/// <summary>
/// The CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID, a vDSO call: no system call, no allocation). A
/// stage's wall time on shared cores includes waiting for them; its CPU time is what the stage itself costs.
/// </summary>
internal static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTime = 3;   // CLOCK_THREAD_CPUTIME_ID

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Whether this OS has the clock (Linux); elsewhere <see cref="Nanoseconds"/> is always 0.</summary>
    public static bool Available { get; } = OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out _) == 0;

    /// <summary>CPU time of the calling thread so far, in nanoseconds (0 where unavailable).</summary>
    public static long Nanoseconds() =>
        Available && ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : 0;
}
