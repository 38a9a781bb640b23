namespace StreamMatte.Models.Onnx;

/// <summary>Where a model runs. <see cref="Auto"/> tries CUDA, then the CPU, and says which one runs.</summary>
public enum ExecutionDevice { Auto, Cpu, Cuda, TensorRt, WebGpu }

/// <summary>ORT's graph optimisation levels (<c>GraphOptimizationLevel</c>).</summary>
public enum GraphOptimization { None = 0, Basic = 1, Extended = 2, All = 99 }

/// <summary>
/// How a session is made: declarative, immutable, and logged as the effective configuration at start.
/// </summary>
public sealed record SessionSettings
{
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Auto;

    /// <summary>Intra-op threads; 0 lets ORT use one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    /// <summary>
    /// Whether ORT's worker threads spin while waiting. Spinning buys a little latency on an idle machine but
    /// steals the cores ffmpeg and the other pipeline stages need, so the pipeline turns it off.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    public int CudaDeviceId { get; init; }

    /// <summary>The native library to use; null means the default choice (see <see cref="OrtRuntime"/>). Only the process's first session decides.</summary>
    public string? LibraryPath { get; init; }

    public static SessionSettings Default { get; } = new();

    public static ExecutionDevice ParseDevice(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => ExecutionDevice.Auto,
        "cpu" => ExecutionDevice.Cpu,
        "cuda" or "gpu" => ExecutionDevice.Cuda,
        "tensorrt" or "trt" => ExecutionDevice.TensorRt,
        "webgpu" => ExecutionDevice.WebGpu,
        _ => throw new ArgumentException($"unknown device '{text}': use auto, cpu, cuda, tensorrt or webgpu"),
    };
}

/// <summary>One execution provider tried while creating a session, and why it failed if it did.</summary>
public sealed record ProviderAttempt(string Provider, bool Succeeded, string? FailureReason)
{
    public override string ToString() => Succeeded ? $"{Provider}: ok" : $"{Provider}: failed ({FailureReason})";
}
