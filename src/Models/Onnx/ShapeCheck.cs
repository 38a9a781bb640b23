namespace StreamMatte.Models.Onnx;

/// <summary>
/// Checks a tensor against a model's declared input or output before ORT sees it: ORT's own message for a wrong
/// shape names neither the model nor what it declares, and a failed run leaks native memory inside ORT 1.30.
/// </summary>
internal static class ShapeCheck
{
    public static void EnsureFits(TensorInfo declared, PinnedTensor tensor, string model)
    {
        if (declared.ElementType != tensor.ElementType)
            throw new ArgumentException($"model '{model}': '{declared.Name}' is {TensorInfo.TypeName(declared.ElementType)}, the tensor given is {TensorInfo.TypeName(tensor.ElementType)}");
        var shape = tensor.Shape;
        bool fits = shape.Length == declared.Rank;
        for (int i = 0; fits && i < shape.Length; i++)
            fits = declared.Shape[i] < 0 || declared.Shape[i] == shape[i];
        if (!fits)
            throw new ArgumentException($"model '{model}': '{declared}' cannot take a tensor of shape [{string.Join(",", shape.ToArray())}]");
    }
}
