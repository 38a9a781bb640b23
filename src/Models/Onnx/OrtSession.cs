namespace StreamMatte.Models.Onnx;

/// <summary>
/// An ONNX Runtime inference session over our own binding: created from a file or bytes on the execution
/// provider asked for (each candidate tried, each failure kept, the one that runs reported), with the model's
/// inputs, outputs and metadata read once, and input/output names marshalled once so that <see cref="Run"/>
/// and <see cref="OrtIoBinding.Run"/> allocate nothing.
/// </summary>
public sealed unsafe class OrtSession : IDisposable
{
    private nint _handle;
    private readonly byte** _inputNames;
    private readonly byte** _outputNames;

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

    internal nint Handle => _handle;

    private OrtSession(OrtRuntime runtime, nint handle, string modelName, SessionSettings settings, string provider,
        IReadOnlyList<ProviderAttempt> attempts)
    {
        Runtime = runtime;
        _handle = handle;
        ModelName = modelName;
        Settings = settings;
        Provider = provider;
        ProviderAttempts = attempts;
        Inputs = ReadTensorInfos(isInput: true);
        Outputs = ReadTensorInfos(isInput: false);
        _inputNames = MarshalNames(Inputs);
        _outputNames = MarshalNames(Outputs);
        ProducerName = ReadProducerName();
    }

    /// <summary>Opens the model file at <paramref name="modelPath"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="OrtException">ORT rejected the model (not ONNX, unsupported operator, ...).</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The device asked for cannot run here.</exception>
    public static OrtSession Open(string modelPath, SessionSettings? settings = null)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"model file '{modelPath}' does not exist", modelPath);
        settings ??= SessionSettings.Default;
        var runtime = OrtRuntime.Load(settings.LibraryPath);
        byte* path = Utf8.Alloc(Path.GetFullPath(modelPath));
        try
        {
            return Create(runtime, settings, Path.GetFileName(modelPath), options =>
            {
                nint session;
                runtime.Check(runtime.Api.CreateSession(runtime.Env, path, options, &session));
                return session;
            });
        }
        finally { Utf8.Free(path); }
    }

    /// <summary>Opens a model held in memory (e.g. one a test generated).</summary>
    public static OrtSession Open(ReadOnlySpan<byte> model, string name, SessionSettings? settings = null)
    {
        settings ??= SessionSettings.Default;
        var runtime = OrtRuntime.Load(settings.LibraryPath);
        fixed (byte* data = model)
        {
            byte* p = data;
            nuint length = (nuint)model.Length;
            return Create(runtime, settings, name, options =>
            {
                nint session;
                runtime.Check(runtime.Api.CreateSessionFromArray(runtime.Env, p, length, options, &session));
                return session;
            });
        }
    }

    private delegate nint SessionFactory(nint options);

    private static OrtSession Create(OrtRuntime runtime, SessionSettings settings, string name, SessionFactory factory)
    {
        var attempts = new List<ProviderAttempt>();
        foreach (var provider in ExecutionProviders.CandidatesFor(settings.Device))
        {
            nint options = 0;
            try
            {
                options = CreateOptions(runtime, settings);
                ExecutionProviders.Append(runtime, options, provider, settings);
                nint session = factory(options);
                attempts.Add(new ProviderAttempt(ExecutionProviders.OrtName(provider), true, null));
                return new OrtSession(runtime, session, name, settings, ExecutionProviders.OrtName(provider), attempts);
            }
            catch (OrtException e) when (provider != ExecutionDevice.Cpu)
            {
                attempts.Add(new ProviderAttempt(ExecutionProviders.OrtName(provider), false, e.Message));
            }
            catch (OrtException e)
            {
                // The CPU provider always exists, so a failure here is the model itself: say which model.
                throw new OrtException($"cannot load model '{name}': {e.Message}", e.ErrorCode, e);
            }
            finally
            {
                if (options != 0) runtime.Api.ReleaseSessionOptions(options);
            }
        }
        throw ExecutionProviders.Unavailable(settings.Device, attempts);
    }

    private static nint CreateOptions(OrtRuntime runtime, SessionSettings settings)
    {
        var api = runtime.Api;
        nint options;
        runtime.Check(api.CreateSessionOptions(&options));
        try
        {
            runtime.Check(api.SetSessionGraphOptimizationLevel(options, (int)settings.Optimization));
            if (settings.IntraOpThreads > 0) runtime.Check(api.SetIntraOpNumThreads(options, settings.IntraOpThreads));
            runtime.Check(api.SetInterOpNumThreads(options, 1));
            runtime.Check(api.SetSessionLogSeverityLevel(options, 3));
            AddConfigEntry(runtime, options, "session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            AddConfigEntry(runtime, options, "session.inter_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            return options;
        }
        catch
        {
            api.ReleaseSessionOptions(options);
            throw;
        }
    }

    internal static void AddConfigEntry(OrtRuntime runtime, nint options, string key, string value)
    {
        byte* k = Utf8.Alloc(key), v = Utf8.Alloc(value);
        try { runtime.Check(runtime.Api.AddSessionConfigEntry(options, k, v)); }
        finally { Utf8.Free(k); Utf8.Free(v); }
    }

    private TensorInfo[] ReadTensorInfos(bool isInput)
    {
        var api = Runtime.Api;
        nuint count;
        Runtime.Check(isInput ? api.SessionGetInputCount(_handle, &count) : api.SessionGetOutputCount(_handle, &count));
        var result = new TensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            Runtime.Check(isInput
                ? api.SessionGetInputName(_handle, i, Runtime.DefaultAllocator, &rawName)
                : api.SessionGetOutputName(_handle, i, Runtime.DefaultAllocator, &rawName));
            string name = Runtime.TakeAllocatedString(rawName);
            nint typeInfo;
            Runtime.Check(isInput ? api.SessionGetInputTypeInfo(_handle, i, &typeInfo) : api.SessionGetOutputTypeInfo(_handle, i, &typeInfo));
            try
            {
                int onnxType;
                Runtime.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
                if (onnxType != 1 /* ONNX_TYPE_TENSOR */)
                {
                    result[i] = new TensorInfo(name, TensorElementType.Undefined, [], []);
                    continue;
                }
                nint tensorInfo; // owned by typeInfo: not released separately
                Runtime.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                result[i] = ReadShape(Runtime, name, tensorInfo);
            }
            finally { api.ReleaseTypeInfo(typeInfo); }
        }
        return result;
    }

    internal static TensorInfo ReadShape(OrtRuntime runtime, string name, nint tensorInfo)
    {
        var api = runtime.Api;
        int elementType;
        nuint rank;
        runtime.Check(api.GetTensorElementType(tensorInfo, &elementType));
        runtime.Check(api.GetDimensionsCount(tensorInfo, &rank));
        var dims = new long[(int)rank];
        var symbols = new string[(int)rank];
        if (rank > 0)
        {
            var symbolic = stackalloc byte*[(int)rank];
            fixed (long* d = dims) runtime.Check(api.GetDimensions(tensorInfo, d, rank));
            runtime.Check(api.GetSymbolicDimensions(tensorInfo, symbolic, rank));
            for (int k = 0; k < (int)rank; k++) symbols[k] = Utf8.Read(symbolic[k]) ?? "";
        }
        return new TensorInfo(name, (TensorElementType)elementType, dims, symbols);
    }

    private static byte** MarshalNames(IReadOnlyList<TensorInfo> infos)
    {
        var names = (byte**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)Math.Max(1, infos.Count), (nuint)sizeof(byte*));
        for (int i = 0; i < infos.Count; i++) names[i] = Utf8.Alloc(infos[i].Name);
        return names;
    }

    private string ReadProducerName()
    {
        nint metadata;
        Runtime.Check(Runtime.Api.SessionGetModelMetadata(_handle, &metadata));
        try
        {
            byte* value;
            Runtime.Check(Runtime.Api.ModelMetadataGetProducerName(metadata, Runtime.DefaultAllocator, &value));
            return Runtime.TakeAllocatedString(value);
        }
        finally { Runtime.Api.ReleaseModelMetadata(metadata); }
    }

    /// <summary>A value of the model's custom metadata map (our own models declare their preprocessing there).</summary>
    public string? GetMetadata(string key)
    {
        nint metadata;
        Runtime.Check(Runtime.Api.SessionGetModelMetadata(_handle, &metadata));
        byte* k = Utf8.Alloc(key);
        try
        {
            byte* value;
            Runtime.Check(Runtime.Api.ModelMetadataLookupCustomMetadataMap(metadata, Runtime.DefaultAllocator, k, &value));
            return value == null ? null : Runtime.TakeAllocatedString(value);
        }
        finally
        {
            Utf8.Free(k);
            Runtime.Api.ReleaseModelMetadata(metadata);
        }
    }

    public int InputIndex(string name) => IndexOf(Inputs, name, "input");
    public int OutputIndex(string name) => IndexOf(Outputs, name, "output");

    private int IndexOf(IReadOnlyList<TensorInfo> infos, string name, string what)
    {
        for (int i = 0; i < infos.Count; i++) if (infos[i].Name == name) return i;
        throw new ArgumentException($"model '{ModelName}' has no {what} named '{name}'");
    }

    internal byte* InputName(int index) => _inputNames[index];
    internal byte* OutputName(int index) => _outputNames[index];

    /// <summary>
    /// Runs the model: <paramref name="inputs"/> and <paramref name="outputs"/> are given in the model's order,
    /// all of them, and ORT writes the results into the output tensors' buffers. Allocates nothing.
    /// Shapes are checked here first, because a failed Run leaks native memory inside ORT.
    /// </summary>
    public void Run(ReadOnlySpan<OrtTensor> inputs, ReadOnlySpan<OrtTensor> outputs)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        if (inputs.Length != Inputs.Count || outputs.Length != Outputs.Count)
            throw new ArgumentException($"model '{ModelName}' takes {Inputs.Count} inputs and {Outputs.Count} outputs; got {inputs.Length} and {outputs.Length}");
        var inputValues = stackalloc nint[inputs.Length];
        var outputValues = stackalloc nint[Math.Max(1, outputs.Length)];
        for (int i = 0; i < inputs.Length; i++)
        {
            ShapeCheck.EnsureFits(Inputs[i], inputs[i], ModelName);
            inputValues[i] = inputs[i].Handle;
        }
        for (int i = 0; i < outputs.Length; i++)
        {
            ShapeCheck.EnsureFits(Outputs[i], outputs[i], ModelName);
            outputValues[i] = outputs[i].Handle;
        }
        Runtime.Check(Runtime.Api.Run(_handle, 0, (nint*)_inputNames, inputValues, (nuint)inputs.Length,
            (nint*)_outputNames, (nuint)outputs.Length, outputValues));
    }

    /// <summary>
    /// Runs the model letting ORT allocate the outputs, and returns copies of them. For set-up work (finding
    /// the output shapes a model produces for a given input size) and tests, not for the per-frame path.
    /// </summary>
    public IReadOnlyList<OutputCopy> RunAndCopy(ReadOnlySpan<OrtTensor> inputs)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        if (inputs.Length != Inputs.Count)
            throw new ArgumentException($"model '{ModelName}' takes {Inputs.Count} inputs; got {inputs.Length}");
        var inputValues = stackalloc nint[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            ShapeCheck.EnsureFits(Inputs[i], inputs[i], ModelName);
            inputValues[i] = inputs[i].Handle;
        }
        var outputValues = stackalloc nint[Outputs.Count];
        for (int i = 0; i < Outputs.Count; i++) outputValues[i] = 0; // null: ORT allocates (never reuse a released value)
        Runtime.Check(Runtime.Api.Run(_handle, 0, (nint*)_inputNames, inputValues, (nuint)inputs.Length,
            (nint*)_outputNames, (nuint)Outputs.Count, outputValues));
        var copies = new OutputCopy[Outputs.Count];
        try
        {
            for (int i = 0; i < Outputs.Count; i++) copies[i] = OutputCopy.From(Runtime, Outputs[i].Name, outputValues[i]);
        }
        finally
        {
            for (int i = 0; i < Outputs.Count; i++) if (outputValues[i] != 0) Runtime.Api.ReleaseValue(outputValues[i]);
        }
        return copies;
    }

    /// <summary>A new IoBinding on this session (see <see cref="OrtIoBinding"/>).</summary>
    public OrtIoBinding CreateBinding() => new(this);

    public void Dispose()
    {
        if (_handle == 0) return;
        Runtime.Api.ReleaseSession(_handle);
        _handle = 0;
        for (int i = 0; i < Inputs.Count; i++) Utf8.Free(_inputNames[i]);
        for (int i = 0; i < Outputs.Count; i++) Utf8.Free(_outputNames[i]);
        System.Runtime.InteropServices.NativeMemory.Free(_inputNames);
        System.Runtime.InteropServices.NativeMemory.Free(_outputNames);
    }
}

/// <summary>An output ORT allocated, copied out as float32 (other numeric types are converted).</summary>
public sealed record OutputCopy(string Name, long[] Shape, float[] Data)
{
    internal static unsafe OutputCopy From(OrtRuntime runtime, string name, nint value)
    {
        nint info;
        runtime.Check(runtime.Api.GetTensorTypeAndShape(value, &info));
        TensorInfo shape;
        try { shape = OrtSession.ReadShape(runtime, name, info); }
        finally { runtime.Api.ReleaseTensorTypeAndShapeInfo(info); }
        void* data;
        runtime.Check(runtime.Api.GetTensorMutableData(value, &data));
        long n = OrtTensor.CountOf(shape.Shape);
        var result = new float[n];
        switch (shape.ElementType)
        {
            case TensorElementType.Float: new ReadOnlySpan<float>(data, (int)n).CopyTo(result); break;
            case TensorElementType.Int64: for (int i = 0; i < n; i++) result[i] = ((long*)data)[i]; break;
            case TensorElementType.Int32: for (int i = 0; i < n; i++) result[i] = ((int*)data)[i]; break;
            case TensorElementType.UInt8: for (int i = 0; i < n; i++) result[i] = ((byte*)data)[i]; break;
            default: throw new NotSupportedException($"output '{name}' is {shape.ElementType}; only numeric outputs can be copied");
        }
        return new OutputCopy(name, shape.Shape, result);
    }
}
