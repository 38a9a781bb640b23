using System.Threading.Channels;

namespace StreamMatte.Pipeline.Frames;

/// <summary>
/// A fixed set of frames of one size. <see cref="RentAsync"/> waits when all are out (in offline mode that
/// is back-pressure; in live mode the drop-oldest channels return frames long before that can happen).
/// <see cref="Outstanding"/> must be 0 when a pipeline has finished: the tests check it to catch leaks.
/// </summary>
public sealed class FramePool
{
    private readonly Channel<Frame> _free;

    public FramePool(int capacity, int width, int height, int smallWidth, int smallHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _free = Channel.CreateBounded<Frame>(new BoundedChannelOptions(capacity) { SingleReader = true }); // only the source rents
        for (int i = 0; i < capacity; i++)
        {
            var frame = new Frame(this, width, height, smallWidth, smallHeight) { InPool = 1 };
            _free.Writer.TryWrite(frame);
        }
    }

    public int Capacity { get; }

    /// <summary>Frames rented and not yet returned.</summary>
    public int Outstanding => Capacity - _free.Reader.Count;

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Frame> RentAsync(CancellationToken cancel)
    {
        var frame = await _free.Reader.ReadAsync(cancel).ConfigureAwait(false);
        frame.InPool = 0;
        frame.ResetForReuse();
        return frame;
    }

    public void Return(Frame frame)
    {
        if (frame.Pool != this) throw new InvalidOperationException("frame returned to a pool it does not belong to");
        if (Interlocked.Exchange(ref frame.InPool, 1) == 1) throw new InvalidOperationException($"frame {frame.Index} returned twice");
        _free.Writer.TryWrite(frame);
    }
}
