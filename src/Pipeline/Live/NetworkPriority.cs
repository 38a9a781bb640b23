using System.Runtime.InteropServices;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// Lowers the priority of the calling thread (Linux nice is per thread, and threads a thread creates inherit it).
/// Raising a nice value needs no privilege. Best effort: elsewhere, or if refused, the thread keeps its priority and
/// the reason is returned for the log.
/// </summary>
public static partial class ThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value to <paramref name="nice"/> (0..19); null on success, else why not.</summary>
    public static string? LowerCurrentThread(int nice)
    {
        if (nice <= 0) return null;
        if (!OperatingSystem.IsLinux()) return "thread priorities are only lowered on Linux";
        try
        {
            int tid = GetTid();
            return SetPriority(PrioProcess, tid, Math.Min(nice, 19)) == 0 ? null : $"setpriority failed (errno {Marshal.GetLastPInvokeError()})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
    }

    /// <summary>The calling thread's nice value (Linux), or null.</summary>
    public static int? CurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return null;
        Marshal.SetLastPInvokeError(0);
        int value = GetPriority(PrioProcess, GetTid());
        return value == -1 && Marshal.GetLastPInvokeError() != 0 ? null : value;
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);
}
