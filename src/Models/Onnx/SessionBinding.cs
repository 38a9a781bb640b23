using Microsoft.ML.OnnxRuntime;

namespace StreamMatte.Models.Onnx;

/// <summary>
/// ORT's <see cref="OrtIoBinding"/> on one session, bound once to <see cref="PinnedTensor"/>s (shapes checked
/// against the model first), then <see cref="Run"/> per frame: no marshalling, no allocation. Two bindings over two
/// sets of buffers give double buffering: the caller fills one set while the other runs. A tensor changed in place
/// is seen by the next run without binding again; a reshaped tensor must be bound again.
/// </summary>
public sealed class SessionBinding : IDisposable
{
    private readonly OrtSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private bool _disposed;

    internal SessionBinding(OrtSession session)
    {
        _session = session;
        _binding = session.Inner.CreateIoBinding();
    }

    public void BindInput(string name, PinnedTensor tensor) => BindInput(_session.InputIndex(name), tensor);
    public void BindOutput(string name, PinnedTensor tensor) => BindOutput(_session.OutputIndex(name), tensor);

    public void BindInput(int index, PinnedTensor tensor)
    {
        var declared = _session.Inputs[index];
        ShapeCheck.EnsureFits(declared, tensor, _session.ModelName);
        try { _binding.BindInput(declared.Name, tensor.Value); }
        catch (OnnxRuntimeException e) { throw OrtErrors.From(e, $"model '{_session.ModelName}'"); }
    }

    public void BindOutput(int index, PinnedTensor tensor)
    {
        var declared = _session.Outputs[index];
        ShapeCheck.EnsureFits(declared, tensor, _session.ModelName);
        try { _binding.BindOutput(declared.Name, tensor.Value); }
        catch (OnnxRuntimeException e) { throw OrtErrors.From(e, $"model '{_session.ModelName}'"); }
    }

    /// <summary>Runs the session on the bound tensors; the results land in the bound output buffers.</summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try { _session.Inner.RunWithBinding(_runOptions, _binding); }
        catch (OnnxRuntimeException e) { throw OrtErrors.From(e, $"model '{_session.ModelName}'"); }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _binding.Dispose();
        _runOptions.Dispose();
    }
}
