namespace StreamMatte.Models.Onnx;

/// <summary>
/// An IoBinding: inputs and outputs bound once to tensors over pinned buffers, then <see cref="Run"/> per
/// frame with no marshalling and no allocation. Two bindings over two sets of buffers give double buffering:
/// the caller fills one set while the other runs. A tensor changed in place is seen by the next run without
/// binding it again; a tensor that was reshaped must be bound again.
/// </summary>
public sealed unsafe class OrtIoBinding : IDisposable
{
    private readonly OrtSession _session;
    private nint _handle;

    internal OrtIoBinding(OrtSession session)
    {
        _session = session;
        nint handle;
        session.Runtime.Check(session.Runtime.Api.CreateIoBinding(session.Handle, &handle));
        _handle = handle;
    }

    public void BindInput(string name, OrtTensor tensor) => BindInput(_session.InputIndex(name), tensor);
    public void BindOutput(string name, OrtTensor tensor) => BindOutput(_session.OutputIndex(name), tensor);

    public void BindInput(int index, OrtTensor tensor)
    {
        ShapeCheck.EnsureFits(_session.Inputs[index], tensor, _session.ModelName);
        _session.Runtime.Check(_session.Runtime.Api.BindInput(_handle, _session.InputName(index), tensor.Handle));
    }

    public void BindOutput(int index, OrtTensor tensor)
    {
        ShapeCheck.EnsureFits(_session.Outputs[index], tensor, _session.ModelName);
        _session.Runtime.Check(_session.Runtime.Api.BindOutput(_handle, _session.OutputName(index), tensor.Handle));
    }

    /// <summary>Runs the session on the bound tensors; results land in the bound output buffers.</summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        _session.Runtime.Check(_session.Runtime.Api.RunWithBinding(_session.Handle, 0, _handle));
    }

    public void Dispose()
    {
        if (_handle == 0) return;
        _session.Runtime.Api.ReleaseIoBinding(_handle);
        _handle = 0;
    }
}
