using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Live;

/// <summary>
/// The mattes the network has finished in live mode, each stamped with the frame it was computed from, its scene and
/// that frame's arrival. The network rents a slot (<see cref="Rent"/>: the oldest one), writes its matte there and
/// <see cref="Publish"/>es it; the frame path copies out the newest matte that is not from a later frame and is of the
/// same scene (<see cref="TryCopyNewest"/>). A later frame's matte exists when the network is quicker than the few
/// frames between preprocessing and the matte stage; it is never given to an earlier frame.
/// Ownership: the slots are the board's own; the network owns the rented one until it publishes it, and the frame path
/// only copies under the board's lock, so a slot is never written while it is read. Allocation: a slot grows when it
/// first sees a larger matte (a size change), never per frame; <see cref="Reserve"/> makes the room at set-up time.
/// </summary>
internal sealed class MatteBoard
{
    /// <summary>Four: the newest three mattes stay readable while the fourth is written.</summary>
    public const int Slots = 4;

    private sealed class Entry
    {
        public FloatPlane Matte { get; } = new(1, 1);
        public MotionLuma Motion { get; } = new();   // the luma of the matte's frame, for the motion warp (empty when off)
        public long Index = -1;     // −1: empty or being written
        public long Scene;
        public long ArrivedAt;
    }

    private readonly Entry[] _entries = [new(), new(), new(), new()];
    private readonly object _gate = new();
    private Entry? _rented;

    /// <summary>Mattes published so far.</summary>
    public long Published { get; private set; }

    /// <summary>Set-up time: room in every slot for mattes of up to this size and their frames' lumas (the largest the network may make).</summary>
    public void Reserve(int matteWidth, int matteHeight, (int Width, int Height) motionSize)
    {
        lock (_gate)
            foreach (var e in _entries)
            {
                if (e.Index >= 0 || e == _rented) throw new InvalidOperationException("reserve before the first matte");
                e.Matte.Resize(matteWidth, matteHeight);
                e.Motion.Resize(motionSize.Width, motionSize.Height);
                Array.Clear(e.Matte.Data);    // written now: fresh memory is mapped on its first write
                Array.Clear(e.Motion.Data);
                e.Motion.Clear();
            }
    }

    /// <summary>The network: a plane of this size to write the next matte into (the oldest slot's).</summary>
    public FloatPlane Rent(int width, int height) => Rent(width, height, out _);

    /// <summary>
    /// The network: a plane of this size to write the next matte into, and the slot's <see cref="MotionLuma"/> for the
    /// luma of the matte's frame (left empty when the motion warp is off).
    /// </summary>
    public FloatPlane Rent(int width, int height, out MotionLuma motion)
    {
        lock (_gate)
        {
            if (_rented != null) throw new InvalidOperationException("a matte slot is already rented: publish it first");
            Entry oldest = _entries[0];
            foreach (var e in _entries)
                if (e.Index < oldest.Index) oldest = e;
            oldest.Index = -1;
            oldest.Matte.Resize(width, height);
            oldest.Motion.Clear();
            _rented = oldest;
            motion = oldest.Motion;
            return oldest.Matte;
        }
    }

    /// <summary>The network: the rented plane now holds the matte of frame <paramref name="index"/>.</summary>
    public void Publish(long index, long scene, long arrivedAt)
    {
        lock (_gate)
        {
            var entry = _rented ?? throw new InvalidOperationException("publish without a rented matte slot");
            (entry.Index, entry.Scene, entry.ArrivedAt) = (index, scene, arrivedAt);
            _rented = null;
            Published++;
        }
    }

    /// <summary>
    /// The frame path: copies into <paramref name="into"/> the newest matte of scene <paramref name="scene"/> computed
    /// from frame <paramref name="frameIndex"/> or an earlier one; false when there is none (yet). With
    /// <paramref name="motionInto"/>, also the luma of the matte's frame (empty if the network kept none).
    /// </summary>
    public bool TryCopyNewest(long frameIndex, long scene, FloatPlane into, out long matteIndex, out long matteArrivedAt, MotionLuma? motionInto = null)
    {
        lock (_gate)
        {
            Entry? best = null;
            foreach (var e in _entries)
                if (e.Index >= 0 && e.Index <= frameIndex && e.Scene == scene && (best is null || e.Index > best.Index)) best = e;
            if (best is null)
            {
                (matteIndex, matteArrivedAt) = (-1, 0);
                return false;
            }
            into.Resize(best.Matte.Width, best.Matte.Height);
            Array.Copy(best.Matte.Data, into.Data, best.Matte.Width * best.Matte.Height);
            motionInto?.CopyFrom(best.Motion);
            (matteIndex, matteArrivedAt) = (best.Index, best.ArrivedAt);
            return true;
        }
    }
}
