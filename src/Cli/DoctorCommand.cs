using System.CommandLine;
using System.Diagnostics;
using StreamMatte.Models;
using StreamMatte.Models.Onnx;
using StreamMatte.VirtualCamera;

namespace StreamMatte.Cli;

/// <summary>
/// `stream-matte doctor`: checks what stream-matte depends on (ffmpeg and its encoders, the ONNX Runtime library and
/// the execution providers that really start, a model, cameras, the v4l2loopback virtual camera) and prints the exact
/// fix for each problem. Exit 0 when file → file works, 1 when something it needs is missing.
/// </summary>
internal static class DoctorCommand
{
    public static Command Build()
    {
        var command = new Command("doctor", "Check ffmpeg, ONNX Runtime and its execution providers, models, cameras and the virtual camera, and print the fix for each problem")
        {
            Options.ModelsDir,
        };
        command.SetAction(parse => CommandLine.Guarded(() => Run(parse.GetValue(Options.ModelsDir))));
        return command;
    }

    private static int Run(string? modelsDir)
    {
        bool essentialOk = true;
        void Ok(string what) => Console.WriteLine($"  ok    {what}");
        void Warn(string what, string fix) => Console.WriteLine($"  warn  {what}\n        fix: {fix}");
        void Fail(string what, string fix) { essentialOk = false; Console.WriteLine($"  FAIL  {what}\n        fix: {fix}"); }

        Console.WriteLine("ffmpeg (video in and out)");
        foreach (var tool in new[] { "ffmpeg", "ffprobe" })
        {
            var (ok, text) = Execute(tool, "-hide_banner -version");
            if (ok) Ok($"{tool}: {CommandLine.FirstLine(text)}");
            else Fail($"{tool} not found or not runnable ({CommandLine.FirstLine(text)})", "sudo apt install ffmpeg   (or run ./setup.sh)");
        }
        var (encodersOk, encoders) = Execute("ffmpeg", "-hide_banner -encoders");
        if (encodersOk)
            foreach (var (encoder, use) in new[] { ("libx264", "H.264 .mp4 (the default output)"), ("libx265", "--codec hevc"), ("prores_ks", ".mov with alpha"), ("libvpx-vp9", ".webm with alpha") })
                if (encoders.Contains(" " + encoder + " ")) Ok($"encoder {encoder}: {use}");
                else Warn($"encoder {encoder} missing: {use} will not work", "install Debian's full ffmpeg: sudo apt install ffmpeg");

        Console.WriteLine("ONNX Runtime (inference)");
        try
        {
            var runtime = OrtRuntime.Load();
            var compiled = runtime.CompiledProviders();
            Ok($"ONNX Runtime {runtime.Version}: {runtime.Package} ({runtime.LibraryPath})");
            Ok($"providers compiled in: {string.Join(", ", compiled)} (compiled in is not the same as able to start: see below)");
            var model = ModelCatalog.DefaultModel(modelsDir);
            if (model == null) Fail("no model found", "run ./setup.sh from the repository (models/ holds the default), or pass --models-dir DIR");
            else
            {
                Ok($"default model: {model.Name} ({model.Family})");
                foreach (var device in new[] { ExecutionDevice.Cuda, ExecutionDevice.TensorRt, ExecutionDevice.Cpu })
                {
                    string provider = ExecutionProviders.OrtName(device);
                    try
                    {
                        using var session = OrtSession.Open(model.Path, SessionSettings.Default with { Device = device });
                        Ok($"{provider} starts (a session was created on it): --device {device.ToString().ToLowerInvariant()}");
                    }
                    catch (OrtException e)
                    {
                        string reason = e is ExecutionProviderUnavailableException u ? u.Attempts[0].FailureReason ?? e.Message : e.Message;
                        if (device == ExecutionDevice.Cpu) Fail($"the CPU provider does not start: {CommandLine.FirstLine(reason)}", "re-run ./setup.sh (it restores and builds again)");
                        else if (!compiled.Contains(provider))
                            Warn($"{provider} is not compiled into {runtime.Package}", "./setup.sh without OnnxRuntimePackage=cpu restores Microsoft.ML.OnnxRuntime.Gpu.Linux, which has CUDA and TensorRT");
                        else Warn($"{provider} does not start here: {CommandLine.FirstLine(reason)}",
                            device == ExecutionDevice.Cuda
                                ? "CUDA needs an NVIDIA GPU with CUDA 13 and cuDNN 9 on the library path (e.g. NVIDIA's cuda-runtime-13 and cudnn9-cuda-13 packages); the CPU is used otherwise"
                                : "TensorRT needs what CUDA needs plus TensorRT 10 (libnvinfer.so.10); the CPU is used otherwise");
                    }
                }
            }
            if (OrtRuntime.WebGpuLibrary() is { } webGpu)
                Ok($"WebGPU: npm's onnxruntime-node@{OrtRuntime.WebGpuLibraryVersion} library is at {webGpu}; --device webgpu loads it (it needs a Vulkan GPU driver)");
            else
                Warn("WebGPU (AMD and Intel GPUs through Vulkan) is not installed: it is only in npm's build of ONNX Runtime", "./setup.sh --webgpu (needs npm), then --device webgpu");
        }
        catch (OrtException e)
        {
            Fail($"ONNX Runtime cannot be loaded: {CommandLine.FirstLine(e.Message)}", $"run ./setup.sh (restores {OrtRuntime.BuiltWithPackage} and builds), or set {OrtRuntime.LibraryEnvironmentVariable}");
        }

        Console.WriteLine("cameras and the virtual camera");
        var nodes = V4l2Devices.List();
        var cameras = nodes.Where(n => n.Kind == VideoNodeKind.Camera).ToList();
        var loopbacks = nodes.Where(n => n.Kind == VideoNodeKind.LoopbackOutput).ToList();
        foreach (var n in nodes)
            Console.WriteLine($"        {n.Path}: {n.Kind}{(n.Card.Length > 0 ? $" \"{n.Card}\" ({n.Driver})" : "")}{(n.Problem != null ? $" — {n.Problem}" : "")}");
        if (cameras.Count > 0) Ok($"cameras: {string.Join(", ", cameras.Select(c => c.Path))} (use --input cam{cameras[0].Path["/dev/video".Length..]})");
        else Warn("no camera found (no /dev/video* capture device)", "plug in a webcam, or check `ls /dev/video*` and that you are in the video group; files work without one");
        if (!V4l2Devices.LoopbackModuleLoaded)
            Warn("v4l2loopback is not loaded: no virtual camera for Zoom, Meet or the browser", $"{LoopbackAdvice.ModprobeLine}   (Debian: sudo apt install v4l2loopback-dkms)");
        else
        {
            if (V4l2Devices.LoopbackExclusiveCaps is { } caps && !caps.StartsWith('Y') && !caps.StartsWith('1'))
                Warn($"v4l2loopback loaded without exclusive_caps=1 ({caps}): Chrome and Zoom will not list the virtual camera",
                    $"sudo modprobe -r v4l2loopback && {LoopbackAdvice.ModprobeLine}");
            if (loopbacks.Count > 0) Ok($"virtual cameras: {string.Join(", ", loopbacks.Select(l => $"{l.Path} \"{l.Card}\""))} (use --output v4l2:{loopbacks[0].Path})");
            else Warn("v4l2loopback is loaded but no loopback node is readable", LoopbackAdvice.Permission);
        }

        Console.WriteLine(essentialOk ? "doctor: file → file works here." : "doctor: something stream-matte needs is missing (see FAIL above).");
        return essentialOk ? 0 : 1;
    }

    private static (bool Ok, string Output) Execute(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000)) { process.Kill(); return (false, "timed out"); }
            return (process.ExitCode == 0, stdout.Length > 0 ? stdout : stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, e.Message);
        }
    }
}
