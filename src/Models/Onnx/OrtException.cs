namespace StreamMatte.Models.Onnx;

/// <summary>An error reported by ONNX Runtime, carrying its error code and its own message.</summary>
public class OrtException(string message, int errorCode = 0, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>ORT's <c>OrtErrorCode</c> (0 when the error was raised by this binding rather than by ORT).</summary>
    public int ErrorCode { get; } = errorCode;
}

/// <summary>The native ONNX Runtime library could not be found or is not a usable ONNX Runtime.</summary>
public sealed class OrtLibraryException(string message, Exception? inner = null) : OrtException(message, 0, inner);

/// <summary>The requested execution provider cannot run here; says why, and what would run instead.</summary>
public sealed class ExecutionProviderUnavailableException(string message, IReadOnlyList<ProviderAttempt> attempts)
    : OrtException(message)
{
    public IReadOnlyList<ProviderAttempt> Attempts { get; } = attempts;
}

internal static unsafe class OrtStatus
{
    /// <summary>
    /// ORT prefixes many messages with its source location and error class
    /// ("/onnxruntime_src/…cc:1988 … [ONNXRuntimeError] : 1 : FAIL : Failed to load library …"); users need the end.
    /// </summary>
    public static string Essential(string message)
    {
        int marker = message.LastIndexOf("[ONNXRuntimeError]", StringComparison.Ordinal);
        if (marker < 0) return message;
        var parts = message[marker..].Split(" : ", 4);
        return parts.Length == 4 ? parts[3].Trim() : message;
    }

    /// <summary>Reads, releases and throws a non-null <c>OrtStatus*</c>. Every ORT call that returns one goes through here.</summary>
    public static void Check(OrtApi api, nint status)
    {
        if (status == 0) return;
        int code = api.GetErrorCode(status);
        string message = (Utf8.Read(api.GetErrorMessage(status)) ?? "(no message)").Trim();
        api.ReleaseStatus(status);
        throw new OrtException($"ONNX Runtime: {Essential(message)}", code);
    }
}
