using System.Globalization;
using System.Runtime.InteropServices;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// How the live network's threads give way to the frame path (Linux; native threads a thread creates inherit both the
/// policy and the nice value, so ONNX Runtime's workers, made while the session is opened, follow the thread that
/// opened it; .NET's own threads inherit only the nice value). Lowering a thread's priority needs no privilege.
/// <list type="bullet">
/// <item><see cref="Idle"/> (the default): SCHED_IDLE. The network runs only on CPU time nothing else wants, and a
/// frame-path thread that wakes up takes the core from it at once (with nice alone it waits for the network's time
/// slice to end; the README's start-up table has what each change bought).</item>
/// <item><see cref="Nice"/> N: the network shares the CPU by weight, N steps lower (0 = the same as the frames). For
/// a machine busy with other programs, where idle time is rare and the matte would otherwise go stale.</item>
/// </list>
/// </summary>
public readonly partial record struct NetworkPriority
{
    private const int SchedIdle = 5, PrioProcess = 0;

    /// <summary>True: SCHED_IDLE; false: the normal policy at <see cref="NiceSteps"/>.</summary>
    public bool IsIdle { get; private init; }

    /// <summary>Nice steps below the frame path (0..19), when not <see cref="IsIdle"/>.</summary>
    public int NiceSteps { get; private init; }

    public static NetworkPriority Idle => new() { IsIdle = true };

    public static NetworkPriority Nice(int steps) => steps is >= 0 and <= 19
        ? new() { NiceSteps = steps }
        : throw new ArgumentException($"--network-priority: a nice value must be between 0 and 19, got {steps}");

    /// <summary>"idle", or a nice value 0..19.</summary>
    public static NetworkPriority Parse(string text)
    {
        text = text.Trim();
        if (text.Equals("idle", StringComparison.OrdinalIgnoreCase)) return Idle;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int steps)
            ? Nice(steps)
            : throw new ArgumentException($"--network-priority must be idle or a nice value 0-19, got '{text}'");
    }

    public override string ToString() => IsIdle ? "idle (SCHED_IDLE: only CPU time the frames leave)" : NiceSteps == 0 ? "the same as the frames" : $"{NiceSteps} nice steps lower";

    /// <summary>Applies this priority to the calling thread; null on success, else why not (the thread keeps its priority).</summary>
    public string? ApplyToCurrentThread()
    {
        if (!IsIdle && NiceSteps == 0) return null;
        if (!OperatingSystem.IsLinux()) return "thread priorities are only lowered on Linux";
        try
        {
            int tid = GetTid();
            if (IsIdle)
            {
                var none = new SchedParam();
                return SetScheduler(tid, SchedIdle, ref none) == 0 ? null : $"sched_setscheduler(SCHED_IDLE) failed (errno {Marshal.GetLastPInvokeError()})";
            }
            return SetPriority(PrioProcess, tid, NiceSteps) == 0 ? null : $"setpriority failed (errno {Marshal.GetLastPInvokeError()})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
    }

    /// <summary>The calling thread's policy and nice value as the kernel reports them (Linux), e.g. "idle" or "nice 5"; null elsewhere. For tests.</summary>
    internal static string? OfCurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return null;
        // /proc/thread-self/stat: after the command's closing parenthesis, field 19 is the nice value and field 41 the policy.
        string stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[41 - 3] == SchedIdle.ToString(CultureInfo.InvariantCulture)) return "idle";
        return $"nice {fields[19 - 3]}";
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam { public int Priority; }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SetScheduler(int pid, int policy, ref SchedParam param);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

}
