using Microsoft.ML.OnnxRuntime;

namespace StreamMatte.Models.Onnx;

/// <summary>
/// Execution-provider selection. A provider is only "available" once a session was really created on it:
/// ORT's own provider list names CUDA and TensorRT even where their libraries are missing, so we try, keep the
/// reason a provider failed (with the library ORT could not load, from its log), and report which one runs.
/// Nothing falls back silently: an explicit device that cannot run is an error that says why and what would run
/// instead; <c>auto</c> records every failed attempt.
/// </summary>
public static class ExecutionProviders
{
    /// <summary>
    /// The order tried for each device. Auto prefers CUDA (the proven GPU path) and then the CPU. TensorRT is tried
    /// only when asked for (it builds an engine per input shape at start, which takes minutes); WebGPU too, because
    /// its operator coverage varies by model and driver, and it needs npm's build of ONNX Runtime.
    /// </summary>
    public static IReadOnlyList<ExecutionDevice> CandidatesFor(ExecutionDevice device) => device switch
    {
        ExecutionDevice.Auto => [ExecutionDevice.Cuda, ExecutionDevice.Cpu],
        _ => [device],
    };

    public static string OrtName(ExecutionDevice device) => device switch
    {
        ExecutionDevice.Cuda => "CUDAExecutionProvider",
        ExecutionDevice.TensorRt => "TensorrtExecutionProvider",
        ExecutionDevice.WebGpu => "WebGpuExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    internal static void Append(SessionOptions options, ExecutionDevice device, SessionSettings settings)
    {
        switch (device)
        {
            case ExecutionDevice.Cpu:
                return; // always present: sessions fall to it for every node no other provider claims
            case ExecutionDevice.Cuda:
                options.AppendExecutionProvider_CUDA(settings.CudaDeviceId);
                return;
            case ExecutionDevice.TensorRt:
                // ORT's advice: register CUDA after TensorRT, so the nodes TensorRT does not take stay on the GPU.
                options.AppendExecutionProvider_Tensorrt(settings.CudaDeviceId);
                options.AppendExecutionProvider_CUDA(settings.CudaDeviceId);
                return;
            case ExecutionDevice.WebGpu:
                options.AppendExecutionProvider("WebGPU", new Dictionary<string, string>());
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(device), device, "Auto is resolved by CandidatesFor");
        }
    }

    /// <summary>What a provider that failed needs, said after ORT's own reason.</summary>
    internal static string Advice(ExecutionDevice device, OrtRuntime runtime) => device switch
    {
        ExecutionDevice.Cuda or ExecutionDevice.TensorRt when !runtime.CompiledProviders().Contains(OrtName(device)) =>
            $" {OrtName(device)} is not in this ONNX Runtime ({runtime.Package}); the default build (Microsoft.ML.OnnxRuntime.Gpu.Linux) has it: run ./setup.sh without OnnxRuntimePackage=cpu.",
        ExecutionDevice.Cuda =>
            " CUDA needs an NVIDIA GPU with CUDA 13 (libcudart.so.13, libcublas(Lt).so.13, libcurand.so.10) and cuDNN 9 (libcudnn.so.9) on the library path.",
        ExecutionDevice.TensorRt =>
            " TensorRT needs CUDA 13 and cuDNN 9 as for CUDA, plus TensorRT 10 (libnvinfer.so.10, libnvonnxparser.so.10) on the library path.",
        ExecutionDevice.WebGpu when !runtime.CompiledProviders().Contains(OrtName(device)) && OrtRuntime.WebGpuLibrary() is null =>
            $" WebGPU is only in npm's build of ONNX Runtime: ./setup.sh --webgpu fetches onnxruntime-node@{OrtRuntime.WebGpuLibraryVersion}, which a process started with --device webgpu loads.",
        ExecutionDevice.WebGpu when !runtime.CompiledProviders().Contains(OrtName(device)) =>
            $" This process loaded {runtime.Package} (no WebGPU) first; start it with --device webgpu to load npm's WebGPU build.",
        ExecutionDevice.WebGpu => " WebGPU needs a Vulkan GPU driver (Mesa's lavapipe is refused).",
        _ => "",
    };

    internal static ExecutionProviderUnavailableException Unavailable(ExecutionDevice device, OrtRuntime runtime, IReadOnlyList<ProviderAttempt> attempts)
    {
        string reasons = string.Join("; ", attempts.Where(a => !a.Succeeded).Select(a => $"{a.Provider}: {a.FailureReason}"));
        return new ExecutionProviderUnavailableException(
            $"--device {device.ToString().ToLowerInvariant()} cannot run here ({reasons}).{Advice(device, runtime)} " +
            $"The CPU (CPUExecutionProvider) would run instead: pass --device cpu or --device auto to use it.", attempts);
    }
}
