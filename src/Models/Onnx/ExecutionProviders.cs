namespace StreamMatte.Models.Onnx;

/// <summary>
/// Execution-provider selection. A provider is only "available" once a session was really created on it:
/// ORT's own provider list names CUDA even where its libraries are missing, so we try, keep the reason a
/// provider failed, and report which one runs. Nothing falls back silently: an explicit device that cannot
/// run is an error that says why and what would run instead; <c>auto</c> records every failed attempt.
/// </summary>
public static unsafe class ExecutionProviders
{
    /// <summary>
    /// The order tried for each device. Auto prefers CUDA (the proven GPU path) and then the CPU; WebGPU is
    /// tried only when asked for, because its operator coverage varies by model and driver.
    /// </summary>
    public static IReadOnlyList<ExecutionDevice> CandidatesFor(ExecutionDevice device) => device switch
    {
        ExecutionDevice.Auto => [ExecutionDevice.Cuda, ExecutionDevice.Cpu],
        _ => [device],
    };

    public static string OrtName(ExecutionDevice device) => device switch
    {
        ExecutionDevice.Cuda => "CUDAExecutionProvider",
        ExecutionDevice.WebGpu => "WebGpuExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    internal static void Append(OrtRuntime runtime, nint options, ExecutionDevice device, SessionSettings settings)
    {
        var api = runtime.Api;
        switch (device)
        {
            case ExecutionDevice.Cpu:
                return; // always present: sessions fall to it for every node no other provider claims
            case ExecutionDevice.Cuda:
            {
                nint cudaOptions;
                runtime.Check(api.CreateCUDAProviderOptions(&cudaOptions));
                try
                {
                    byte* key = Utf8.Alloc("device_id"), value = Utf8.Alloc(settings.CudaDeviceId.ToString());
                    try { runtime.Check(api.UpdateCUDAProviderOptions(cudaOptions, &key, &value, 1)); }
                    finally { Utf8.Free(key); Utf8.Free(value); }
                    runtime.Check(api.SessionOptionsAppendExecutionProvider_CUDA_V2(options, cudaOptions));
                }
                finally { api.ReleaseCUDAProviderOptions(cudaOptions); }
                return;
            }
            case ExecutionDevice.WebGpu:
            {
                byte* name = Utf8.Alloc("WebGPU");
                try { runtime.Check(api.SessionOptionsAppendExecutionProvider(options, name, null, null, 0)); }
                finally { Utf8.Free(name); }
                return;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(device), device, "Auto is resolved by CandidatesFor");
        }
    }

    internal static ExecutionProviderUnavailableException Unavailable(ExecutionDevice device, IReadOnlyList<ProviderAttempt> attempts)
    {
        string reasons = string.Join("; ", attempts.Where(a => !a.Succeeded).Select(a => $"{a.Provider}: {a.FailureReason}"));
        string hint = device == ExecutionDevice.Cuda
            ? $" CUDA needs ONNX Runtime's GPU build: set {OrtRuntime.LibraryEnvironmentVariable} to its libonnxruntime.so (with libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so beside it) and the CUDA/cuDNN libraries on the library path."
            : "";
        return new ExecutionProviderUnavailableException(
            $"--device {device.ToString().ToLowerInvariant()} cannot run here ({reasons}).{hint} " +
            $"The CPU (CPUExecutionProvider) would run instead: pass --device cpu or --device auto to use it.", attempts);
    }
}
