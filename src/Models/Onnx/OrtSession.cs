using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace StreamMatte.Models.Onnx;

/// <summary>
/// A model loaded into ONNX Runtime's <see cref="InferenceSession"/> on the execution provider asked for (each
/// candidate tried, each failure kept with ORT's reason, the one that runs reported), with its inputs, outputs and
/// metadata read once. Per-frame work goes through <see cref="SessionBinding"/>s, which allocate nothing.
/// </summary>
public sealed class OrtSession : IDisposable
{
    private readonly Dictionary<string, string> _metadata;
    private bool _disposed;

    /// <summary>ORT's session, for what this class does not wrap.</summary>
    public InferenceSession Inner { get; }

    public OrtRuntime Runtime { get; }

    /// <summary>What the user called the model (its file name, or the name given with the bytes).</summary>
    public string ModelName { get; }

    /// <summary>The execution provider that this session runs on, e.g. "CPUExecutionProvider".</summary>
    public string Provider { get; }

    /// <summary>Every provider tried, in order, with the reason each failed.</summary>
    public IReadOnlyList<ProviderAttempt> ProviderAttempts { get; }

    public IReadOnlyList<TensorInfo> Inputs { get; }
    public IReadOnlyList<TensorInfo> Outputs { get; }
    public string ProducerName { get; }
    public SessionSettings Settings { get; }

    private OrtSession(OrtRuntime runtime, InferenceSession inner, string modelName, SessionSettings settings, string provider,
        IReadOnlyList<ProviderAttempt> attempts)
    {
        Runtime = runtime;
        Inner = inner;
        ModelName = modelName;
        Settings = settings;
        Provider = provider;
        ProviderAttempts = attempts;
        // InputNames keeps the model's order; InputMetadata is a dictionary.
        Inputs = inner.InputNames.Select(n => TensorInfo.From(n, inner.InputMetadata[n])).ToArray();
        Outputs = inner.OutputNames.Select(n => TensorInfo.From(n, inner.OutputMetadata[n])).ToArray();
        var metadata = inner.ModelMetadata;
        ProducerName = metadata.ProducerName;
        _metadata = new Dictionary<string, string>(metadata.CustomMetadataMap);
    }

    /// <summary>Opens the model file at <paramref name="modelPath"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="OrtException">ORT rejected the model (not ONNX, unsupported operator, ...).</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The device asked for cannot run here.</exception>
    public static OrtSession Open(string modelPath, SessionSettings? settings = null)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"model file '{modelPath}' does not exist", modelPath);
        string fullPath = Path.GetFullPath(modelPath);
        return Create(settings ?? SessionSettings.Default, Path.GetFileName(modelPath), options => new InferenceSession(fullPath, options));
    }

    /// <summary>Opens a model held in memory (e.g. one a test generated).</summary>
    public static OrtSession Open(byte[] model, string name, SessionSettings? settings = null) =>
        Create(settings ?? SessionSettings.Default, name, options => new InferenceSession(model, options));

    private static OrtSession Create(SessionSettings settings, string name, Func<SessionOptions, InferenceSession> factory)
    {
        var runtime = OrtRuntime.Load(settings.Device, settings.LibraryPath);
        var attempts = new List<ProviderAttempt>();
        foreach (var device in ExecutionProviders.CandidatesFor(settings.Device))
        {
            string provider = ExecutionProviders.OrtName(device);
            int mark = OrtRuntime.LogMark();
            try
            {
                using var options = CreateOptions(settings);
                ExecutionProviders.Append(options, device, settings);
                var session = factory(options);
                attempts.Add(new ProviderAttempt(provider, true, null));
                return new OrtSession(runtime, session, name, settings, provider, attempts);
            }
            catch (OnnxRuntimeException e) when (device != ExecutionDevice.Cpu)
            {
                // The exception says "Failed to load shared library"; ORT's log says which one, and why.
                string logged = OrtRuntime.ErrorsSince(mark);
                string reason = OrtErrors.Essential(e.Message);
                attempts.Add(new ProviderAttempt(provider, false, logged.Length > 0 && !reason.Contains(logged) ? $"{reason}: {logged}" : reason));
            }
            catch (OnnxRuntimeException e)
            {
                // The CPU provider always exists, so a failure here is the model itself: say which model.
                throw OrtErrors.From(e, $"cannot load model '{name}'");
            }
        }
        throw ExecutionProviders.Unavailable(settings.Device, runtime, attempts);
    }

    private static SessionOptions CreateOptions(SessionSettings settings)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = (GraphOptimizationLevel)(int)settings.Optimization,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            if (settings.IntraOpThreads > 0) options.IntraOpNumThreads = settings.IntraOpThreads;
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            options.AddSessionConfigEntry("session.inter_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>A value of the model's custom metadata map (our own models declare their preprocessing there).</summary>
    public string? GetMetadata(string key) => _metadata.GetValueOrDefault(key);

    public int InputIndex(string name) => IndexOf(Inputs, name, "input");
    public int OutputIndex(string name) => IndexOf(Outputs, name, "output");

    private int IndexOf(IReadOnlyList<TensorInfo> infos, string name, string what)
    {
        for (int i = 0; i < infos.Count; i++) if (infos[i].Name == name) return i;
        throw new ArgumentException($"model '{ModelName}' has no {what} named '{name}'");
    }

    /// <summary>
    /// Runs the model once with <paramref name="inputs"/> and <paramref name="outputs"/> given in the model's order,
    /// all of them; ORT writes into the output buffers. Shapes are checked first. For set-up and tests: it marshals
    /// names per call, where a <see cref="SessionBinding"/> does not.
    /// </summary>
    public void Run(ReadOnlySpan<PinnedTensor> inputs, ReadOnlySpan<PinnedTensor> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (inputs.Length != Inputs.Count || outputs.Length != Outputs.Count)
            throw new ArgumentException($"model '{ModelName}' takes {Inputs.Count} inputs and {Outputs.Count} outputs; got {inputs.Length} and {outputs.Length}");
        for (int i = 0; i < inputs.Length; i++) ShapeCheck.EnsureFits(Inputs[i], inputs[i], ModelName);
        for (int i = 0; i < outputs.Length; i++) ShapeCheck.EnsureFits(Outputs[i], outputs[i], ModelName);
        var inputValues = new OrtValue[inputs.Length];
        var outputValues = new OrtValue[outputs.Length];
        for (int i = 0; i < inputs.Length; i++) inputValues[i] = inputs[i].Value;
        for (int i = 0; i < outputs.Length; i++) outputValues[i] = outputs[i].Value;
        using var runOptions = new RunOptions();
        try { Inner.Run(runOptions, Inner.InputNames, inputValues, Inner.OutputNames, outputValues); }
        catch (OnnxRuntimeException e) { throw OrtErrors.From(e, $"model '{ModelName}'"); }
    }

    /// <summary>
    /// Runs the model letting ORT allocate the outputs, and returns copies of them. For set-up work (finding
    /// the output shapes a model produces for a given input size) and tests, not for the per-frame path.
    /// </summary>
    public IReadOnlyList<OutputCopy> RunAndCopy(ReadOnlySpan<PinnedTensor> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (inputs.Length != Inputs.Count)
            throw new ArgumentException($"model '{ModelName}' takes {Inputs.Count} inputs; got {inputs.Length}");
        var inputValues = new OrtValue[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            ShapeCheck.EnsureFits(Inputs[i], inputs[i], ModelName);
            inputValues[i] = inputs[i].Value;
        }
        using var runOptions = new RunOptions();
        try
        {
            using var results = Inner.Run(runOptions, Inner.InputNames, inputValues, Inner.OutputNames);
            return results.Select((value, i) => OutputCopy.From(Outputs[i].Name, value)).ToArray();
        }
        catch (OnnxRuntimeException e) { throw OrtErrors.From(e, $"model '{ModelName}'"); }
    }

    /// <summary>A new IoBinding on this session (see <see cref="SessionBinding"/>).</summary>
    public SessionBinding CreateBinding() => new(this);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Inner.Dispose();
    }
}

/// <summary>An output ORT allocated, copied out as float32 (other numeric types are converted).</summary>
public sealed record OutputCopy(string Name, long[] Shape, float[] Data)
{
    internal static OutputCopy From(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        long[] shape = info.Shape;
        var result = new float[info.ElementCount];
        switch (info.ElementDataType)
        {
            case TensorElementType.Float: value.GetTensorDataAsSpan<float>().CopyTo(result); break;
            case TensorElementType.Int64: Convert(value.GetTensorDataAsSpan<long>(), result); break;
            case TensorElementType.Int32: Convert(value.GetTensorDataAsSpan<int>(), result); break;
            case TensorElementType.UInt8: Convert(value.GetTensorDataAsSpan<byte>(), result); break;
            default: throw new NotSupportedException($"output '{name}' is {TensorInfo.TypeName(info.ElementDataType)}; only numeric outputs can be copied");
        }
        return new OutputCopy(name, shape, result);
    }

    private static void Convert<T>(ReadOnlySpan<T> source, float[] target) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (int i = 0; i < source.Length; i++) target[i] = float.CreateTruncating(source[i]);
    }
}
