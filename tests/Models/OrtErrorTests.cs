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
        var e = Assert.Throws<OrtLibraryException>(() => OrtRuntime.Load("/nonexistent/libonnxruntime.so"));
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
            var e = Assert.Throws<OrtLibraryException>(() => OrtRuntime.Load(path));
            Assert.Contains("could not be loaded", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_native_library_that_is_not_ONNX_Runtime_is_refused()
    {
        string other = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        var e = Assert.Throws<OrtLibraryException>(() => OrtRuntime.Load(other));
        Assert.Contains("is not ONNX Runtime", e.Message);
    }

    // Where the device exists (a GPU machine with ONNX Runtime's GPU build) the session must run on it;
    // elsewhere the error must say why and what would run instead. Either way, never another provider silently.
    [Theory]
    [InlineData(ExecutionDevice.Cuda, "CUDAExecutionProvider")]
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
