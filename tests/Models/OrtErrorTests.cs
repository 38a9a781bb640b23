using System.Runtime.InteropServices;
using StreamMatte.Models.Onnx;
using StreamMatte.Tests.Support;

namespace StreamMatte.Tests.Models;

/// <summary>Every bad input to the engine gives a clear, specific error.</summary>
public class OrtErrorTests
{
    private static byte[] Identity() => new OnnxModelBuilder()
        .Input("x", 1, 4).Output("y", 1, 4).Node("Identity", ["x"], ["y"]).Build();

    [Fact]
    public void A_missing_model_file_says_which()
    {
        var e = Assert.Throws<FileNotFoundException>(() => OrtSession.Open("/nonexistent/model.onnx"));
        Assert.Contains("/nonexistent/model.onnx", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_ONNX_gives_ORTs_message_and_the_model_name()
    {
        string path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a protobuf");
        try
        {
            var e = Assert.Throws<OrtException>(() => OrtSession.Open(path, new SessionSettings { Device = ExecutionDevice.Cpu }));
            Assert.Contains(Path.GetFileName(path), e.Message);
            Assert.Contains("ONNX Runtime:", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_missing_native_library_is_named()
    {
        var e = Assert.Throws<OrtLibraryException>(() => OrtRuntime.CheckLibrary("/nonexistent/libonnxruntime.so"));
        Assert.Contains("/nonexistent/libonnxruntime.so", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void A_file_that_is_no_library_is_refused()
    {
        string path = Path.Combine(Path.GetTempPath(), $"garbage-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(path, new byte[4096]);
        try
        {
            var e = Assert.Throws<OrtLibraryException>(() => OrtRuntime.CheckLibrary(path));
            Assert.Contains("could not be loaded", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_native_library_that_is_not_ONNX_Runtime_is_refused()
    {
        string other = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        var e = Assert.Throws<OrtLibraryException>(() => OrtRuntime.CheckLibrary(other));
        Assert.Contains("is not ONNX Runtime", e.Message);
    }

    // Where the device exists (a GPU machine with ONNX Runtime's GPU build) the session must run on it;
    // elsewhere the error must say why and what would run instead. Either way, never another provider silently.
    [Theory]
    [InlineData(ExecutionDevice.Cuda, "CUDAExecutionProvider")]
    [InlineData(ExecutionDevice.TensorRt, "TensorrtExecutionProvider")]
    [InlineData(ExecutionDevice.WebGpu, "WebGpuExecutionProvider")]
    public void An_explicit_device_runs_there_or_fails_loudly_naming_the_CPU_alternative(ExecutionDevice device, string provider)
    {
        OrtSession? session = null;
        try
        {
            session = OrtSession.Open(Identity(), "identity", new SessionSettings { Device = device });
            Assert.Equal(provider, session.Provider);
        }
        catch (ExecutionProviderUnavailableException e)
        {
            Assert.Contains($"--device {device.ToString().ToLowerInvariant()} cannot run here", e.Message);
            Assert.Contains(provider, e.Message);
            Assert.Contains("CPU (CPUExecutionProvider) would run instead", e.Message);
            var attempt = Assert.Single(e.Attempts);
            Assert.False(attempt.Succeeded);
            Assert.False(string.IsNullOrWhiteSpace(attempt.FailureReason));
            Assert.DoesNotContain("\n", e.Message);
            Assert.DoesNotContain("onnxruntime_src", e.Message);
            // CUDA and TensorRT are compiled into the package's library: what is missing here is a library, and it is named.
            if (device is ExecutionDevice.Cuda or ExecutionDevice.TensorRt)
                Assert.Matches(@"Failed to load library \S*libonnxruntime_providers_\w+\.so with error: lib[\w.+-]+\.so[.\d]*: cannot open shared object file", attempt.FailureReason);
        }
        finally { session?.Dispose(); }
    }

    [Fact]
    public void Auto_reports_the_provider_that_runs_and_why_the_others_did_not()
    {
        using var session = OrtSession.Open(Identity(), "identity", new SessionSettings { Device = ExecutionDevice.Auto });
        Assert.True(session.ProviderAttempts[^1].Succeeded);
        Assert.Equal(session.Provider, session.ProviderAttempts[^1].Provider);
        Assert.All(session.ProviderAttempts.SkipLast(1), a => Assert.False(string.IsNullOrWhiteSpace(a.FailureReason)));
        if (session.Provider == "CPUExecutionProvider")
            Assert.Contains(session.ProviderAttempts, a => a.Provider == "CUDAExecutionProvider" && !a.Succeeded);
    }
}

/// <summary>ORT's messages reach users as their essential line.</summary>
public class OrtMessageTests
{
    [Theory]
    [InlineData("[ErrorCode:Fail] OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library",
                "OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library")]
    [InlineData("/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library x.so with error: libcublasLt.so.13: cannot open shared object file\n",
                "Failed to load library x.so with error: libcublasLt.so.13: cannot open shared object file")]
    [InlineData("/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters",
                "Failed to get a WebGPU adapter: No supported adapters")]
    public void Source_locations_and_error_classes_are_dropped(string message, string essential) =>
        Assert.Equal(essential, OrtErrors.Essential(message));
}
