using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Reports;

namespace StreamMatte.Bench;

/// <summary>
/// Copies each finished suite's Markdown and CSV tables into bench/results/, under a header that says what ran
/// where: the command, the CPU and core count, the OS, .NET and ONNX Runtime versions, the execution provider and
/// thread count. A table without that header is the kind of number users misread.
/// </summary>
internal static class ResultsWriter
{
    /// <summary>The load average when the run began: on 2 cores, anything else running shows up in every figure.</summary>
    private static readonly string LoadAtStart = ReadLoad();

    /// <summary>Reads the load average now (call at start-up: the header reports the load the suites began under).</summary>
    public static void NoteLoad() => _ = LoadAtStart;

    private static string ReadLoad()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    public static void Publish(IEnumerable<Summary> summaries, string arguments)
    {
        string results = Path.Combine(Paths.RepositoryRoot(), "bench", "results");
        Directory.CreateDirectory(results);
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors || summary.Reports.Length == 0) continue;
            string suite = summary.BenchmarksCases.First().Descriptor.Type.Name;
            string dir = summary.ResultsDirectoryPath;
            var markdown = Directory.GetFiles(dir, $"*{suite}-report-github.md").FirstOrDefault();
            var csv = Directory.GetFiles(dir, $"*{suite}-report.csv").FirstOrDefault();
            if (markdown is null || csv is null) continue;
            string command = $"dotnet run -c Release --project bench -- {arguments}";
            File.WriteAllText(Path.Combine(results, suite + ".md"), Header(suite, command) + File.ReadAllText(markdown));
            File.WriteAllText(Path.Combine(results, suite + ".csv"), $"# {command}\n# {Machine()}\n" + File.ReadAllText(csv));
            Console.WriteLine($"// tables written: bench/results/{suite}.md, bench/results/{suite}.csv");
        }
    }

    private static string Header(string suite, string command) =>
        $"# {suite}\n\n" +
        $"Reproduce: `{command}`\n\n" +
        $"Machine: {Machine()}\n\n" +
        $"ONNX Runtime: 1.30.0 ({StreamMatte.Models.Onnx.OrtRuntime.BuiltWithPackage}'s libonnxruntime, through its .NET API), CPUExecutionProvider, 2 intra-op threads, unless a column says otherwise.\n" +
        "What each row measures is in bench/results/README.md. Mean is per operation (one frame unless the row says otherwise).\n\n";

    public static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        return $"{cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
               $"AVX2 {(System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "yes" : "no")}, AVX-512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "yes" : "no")}, " +
               $"load average (1/5/15 min) at the start {LoadAtStart}, measured {DateTime.UtcNow:yyyy-MM-dd}";
    }
}
