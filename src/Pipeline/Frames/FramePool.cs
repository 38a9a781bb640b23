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
    private int _outstanding;

    public FramePool(int capacity, int width, int height, int smallWidth, int smallHeight, PeopleShape? people = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        (FrameSize, WorkingSize) = ((width, height), (smallWidth, smallHeight));
        _free = Channel.CreateBounded<Frame>(new BoundedChannelOptions(capacity) { SingleReader = true }); // only the source rents
        for (int i = 0; i < capacity; i++)
        {
            var frame = new Frame(this, width, height, smallWidth, smallHeight, people) { InPool = 1 };
            // Every page written once now: fresh memory is mapped on its first write (a page fault, the kernel zeroing the
            // page), and the first pass of 17 pooled 1080p frames through the pipeline otherwise paid for ~250 MB of it
            // on the camera's first frames: a 1080p live run lost 16-30 frames in its first 2 s, 5-10 with this alone (4-6 with
            // Live/FramePathWarmUp as well).
            Array.Clear(frame.Image.Pixels);
            Array.Clear(frame.Alpha.Data);
            _free.Writer.TryWrite(frame);
        }
    }

    public int Capacity { get; }

    /// <summary>The frames' full size, and the size of their small copy (the working picture).</summary>
    public (int Width, int Height) FrameSize { get; }
    public (int Width, int Height) WorkingSize { get; }

    /// <summary>Frames rented and not yet returned.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>
    /// The next free frame, waiting while all are out. No cancellation token on purpose: a channel wait with a
    /// cancellable token allocates per wait; an aborting run calls <see cref="Interrupt"/> instead, which ends the wait
    /// with an <see cref="OperationCanceledException"/>.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Frame> RentAsync()
    {
        var frame = await _free.Reader.ReadAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _outstanding);
        frame.InPool = 0;
        frame.ResetForReuse();
        return frame;
    }

    /// <summary>Ends any wait in <see cref="RentAsync"/> (the run is aborting). Returns are still counted.</summary>
    public void Interrupt() => _free.Writer.TryComplete(new OperationCanceledException("the run was aborted"));

    public void Return(Frame frame)
    {
        if (frame.Pool != this) throw new InvalidOperationException("frame returned to a pool it does not belong to");
        if (Interlocked.Exchange(ref frame.InPool, 1) == 1) throw new InvalidOperationException($"frame {frame.Index} returned twice");
        Interlocked.Decrement(ref _outstanding);
        _free.Writer.TryWrite(frame);   // false only after Interrupt: the run is over, the frame is simply not reused
    }
}
