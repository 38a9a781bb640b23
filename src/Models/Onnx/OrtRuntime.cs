using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace StreamMatte.Models.Onnx;

/// <summary>
/// The ONNX Runtime in this process: which native library the managed API (Microsoft.ML.OnnxRuntime) loads, and
/// its one <see cref="OrtEnv"/>, created with a logger that keeps ORT's error lines so that a provider that fails
/// can say why (the exception says only "Failed to load shared library"; the log names the missing CUDA library).
/// <para>
/// The library, decided once per process at the first <see cref="Load"/>: <c>$STREAM_MATTE_ORT_LIB</c> when set;
/// for <c>--device webgpu</c> the WebGPU build that <c>./setup.sh --webgpu</c> fetched from npm into
/// <c>.cache/onnxruntime/</c> (the NuGet packages have no WebGPU); otherwise the NuGet package's
/// <c>runtimes/linux-x64/native/libonnxruntime.so</c> beside the program.
/// </para>
/// </summary>
public sealed class OrtRuntime
{
    public const string LibraryEnvironmentVariable = "STREAM_MATTE_ORT_LIB";
    public const string WebGpuLibraryVersion = "1.30.0";
    private const string WebGpuLibraryFileName = "libonnxruntime.so.1";
    private const int KeptLogLines = 32;

    private static readonly object Gate = new();
    private static OrtRuntime? _loaded;
    private static string? _chosenLibrary;
    private static readonly Queue<string> ErrorLog = new();
    // Kept in a static field: native code calls it for the life of the process.
    private static readonly DOrtLoggingFunction Logger = KeepErrorLine;

    static OrtRuntime() =>
        NativeLibrary.SetDllImportResolver(typeof(InferenceSession).Assembly, (name, assembly, searchPath) =>
            name == "onnxruntime" && _chosenLibrary != null ? NativeLibrary.Load(_chosenLibrary) : 0);

    public OrtEnv Env { get; }

    /// <summary>Absolute path of the native library in use.</summary>
    public string LibraryPath { get; }

    /// <summary>Where that library came from, e.g. "Microsoft.ML.OnnxRuntime.Gpu.Linux 1.30.0 (NuGet)".</summary>
    public string Package { get; }

    /// <summary>ONNX Runtime's own version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    private OrtRuntime(OrtEnv env, string libraryPath, string package)
    {
        Env = env;
        LibraryPath = libraryPath;
        Package = package;
        Version = env.GetVersionString();
    }

    /// <summary>The NuGet package this build references (set by src/Models/Models.csproj).</summary>
    public static string BuiltWithPackage { get; } =
        typeof(OrtRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OnnxRuntimePackage")?.Value ?? "Microsoft.ML.OnnxRuntime (unknown package)";

    /// <summary>
    /// The runtime of this process, loaded on first use. <paramref name="device"/> only matters on that first call:
    /// WebGPU needs npm's build. <paramref name="libraryPath"/> overrides the search.
    /// </summary>
    /// <exception cref="OrtLibraryException">No usable ONNX Runtime library; the message says what to do.</exception>
    public static OrtRuntime Load(ExecutionDevice device = ExecutionDevice.Auto, string? libraryPath = null)
    {
        lock (Gate)
        {
            if (_loaded != null)
            {
                if (!string.IsNullOrEmpty(libraryPath) && Path.GetFullPath(libraryPath) != _loaded.LibraryPath)
                    throw new OrtLibraryException(
                        $"this process already runs ONNX Runtime from '{_loaded.LibraryPath}'; '{libraryPath}' can only be used by a new process.");
                return _loaded;
            }
            var (path, package) = ChooseLibrary(device, libraryPath);
            _chosenLibrary = path;
            try
            {
                var options = new EnvironmentCreationOptions
                {
                    logId = "stream-matte",
                    logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, // INFO and warnings are noise for users
                    loggingFunction = Logger,
                };
                _loaded = new OrtRuntime(OrtEnv.CreateInstanceWithOptions(ref options), path, package);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                _chosenLibrary = null;
                throw new OrtLibraryException($"'{path}' could not be loaded as ONNX Runtime: {CommandLineText(e.Message)}", e);
            }
            catch (OnnxRuntimeException e)
            {
                _chosenLibrary = null;
                throw new OrtLibraryException($"'{path}' is not a usable ONNX Runtime {WebGpuLibraryVersion}: {OrtErrors.Essential(e.Message)}", e);
            }
            return _loaded;
        }
    }

    /// <summary>The library the next first <see cref="Load"/> would take, and where it comes from; throws with advice when there is none.</summary>
    public static (string Path, string Package) ChooseLibrary(ExecutionDevice device, string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
            return (CheckLibrary(explicitPath, "the ONNX Runtime library given"), "given by path");
        string? fromEnv = Environment.GetEnvironmentVariable(LibraryEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnv))
            return (CheckLibrary(fromEnv, LibraryEnvironmentVariable), $"from ${LibraryEnvironmentVariable}");
        if (device == ExecutionDevice.WebGpu && WebGpuLibrary() is { } webGpu)
            return (webGpu, $"onnxruntime-node@{WebGpuLibraryVersion} (npm, fetched by ./setup.sh --webgpu)");
        string packaged = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libonnxruntime.so");
        if (File.Exists(packaged)) return (packaged, $"{BuiltWithPackage} (NuGet)");
        throw new OrtLibraryException(
            $"ONNX Runtime was not found: {packaged} is missing. Run ./setup.sh (it restores {BuiltWithPackage} from NuGet and builds), " +
            $"or set {LibraryEnvironmentVariable} to a libonnxruntime.so {WebGpuLibraryVersion}.");
    }

    /// <summary>npm's WebGPU build of ONNX Runtime, if <c>./setup.sh --webgpu</c> fetched it.</summary>
    public static string? WebGpuLibrary()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, ".cache", "onnxruntime", WebGpuLibraryVersion, WebGpuLibraryFileName);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is an ONNX Runtime library before the managed API binds to it (once bound,
    /// a process cannot switch): it exists, loads, and exports OrtGetApiBase. Returns its full path.
    /// </summary>
    public static string CheckLibrary(string path, string what = "the ONNX Runtime library given")
    {
        if (!File.Exists(path))
            throw new OrtLibraryException($"{what} points to '{path}', which does not exist.");
        path = Path.GetFullPath(path);
        nint handle;
        try { handle = NativeLibrary.Load(path); }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new OrtLibraryException($"'{path}' could not be loaded as a native library: {CommandLineText(e.Message)}", e);
        }
        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out _))
            throw new OrtLibraryException($"'{path}' is not ONNX Runtime: it has no OrtGetApiBase export.");
        return path;
    }

    private static string CommandLineText(string s) => s.ReplaceLineEndings(" ").Trim();

    /// <summary>
    /// Providers compiled into this library (<see cref="OrtEnv.GetAvailableProviders"/>). This does NOT say what can
    /// run (CUDA is listed without its CUDA libraries); <see cref="OrtSession"/> reports what really runs.
    /// </summary>
    public IReadOnlyList<string> CompiledProviders() => Env.GetAvailableProviders();

    /// <summary>A mark in ORT's error log, to read what was logged after it.</summary>
    internal static int LogMark() { lock (ErrorLog) return _logged; }

    /// <summary>ORT's error lines since <paramref name="mark"/>, shortened to their essential part, joined by "; ".</summary>
    internal static string ErrorsSince(int mark)
    {
        lock (ErrorLog)
        {
            int fresh = Math.Min(_logged - mark, ErrorLog.Count);
            return string.Join("; ", ErrorLog.Skip(ErrorLog.Count - fresh).Select(OrtErrors.Essential).Distinct());
        }
    }

    private static int _logged;

    private static void KeepErrorLine(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        if (severity < OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR) return;
        lock (ErrorLog)
        {
            ErrorLog.Enqueue(message.Trim());
            if (ErrorLog.Count > KeptLogLines) ErrorLog.Dequeue();
            _logged++;
        }
    }
}
