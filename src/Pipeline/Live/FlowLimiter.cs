using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// The gate between the frame path and the network in live mode (MediaPipe's flow limiter: one picture in flight, the
/// newest one queued). The frame path offers every picture and never waits (<see cref="Offer"/> copies it and returns);
/// the network takes the newest one whenever it is free (<see cref="TakeNewest"/>), and a picture offered while another
/// was still waiting replaces it (counted in <see cref="Superseded"/>). So the network always runs on the newest frame,
/// at its own pace, and nothing queues up in front of it.
/// Ownership: the three pictures are the limiter's own (allocated once): one the network works on, one waiting, one
/// being written by the frame path. The frame itself is never held here; it goes on and back to its pool as usual.
/// </summary>
internal sealed class FlowLimiter
{
    private readonly NetworkPicture[] _pictures;
    private readonly object _gate = new();
    private NetworkPicture? _waiting, _taken;
    private bool _completed, _interrupted;

    public FlowLimiter(int width, int height) =>
        _pictures = [new(width, height), new(width, height), new(width, height)];

    /// <summary>Pictures offered, and those replaced by a newer one before the network took them.</summary>
    public long Offered { get; private set; }
    public long Superseded { get; private set; }

    /// <summary>The frame path: hands the newest picture to the network. Never blocks on the network (it copies one picture).</summary>
    public void Offer(RgbImage picture, long index, long scene, long arrivedAt)
    {
        NetworkPicture target;
        lock (_gate)
        {
            if (_completed || _interrupted) return;
            target = Free();
        }
        // Outside the lock: the network can take the waiting picture meanwhile.
        picture.Pixels.AsSpan().CopyTo(target.Image.Pixels);
        target.Index = index;
        target.Scene = scene;
        target.ArrivedAt = arrivedAt;
        lock (_gate)
        {
            if (_waiting != null) Superseded++;
            _waiting = target;
            Offered++;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>The picture neither waiting nor taken (only the frame path writes, so one is always free).</summary>
    private NetworkPicture Free()
    {
        foreach (var p in _pictures)
            if (p != _waiting && p != _taken) return p;
        throw new InvalidOperationException("no free network picture");
    }

    /// <summary>
    /// The network: gives back the picture it took last and waits for the newest one offered; null once the frame path
    /// has ended (<see cref="Complete"/>). Throws <see cref="OperationCanceledException"/> when the run aborts.
    /// </summary>
    public NetworkPicture? TakeNewest()
    {
        lock (_gate)
        {
            _taken = null;
            while (true)
            {
                if (_interrupted) throw new OperationCanceledException("the run was aborted");
                if (_completed) return null;
                if (_waiting != null) break;
                Monitor.Wait(_gate);
            }
            (_taken, _waiting) = (_waiting, null);
            return _taken;
        }
    }

    /// <summary>The frame path has ended: no more pictures; the network stops at its next take.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The run is aborting: a waiting take throws.</summary>
    public void Interrupt()
    {
        lock (_gate)
        {
            _interrupted = true;
            Monitor.PulseAll(_gate);
        }
    }
}
