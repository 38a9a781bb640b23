using StreamMatte.Imaging;
using StreamMatte.Models.Adapters;
using StreamMatte.Models.Contract;
using StreamMatte.Models.Onnx;

namespace StreamMatte.Models;

/// <summary>A model file found on disk, what it is, and which adapter runs it.</summary>
public sealed record ModelEntry(string Name, string Path, bool IsOurs, string? Family, IReadOnlyList<TensorInfo> Inputs,
    IReadOnlyList<TensorInfo> Outputs, string? Problem)
{
    public bool IsUsable => Family != null && Problem == null;
}

/// <summary>
/// Finds models (ours in the repository's models/, third-party ones in a models directory given by
/// --models-dir or $STREAM_MATTE_MODELS), recognises each one's family, and opens it with its adapter.
/// Recognition: the signature first (RVM's recurrent inputs, YOLOv8-seg's protos output are unambiguous),
/// then the published file names of the third-party networks, whose preprocessing is declared here as data.
/// </summary>
public static class ModelCatalog
{
    public const string ModelsDirEnvironmentVariable = "STREAM_MATTE_MODELS";

    /// <summary>Preprocessing of the known third-party segmentation networks (../shared/models/MODELS.md).</summary>
    public static readonly IReadOnlyDictionary<string, SegmentationSpec> KnownSegmentationModels = new Dictionary<string, SegmentationSpec>
    {
        // Our own student (models/, training/): fully convolutional, ImageNet normalisation inside the graph.
        [StudentFilePrefix] = new(StudentFamily, new InputSizePolicy.Native(32),
            TensorLayout.Nchw, ChannelOrder.Rgb, PixelNormalization.ZeroToOne, new OutputDecoding.Probability(TensorLayout.Nchw, 1, 0), IsTrueMatte: true),
        ["selfie_segmentation"] = new("MediaPipe selfie segmentation", new InputSizePolicy.Fixed(256, 256),
            TensorLayout.Nhwc, ChannelOrder.Rgb, PixelNormalization.ZeroToOne, new OutputDecoding.Probability(TensorLayout.Nhwc, 1, 0)),
        ["meet_segmentation"] = new("Google Meet segmentation", new InputSizePolicy.Fixed(256, 144),
            TensorLayout.Nhwc, ChannelOrder.Rgb, PixelNormalization.ZeroToOne, new OutputDecoding.LogitPair(TensorLayout.Nhwc, 1, 0)),
        ["pphumanseg"] = new("PP-HumanSeg lite", new InputSizePolicy.Fixed(398, 224),
            TensorLayout.Nchw, ChannelOrder.Rgb, PixelNormalization.MinusOneToOne, new OutputDecoding.Probability(TensorLayout.Nchw, 2, 1)),
        ["sinet"] = new("SINet portrait segmentation", new InputSizePolicy.Fixed(320, 320),
            TensorLayout.Nchw, ChannelOrder.Rgb,
            new PixelNormalization([102.89f, 111.25f, 126.91f], [62.93f * 255, 62.82f * 255, 66.36f * 255]),
            new OutputDecoding.Probability(TensorLayout.Nchw, 2, 1)),
    };

    public const string StudentFilePrefix = "stream_matte_student";
    public const string StudentFamily = "stream-matte student (UNet-R18x0.5, MLB)";

    /// <summary>
    /// Families in the order the default is chosen, best measured quality first (`stream-matte eval`, held-out
    /// photos: RVM 0.91 person IoU, MediaPipe selfie 0.89, our student 0.65 — see its model card). Our student is
    /// the default when it is the only model (a fresh clone: nothing third-party is committed) and moves up this
    /// list once its held-out IoU is within 0.02 of RVM's.
    /// </summary>
    private static readonly string[] DefaultPreference =
        [RobustVideoMattingModel.FamilyName, "PP-HumanSeg lite", "MediaPipe selfie segmentation", "Google Meet segmentation", StudentFamily];

    /// <summary>The repository's own models/ folder, found above the running program.</summary>
    public static string? OurModelsDir()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Streaming.sln")) && Directory.Exists(System.IO.Path.Combine(dir.FullName, "models")))
                    return System.IO.Path.Combine(dir.FullName, "models");
        return null;
    }

    /// <summary>--models-dir, else $STREAM_MATTE_MODELS, else none.</summary>
    public static string? ThirdPartyModelsDir(string? explicitDir)
    {
        string? dir = !string.IsNullOrEmpty(explicitDir) ? explicitDir : Environment.GetEnvironmentVariable(ModelsDirEnvironmentVariable);
        if (string.IsNullOrEmpty(dir)) return null;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"models directory '{dir}' does not exist");
        return System.IO.Path.GetFullPath(dir);
    }

    /// <summary>Every .onnx file in our models/ and the third-party directory, each described.</summary>
    public static IReadOnlyList<ModelEntry> Discover(string? modelsDir, SessionSettings? settings = null)
    {
        var entries = new List<ModelEntry>();
        if (OurModelsDir() is { } ours)
            entries.AddRange(Directory.GetFiles(ours, "*.onnx").Order().Select(f => Describe(f, isOurs: true, settings)));
        if (ThirdPartyModelsDir(modelsDir) is { } theirs)
            entries.AddRange(Directory.GetFiles(theirs, "*.onnx").Order().Select(f => Describe(f, isOurs: false, settings)));
        return entries;
    }

    private static ModelEntry Describe(string path, bool isOurs, SessionSettings? settings)
    {
        string name = System.IO.Path.GetFileName(path);
        try
        {
            using var session = OrtSession.Open(path, (settings ?? SessionSettings.Default) with { Device = ExecutionDevice.Cpu });
            string? family = Recognise(session);
            string? problem = family == null ? "no adapter: not a person-matting network stream-matte knows" : null;
            if (family != null)
            {
                try { CreateAdapter(session, family).Dispose(); }
                catch (ModelContractException e) { problem = e.Message; }
                // The adapter took ownership of the session and disposed it; nothing else to release.
                return new ModelEntry(name, path, isOurs, family, session.Inputs, session.Outputs, problem);
            }
            return new ModelEntry(name, path, isOurs, null, session.Inputs, session.Outputs, problem);
        }
        catch (OrtException e)
        {
            return new ModelEntry(name, path, isOurs, null, [], [], e.Message);
        }
    }

    /// <summary>The family of the adapter that fits this session's model, or null.</summary>
    public static string? Recognise(OrtSession session)
    {
        var inputs = session.Inputs.Select(i => i.Name).ToHashSet();
        var outputs = session.Outputs.Select(o => o.Name).ToHashSet();
        if (inputs.Contains("src") && inputs.Contains("r1i") && inputs.Contains("downsample_ratio")) return RobustVideoMattingModel.FamilyName;
        if (inputs.Contains("images") && outputs.Contains("protos")) return YoloV8SegModel.FamilyName;
        if (inputs.Contains("image") && outputs.Contains("scores") && outputs.Contains("alphas")) return InstanceMattingModel.FamilyName;
        string file = session.ModelName.ToLowerInvariant();
        if (file.StartsWith("rvm")) return RobustVideoMattingModel.FamilyName;
        if (file.StartsWith("yolov8") && file.Contains("seg")) return YoloV8SegModel.FamilyName;
        foreach (var (prefix, spec) in KnownSegmentationModels)
            if (file.StartsWith(prefix)) return spec.Family;
        return null;
    }

    /// <summary>Wraps a session in the adapter of <paramref name="family"/>; the adapter owns the session.</summary>
    public static IMattingModel CreateAdapter(OrtSession session, string family)
    {
        try
        {
            if (family == RobustVideoMattingModel.FamilyName) return new RobustVideoMattingModel(session);
            if (family == YoloV8SegModel.FamilyName) return new YoloV8SegModel(session);
            if (family == InstanceMattingModel.FamilyName) return new InstanceMattingModel(session);
            var spec = KnownSegmentationModels.Values.FirstOrDefault(s => s.Family == family)
                ?? throw new ModelContractException($"no adapter for family '{family}'");
            return new SegmentationModel(session, spec);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a model by path, or by file name looked up in our models/ and the models directory, with the
    /// adapter its signature or name calls for. Throws with a clear message when it is missing or fits none.
    /// </summary>
    public static IMattingModel Open(string pathOrName, SessionSettings? settings = null, string? modelsDir = null)
    {
        string path = Resolve(pathOrName, modelsDir);
        var session = OrtSession.Open(path, settings);
        string? family = Recognise(session);
        if (family == null)
        {
            string io = $"inputs [{string.Join("; ", session.Inputs)}], outputs [{string.Join("; ", session.Outputs)}]";
            session.Dispose();
            throw new ModelContractException(
                $"'{System.IO.Path.GetFileName(path)}' is not a model stream-matte can run ({io}). Known families: " +
                string.Join(", ", new[] { RobustVideoMattingModel.FamilyName, YoloV8SegModel.FamilyName, InstanceMattingModel.FamilyName }.Concat(KnownSegmentationModels.Values.Select(s => s.Family))) + ".");
        }
        return CreateAdapter(session, family);
    }

    /// <summary>The best model available when the user names none, or null.</summary>
    public static ModelEntry? DefaultModel(string? modelsDir) => DefaultAmong(Discover(modelsDir));

    /// <summary>The default among already discovered entries: the first family of <see cref="DefaultPreference"/> present (ours before theirs within a family).</summary>
    public static ModelEntry? DefaultAmong(IReadOnlyList<ModelEntry> entries)
    {
        var usable = entries.Where(e => e.IsUsable).OrderBy(e => e.IsOurs ? 0 : 1).ToList();
        return DefaultPreference.Select(f => usable.FirstOrDefault(e => e.Family == f)).FirstOrDefault(e => e != null)
            ?? usable.FirstOrDefault();
    }

    private static string Resolve(string pathOrName, string? modelsDir)
    {
        if (File.Exists(pathOrName)) return pathOrName;
        var searched = new List<string>();
        foreach (var dir in new[] { OurModelsDir(), ThirdPartyModelsDir(modelsDir) })
        {
            if (dir == null) continue;
            searched.Add(dir);
            foreach (var candidate in new[] { pathOrName, pathOrName + ".onnx" })
            {
                string full = System.IO.Path.Combine(dir, candidate);
                if (File.Exists(full)) return full;
            }
        }
        throw new FileNotFoundException(
            $"model '{pathOrName}' not found (looked for the file itself{(searched.Count > 0 ? " and in " + string.Join(", ", searched) : "")}). " +
            $"Give a path, or a models directory with --models-dir or ${ModelsDirEnvironmentVariable}; `stream-matte models` lists what is found.", pathOrName);
    }
}
