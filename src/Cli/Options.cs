using System.CommandLine;
using StreamMatte.Models;

namespace StreamMatte.Cli;

/// <summary>
/// Every option of the main command, declared once. The --config file uses the same names without the
/// dashes (e.g. {"background": "blur", "blur": 30}); options given on the command line win over the file.
/// </summary>
internal static class Options
{
    public static readonly Option<string?> Input = new("--input", "-i") { Description = "Video file, image, image sequence (in_%04d.png), a camera: cam0 (= /dev/video0) or a /dev/videoN path, or testsrc (a synthetic moving figure, live)" };
    public static readonly Option<string?> Output = new("--output", "-o") { Description = "Where to write: out.mp4/.mkv (H.264), out.mov (ProRes 4444 + alpha), out.webm (VP9 + alpha), out_%05d.png, v4l2:/dev/video10 (a v4l2loopback virtual camera), or null (discard, to measure)" };
    public static readonly Option<string?> MatteOutput = new("--matte-output") { Description = "Also write the matte alone (white = person) as a grayscale video or PNG sequence" };
    public static readonly Option<string?> CameraFormat = new("--camera-format") { Description = "What to ask a camera for: mjpeg (default; needed for 720p30 on USB 2) or yuyv (raw). Size and rate come from --size (default 1280x720) and --fps (default 30)" };
    public static readonly Option<string?> VcamFormat = new("--vcam-format") { Description = "Pixel format for a virtual camera output (v4l2:/dev/videoN): yuyv (default, what webcams send), i420 or nv12" };
    public static readonly Option<string?> Codec = new("--codec") { Description = "Video codec for .mp4/.mkv: h264 (default) or hevc; .mkv also ffv1 (lossless RGB)" };
    public static readonly Option<string?> Model = new("--model", "-m") { Description = "Model file or name (see `stream-matte models`); default: the best one found" };
    /// <summary>--model repeated, for the commands that measure several models side by side (eval, bench).</summary>
    public static readonly Option<string[]> ModelList = new("--model", "-m")
    { Description = "Model(s) to measure; repeat the option for a side-by-side comparison (default: the default model)", AllowMultipleArgumentsPerToken = true };
    public static readonly Option<string?> ModelsDir = new("--models-dir") { Description = $"Folder of third-party models, e.g. ../shared/models (or ${ModelCatalog.ModelsDirEnvironmentVariable})" };
    public static readonly Option<string> Device = new("--device") { Description = "Where the model runs: auto (CUDA, else CPU), cpu, cuda, tensorrt or webgpu. The provider that runs is always printed", DefaultValueFactory = _ => "auto" };
    public static readonly Option<int> Threads = new("--threads") { Description = "Inference threads (0 = ONNX Runtime's default, one per core)", DefaultValueFactory = _ => 0 };
    public static readonly Option<string> Background = new("--background", "-b") { Description = "blur, green, black, white, blue, #RRGGBB, transparent, or a picture or video file (scaled to cover; videos loop)", DefaultValueFactory = _ => "blur" };
    public static readonly Option<int> Blur = new("--blur") { Description = "Blur radius in pixels of the full frame, for --background blur", DefaultValueFactory = _ => Pipeline.Compositing.Background.DefaultBlurRadius };
    public static readonly Option<string?> Size = new("--size") { Description = "Frame size to work at, WxH (the input is scaled by ffmpeg); default: the input's own" };
    public static readonly Option<double?> Fps = new("--fps") { Description = "Frame rate to work at (the input is resampled by ffmpeg); default: the input's own" };
    public static readonly Option<int?> Frames = new("--frames") { Description = "Process only the first N frames" };
    public static readonly Option<bool> Realtime = new("--realtime") { Description = "Play the input at its own frame rate, like a camera (live mode: newest frame wins, drops are counted)" };
    public static readonly Option<double> Smoothing = new("--smoothing") { Description = "Temporal smoothing of the matte, 0 (off) to 0.95; steadies still areas, follows motion", DefaultValueFactory = _ => 0.8 };
    public static readonly Option<string> ModelSize = new("--model-size")
    {
        Description = "Long side in pixels of the picture the network sees (aspect kept; the matte is brought back to full size edge-aware), " +
                      "or auto: live, the largest of 512, 448, 384, 320, 256, 192 whose inference keeps the matte fresh (measured while running); offline, 512",
        DefaultValueFactory = _ => "auto",
    };
    /// <summary>--model-size for the measuring commands (eval, eval-people): a fixed size, so runs compare.</summary>
    public static readonly Option<int> MeasureModelSize = new("--model-size") { Description = "Long side in pixels of the picture the network sees (aspect kept)", DefaultValueFactory = _ => 512 };
    public static readonly Option<string> UpsamplingOption = new("--upsampling") { Description = "How the matte reaches full size: guided (edge-aware, default) or bilinear", DefaultValueFactory = _ => "guided" };
    public static readonly Option<int> Feather = new("--feather") { Description = "Soften the matte's edge by this many pixels (0 = off)", DefaultValueFactory = _ => 0 };
    public static readonly Option<double> EdgeShrink = new("--edge-shrink") { Description = "Pull the edge inwards, 0 (off) to 0.5", DefaultValueFactory = _ => 0.0 };
    public static readonly Option<bool> Decontaminate = new("--decontaminate") { Description = "Remove the old background's colour from soft edges (hair); --decontaminate false to turn off", DefaultValueFactory = _ => true };
    public static readonly Option<double> LightWrap = new("--light-wrap") { Description = "Let the new background's light spill onto the edges, 0 (off) to 1", DefaultValueFactory = _ => 0.0 };
    public static readonly Option<bool> SkipIdentical = new("--skip-identical") { Description = "Reuse the previous matte when the picture barely changed (saves CPU on a still webcam)" };
    public static readonly Option<string?> Config = new("--config") { Description = "JSON file with any of these options by name, e.g. {\"background\": \"green\", \"smoothing\": 0.8}" };

    public static readonly Option<bool> Instances = new("--instances") { Description = "Separate people: each gets a number (in order of appearance, shown in the log) and their own share of the matte. Implied by --keep, --remove and --instance-output" };
    public static readonly Option<string?> PeopleModel = new("--people-model") { Description = "Instance network that separates people: our stream_matte_instances (default) or yolov8n_seg_320_fp32 (two-stage: a detector's masks)" };
    public static readonly Option<string?> Keep = new("--keep") { Description = "Who stays in the picture: all (default), largest (the biggest person; the choice sticks until someone is clearly bigger), or numbers, e.g. 1,3" };
    public static readonly Option<string?> Remove = new("--remove") { Description = "People to replace by the background, by number, e.g. 2" };
    public static readonly Option<string?> InstanceOutput = new("--instance-output") { Description = "Folder for each person's matte per frame, DIR/person_ID/FRAME.png (8-bit, full size), for post-production" };
    public static readonly Option<int> InstanceEvery = new("--instance-every") { Description = "Run the instance network every N frames (the people carry over in between; saves CPU live)", DefaultValueFactory = _ => 1 };

    public static readonly Option<string> NetworkPriorityOption = new("--network-priority") { Description = "Live: how the network gives way to the frames, so they keep the camera's rate on shared cores and the matte's refresh rate is what gives: idle (only CPU time the frames leave, SCHED_IDLE) or a nice value 0-19 (a share by weight; for a machine busy with other programs)", DefaultValueFactory = _ => "idle" };
    public static readonly Option<string> MotionWarp = new("--motion-warp") { Description = "Live: move each frame's matte, computed from an earlier frame, by the motion since that frame (optical flow) before fitting it to the frame's edges: on or off", DefaultValueFactory = _ => "on" };
    public static readonly Option<int> StatsWarmup = new("--stats-warmup") { Description = "Frames left out of the timing statistics at start (JIT, first inferences)", DefaultValueFactory = _ => 30 };

    /// <summary>The options of the main command, in --help order.</summary>
    public static readonly Option[] Main =
    [
        Input, Output, Model, Device, Background, Blur, Size, Fps, Threads, Smoothing, Realtime, Config,
        MatteOutput, Codec, CameraFormat, VcamFormat, ModelsDir, ModelSize, UpsamplingOption, Feather, EdgeShrink, Decontaminate, LightWrap, SkipIdentical, Frames,
        Instances, PeopleModel, Keep, Remove, InstanceOutput, InstanceEvery, NetworkPriorityOption, MotionWarp, StatsWarmup,
    ];
}
