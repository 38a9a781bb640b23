using StreamMatte.Models.Onnx;
using StreamMatte.Pipeline.Live;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Pipeline;

/// <summary>The live network's thread priority: parsed from the command line, applied, and inherited by the threads it starts.</summary>
public class NetworkPriorityTests
{
    [Fact]
    public void Idle_and_nice_values_parse_and_anything_else_is_refused_with_the_option_named()
    {
        Assert.True(NetworkPriority.Parse("idle").IsIdle);
        Assert.True(NetworkPriority.Parse(" IDLE ").IsIdle);
        Assert.Equal(7, NetworkPriority.Parse("7").NiceSteps);
        Assert.False(NetworkPriority.Parse("0").IsIdle);
        Assert.Contains("--network-priority", Assert.Throws<ArgumentException>(() => NetworkPriority.Parse("20")).Message);
        Assert.Contains("--network-priority", Assert.Throws<ArgumentException>(() => NetworkPriority.Parse("low")).Message);
        Assert.True(new StreamMatte.Pipeline.PipelineSettings().LiveNetworkPriority.IsIdle);   // the default
    }

    [Theory]
    [InlineData("idle", "idle")]
    [InlineData("9", "nice 9")]
    public void A_priority_holds_on_the_thread_it_was_applied_to_and_on_the_worker_threads_of_a_session_it_opens(string priority, string expected)
    {
        // ONNX Runtime's worker threads are started (natively) by the thread that opens the session: they inherit its
        // policy and nice value, which is how the live network's workers give way to the frame path too. (.NET's own
        // threads inherit the nice value but not the policy.)
        if (!OperatingSystem.IsLinux()) return;
        string? before = NetworkPriority.OfCurrentThread(), problem = null, own = null;
        OrtSession? session = null;
        string openerName = $"prio-{priority}";   // one per case (Linux keeps 15 characters of a thread's name)
        var opener = new Thread(() =>
        {
            problem = NetworkPriority.Parse(priority).ApplyToCurrentThread();
            own = NetworkPriority.OfCurrentThread();
            var model = new OnnxModelBuilder().Input("x", 1, 1, 4, 4).Output("y", 1, 1, 4, 4).Node("Sigmoid", ["x"], ["y"]).Build();
            session = OrtSession.Open(model, "sigmoid", new SessionSettings { Device = ExecutionDevice.Cpu, IntraOpThreads = 2 });
        }) { Name = openerName };
        opener.Start();
        opener.Join();
        using var _ = session;
        // Native threads take their creator's name: what is left under the opener's name (it has ended) is ORT's.
        var workers = Threads().Where(t => t.Value.Name == openerName).ToList();

        Assert.Null(problem);
        Assert.Equal(expected, own);
        Assert.NotEmpty(workers);   // two intra-op threads: the caller's and one worker
        Assert.All(workers, w => Assert.Equal(expected, w.Value.Priority));
        Assert.Equal(before, NetworkPriority.OfCurrentThread());   // the test's own thread is untouched
    }


    /// <summary>This process's threads now: id → name and "idle" or "nice N", from /proc/self/task/*.</summary>
    private static Dictionary<string, (string Name, string Priority)> Threads()
    {
        var threads = new Dictionary<string, (string, string)>();
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            string stat, name;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
                name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
            }
            catch (IOException) { continue; }   // the thread ended meanwhile
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            threads[Path.GetFileName(task)] = (name, fields[41 - 3] == "5" ? "idle" : $"nice {fields[19 - 3]}");
        }
        return threads;
    }
}
