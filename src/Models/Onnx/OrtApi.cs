namespace StreamMatte.Models.Onnx;

/// <summary>
/// The slice of ONNX Runtime's C API table (<c>OrtApi</c>) that we call, as typed function pointers.
/// The table is an array of pointers whose order never changes (new members are only appended), so each
/// member is read by its index at API version <see cref="Version"/>; indices come from the C header's
/// declaration order (see ../shared/docs/onnxruntime-api29-slots.txt). All pointers are IntPtr-typed
/// handles; every function returning <c>OrtStatus*</c> is checked by <see cref="OrtStatus.Check"/>.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>API version we ask for: served by ONNX Runtime 1.29 and later.</summary>
    public const uint Version = 29;

    public readonly delegate* unmanaged<nint, int> GetErrorCode;
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionExecutionMode;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionLogSeverityLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged<nint, byte**, nuint, nint> GetSymbolicDimensions;
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSession;
    public readonly delegate* unmanaged<nint, void> ReleaseValue;
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<nint, nint*, nint> SessionGetModelMetadata;
    public readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetProducerName;
    public readonly delegate* unmanaged<nint, nint, byte*, byte**, nint> ModelMetadataLookupCustomMetadataMap;
    public readonly delegate* unmanaged<nint, void> ReleaseModelMetadata;
    public readonly delegate* unmanaged<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;
    public readonly delegate* unmanaged<nint, nint, nint, nint> RunWithBinding;
    public readonly delegate* unmanaged<nint, nint*, nint> CreateIoBinding;
    public readonly delegate* unmanaged<nint, void> ReleaseIoBinding;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindInput;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindOutput;
    public readonly delegate* unmanaged<nint, nint, nint> SessionOptionsAppendExecutionProvider_CUDA_V2;
    public readonly delegate* unmanaged<nint*, nint> CreateCUDAProviderOptions;
    public readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> UpdateCUDAProviderOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseCUDAProviderOptions;
    public readonly delegate* unmanaged<nint, byte*, byte**, byte**, nuint, nint> SessionOptionsAppendExecutionProvider;

    private static readonly List<(int Index, string Name)> BoundSlots = [];

    /// <summary>Every (index, member name) this binding reads from the table, for tests against the header.</summary>
    public static IReadOnlyList<(int Index, string Name)> Slots
    {
        get { lock (BoundSlots) return BoundSlots.ToArray(); }
    }

    private static nint Slot(nint* table, int index, string name)
    {
        lock (BoundSlots)
        {
            if (!BoundSlots.Contains((index, name))) BoundSlots.Add((index, name));
        }
        return table[index];
    }

    public OrtApi(nint* table)
    {
        GetErrorCode = (delegate* unmanaged<nint, int>)Slot(table, 1, nameof(GetErrorCode));
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)Slot(table, 2, nameof(GetErrorMessage));
        CreateEnv = (delegate* unmanaged<int, byte*, nint*, nint>)Slot(table, 3, nameof(CreateEnv));
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)Slot(table, 7, nameof(CreateSession));
        CreateSessionFromArray = (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)Slot(table, 8, nameof(CreateSessionFromArray));
        Run = (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)Slot(table, 9, nameof(Run));
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)Slot(table, 10, nameof(CreateSessionOptions));
        SetSessionExecutionMode = (delegate* unmanaged<nint, int, nint>)Slot(table, 13, nameof(SetSessionExecutionMode));
        SetSessionLogSeverityLevel = (delegate* unmanaged<nint, int, nint>)Slot(table, 22, nameof(SetSessionLogSeverityLevel));
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)Slot(table, 23, nameof(SetSessionGraphOptimizationLevel));
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)Slot(table, 24, nameof(SetIntraOpNumThreads));
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)Slot(table, 25, nameof(SetInterOpNumThreads));
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)Slot(table, 30, nameof(SessionGetInputCount));
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)Slot(table, 31, nameof(SessionGetOutputCount));
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)Slot(table, 33, nameof(SessionGetInputTypeInfo));
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)Slot(table, 34, nameof(SessionGetOutputTypeInfo));
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)Slot(table, 36, nameof(SessionGetInputName));
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)Slot(table, 37, nameof(SessionGetOutputName));
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)Slot(table, 49, nameof(CreateTensorWithDataAsOrtValue));
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)Slot(table, 51, nameof(GetTensorMutableData));
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)Slot(table, 55, nameof(CastTypeInfoToTensorInfo));
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)Slot(table, 56, nameof(GetOnnxTypeFromTypeInfo));
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)Slot(table, 60, nameof(GetTensorElementType));
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)Slot(table, 61, nameof(GetDimensionsCount));
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)Slot(table, 62, nameof(GetDimensions));
        GetSymbolicDimensions = (delegate* unmanaged<nint, byte**, nuint, nint>)Slot(table, 63, nameof(GetSymbolicDimensions));
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)Slot(table, 65, nameof(GetTensorTypeAndShape));
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)Slot(table, 69, nameof(CreateCpuMemoryInfo));
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)Slot(table, 76, nameof(AllocatorFree));
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)Slot(table, 78, nameof(GetAllocatorWithDefaultOptions));
        ReleaseEnv = (delegate* unmanaged<nint, void>)Slot(table, 92, nameof(ReleaseEnv));
        ReleaseStatus = (delegate* unmanaged<nint, void>)Slot(table, 93, nameof(ReleaseStatus));
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)Slot(table, 94, nameof(ReleaseMemoryInfo));
        ReleaseSession = (delegate* unmanaged<nint, void>)Slot(table, 95, nameof(ReleaseSession));
        ReleaseValue = (delegate* unmanaged<nint, void>)Slot(table, 96, nameof(ReleaseValue));
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)Slot(table, 98, nameof(ReleaseTypeInfo));
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)Slot(table, 99, nameof(ReleaseTensorTypeAndShapeInfo));
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)Slot(table, 100, nameof(ReleaseSessionOptions));
        SessionGetModelMetadata = (delegate* unmanaged<nint, nint*, nint>)Slot(table, 111, nameof(SessionGetModelMetadata));
        ModelMetadataGetProducerName = (delegate* unmanaged<nint, nint, byte**, nint>)Slot(table, 112, nameof(ModelMetadataGetProducerName));
        ModelMetadataLookupCustomMetadataMap = (delegate* unmanaged<nint, nint, byte*, byte**, nint>)Slot(table, 116, nameof(ModelMetadataLookupCustomMetadataMap));
        ReleaseModelMetadata = (delegate* unmanaged<nint, void>)Slot(table, 118, nameof(ReleaseModelMetadata));
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, nint>)Slot(table, 125, nameof(GetAvailableProviders));
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, nint>)Slot(table, 126, nameof(ReleaseAvailableProviders));
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)Slot(table, 130, nameof(AddSessionConfigEntry));
        RunWithBinding = (delegate* unmanaged<nint, nint, nint, nint>)Slot(table, 133, nameof(RunWithBinding));
        CreateIoBinding = (delegate* unmanaged<nint, nint*, nint>)Slot(table, 134, nameof(CreateIoBinding));
        ReleaseIoBinding = (delegate* unmanaged<nint, void>)Slot(table, 135, nameof(ReleaseIoBinding));
        BindInput = (delegate* unmanaged<nint, byte*, nint, nint>)Slot(table, 136, nameof(BindInput));
        BindOutput = (delegate* unmanaged<nint, byte*, nint, nint>)Slot(table, 137, nameof(BindOutput));
        SessionOptionsAppendExecutionProvider_CUDA_V2 = (delegate* unmanaged<nint, nint, nint>)Slot(table, 204, nameof(SessionOptionsAppendExecutionProvider_CUDA_V2));
        CreateCUDAProviderOptions = (delegate* unmanaged<nint*, nint>)Slot(table, 205, nameof(CreateCUDAProviderOptions));
        UpdateCUDAProviderOptions = (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)Slot(table, 206, nameof(UpdateCUDAProviderOptions));
        ReleaseCUDAProviderOptions = (delegate* unmanaged<nint, void>)Slot(table, 208, nameof(ReleaseCUDAProviderOptions));
        SessionOptionsAppendExecutionProvider = (delegate* unmanaged<nint, byte*, byte**, byte**, nuint, nint>)Slot(table, 216, nameof(SessionOptionsAppendExecutionProvider));
    }
}
