using Microsoft.ML.OnnxRuntime;

namespace StreamMatte.Models.Onnx;

/// <summary>An error reported by ONNX Runtime, as one line: "ONNX Runtime: {what ORT said, without its source location}".</summary>
public class OrtException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The native ONNX Runtime library could not be found or is not a usable ONNX Runtime.</summary>
public sealed class OrtLibraryException(string message, Exception? inner = null) : OrtException(message, inner);

/// <summary>The requested execution provider cannot run here; says why, and what would run instead.</summary>
public sealed class ExecutionProviderUnavailableException(string message, IReadOnlyList<ProviderAttempt> attempts)
    : OrtException(message)
{
    public IReadOnlyList<ProviderAttempt> Attempts { get; } = attempts;
}

internal static class OrtErrors
{
    /// <summary>
    /// ORT's messages carry an error class and often a source location
    /// ("[ErrorCode:Fail] …", "/onnxruntime_src/…cc:1988 … [ONNXRuntimeError] : 1 : FAIL : Failed to load library …");
    /// users need the end, on one line.
    /// </summary>
    public static string Essential(string message)
    {
        message = message.ReplaceLineEndings(" ").Trim();
        int marker = message.LastIndexOf("[ONNXRuntimeError]", StringComparison.Ordinal);
        if (marker >= 0)
        {
            var parts = message[marker..].Split(" : ", 4);
            if (parts.Length == 4) message = parts[3].Trim();
        }
        // ORT_ENFORCE: "/onnxruntime_src/….cc:136 function(…) condition was false. What went wrong"
        if (message.StartsWith("/onnxruntime_src/", StringComparison.Ordinal) && message.IndexOf(" was false. ", StringComparison.Ordinal) is int enforce and > 0)
            message = message[(enforce + " was false. ".Length)..].Trim();
        if (message.StartsWith("[ErrorCode:", StringComparison.Ordinal) && message.IndexOf("] ", StringComparison.Ordinal) is int end and > 0)
            message = message[(end + 2)..].Trim();
        return message;
    }

    /// <summary>ORT's exception as our one-line error.</summary>
    public static OrtException From(OnnxRuntimeException e, string? context = null) =>
        new($"{(context != null ? context + ": " : "")}ONNX Runtime: {Essential(e.Message)}", e);
}
