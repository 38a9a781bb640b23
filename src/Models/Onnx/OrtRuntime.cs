using System.Runtime.InteropServices;

namespace StreamMatte.Models.Onnx;

/// <summary>
/// A loaded ONNX Runtime native library: its API table, one <c>OrtEnv</c>, the CPU memory info and the default
/// allocator. One per library path for the life of the process (ORT's environment is process-wide anyway).
/// <para>
/// Library search order: the path given, then <c>$STREAM_MATTE_ORT_LIB</c>, then the copy <c>./setup.sh</c> put in
/// <c>.cache/onnxruntime/</c> of the repository, then the system's <c>libonnxruntime.so.1</c>. Point
/// STREAM_MATTE_ORT_LIB at ONNX Runtime's GPU build (with its provider libraries beside it) to get CUDA.
/// </para>
/// </summary>
public sealed unsafe class OrtRuntime
{
    public const string LibraryEnvironmentVariable = "STREAM_MATTE_ORT_LIB";
    public const string BundledVersion = "1.30.0";
    private const string LibraryFileName = "libonnxruntime.so.1";

    private static readonly Dictionary<string, OrtRuntime> Loaded = new(StringComparer.Ordinal);

    internal OrtApi Api { get; }
    internal nint Env { get; }
    internal nint CpuMemoryInfo { get; }
    internal nint DefaultAllocator { get; }

    /// <summary>Absolute path of the native library in use.</summary>
    public string LibraryPath { get; }

    /// <summary>ONNX Runtime's own version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    private OrtRuntime(string libraryPath, OrtApi api, string version)
    {
        LibraryPath = libraryPath;
        Api = api;
        Version = version;
        nint env, memoryInfo, allocator;
        byte* logId = Utf8.Alloc("stream-matte");
        try
        {
            // Warnings and errors only: ORT's INFO log is noise for users; errors reach us as statuses anyway.
            OrtStatus.Check(api, api.CreateEnv(3 /* ORT_LOGGING_LEVEL_ERROR */, logId, &env));
        }
        finally { Utf8.Free(logId); }
        OrtStatus.Check(api, api.CreateCpuMemoryInfo(0 /* OrtDeviceAllocator */, 0 /* OrtMemTypeDefault */, &memoryInfo));
        OrtStatus.Check(api, api.GetAllocatorWithDefaultOptions(&allocator));
        Env = env;
        CpuMemoryInfo = memoryInfo;
        DefaultAllocator = allocator;
    }

    /// <summary>The runtime for <paramref name="libraryPath"/> (or the default search), loaded once per process.</summary>
    /// <exception cref="OrtLibraryException">No usable ONNX Runtime library; the message says what to do.</exception>
    public static OrtRuntime Load(string? libraryPath = null)
    {
        string path = ResolveLibraryPath(libraryPath);
        lock (Loaded)
        {
            if (Loaded.TryGetValue(path, out var runtime)) return runtime;
            runtime = Open(path);
            Loaded[path] = runtime;
            return runtime;
        }
    }

    /// <summary>Where the library will be loaded from, and why; throws with advice when there is none.</summary>
    public static string ResolveLibraryPath(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
            return ExistingFile(explicitPath, "the ONNX Runtime library given");
        string? fromEnv = Environment.GetEnvironmentVariable(LibraryEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnv))
            return ExistingFile(fromEnv, $"{LibraryEnvironmentVariable}");
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, ".cache", "onnxruntime", BundledVersion, LibraryFileName);
                if (File.Exists(candidate)) return candidate;
            }
        }
        if (NativeLibrary.TryLoad(LibraryFileName, out _)) return LibraryFileName;
        throw new OrtLibraryException(
            $"ONNX Runtime was not found. Run ./setup.sh (it fetches ONNX Runtime {BundledVersion} into .cache/onnxruntime/), " +
            $"or set {LibraryEnvironmentVariable} to the path of a libonnxruntime.so (1.29 or later).");
    }

    private static string ExistingFile(string path, string what)
    {
        if (!File.Exists(path))
            throw new OrtLibraryException($"{what} points to '{path}', which does not exist.");
        return Path.GetFullPath(path);
    }

    private static OrtRuntime Open(string path)
    {
        nint handle;
        try { handle = NativeLibrary.Load(path); }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new OrtLibraryException($"'{path}' could not be loaded as a native library: {e.Message}", e);
        }
        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out nint getApiBase))
            throw new OrtLibraryException($"'{path}' is not ONNX Runtime: it has no OrtGetApiBase export.");

        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
        nint* apiBase = ((delegate* unmanaged<nint*>)getApiBase)();
        var getVersionString = (delegate* unmanaged<byte*>)apiBase[1];
        string version = Utf8.Read(getVersionString()) ?? "?";
        var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
        nint* table = getApi(OrtApi.Version);
        if (table == null)
            throw new OrtLibraryException(
                $"'{path}' is ONNX Runtime {version}, which does not serve C API version {OrtApi.Version}; " +
                $"stream-matte needs ONNX Runtime 1.{OrtApi.Version} or later (./setup.sh fetches {BundledVersion}).");
        return new OrtRuntime(path, new OrtApi(table), version);
    }

    /// <summary>
    /// Providers compiled into this library. This does NOT say what can run (the CUDA bridge is listed even
    /// without its CUDA libraries); <see cref="OrtSession"/> reports what really runs.
    /// </summary>
    public IReadOnlyList<string> CompiledProviders()
    {
        byte** names;
        int count;
        OrtStatus.Check(Api, Api.GetAvailableProviders(&names, &count));
        var result = new string[count];
        for (int i = 0; i < count; i++) result[i] = Utf8.Read(names[i]) ?? "";
        OrtStatus.Check(Api, Api.ReleaseAvailableProviders(names, count));
        return result;
    }

    /// <summary>Frees a string ORT allocated with the default allocator.</summary>
    internal string TakeAllocatedString(byte* p)
    {
        if (p == null) return "";
        string s = Utf8.Read(p) ?? "";
        OrtStatus.Check(Api, Api.AllocatorFree(DefaultAllocator, p));
        return s;
    }

    internal void Check(nint status) => OrtStatus.Check(Api, status);
}
