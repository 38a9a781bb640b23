using System.Diagnostics;
using StreamMatte.Imaging;

namespace StreamMatte.VirtualCamera;

/// <summary>
/// Feeds a virtual camera at a steady rate of its own, whatever the pipeline does. Frames handed to
/// <see cref="Submit"/> are converted to YUV at once (on the caller's thread) into a back buffer and swapped in as
/// the latest picture; a writer thread puts the latest picture on the device every 1/fps, repeating it when
/// nothing new came (a stalled pipeline), so apps never see a frozen-then-closed or black camera. Until the first
/// frame arrives it shows mid-grey, so a consumer opening the device early gets a valid, live stream.
/// Three buffers (back, latest, being written) are made once; nothing is allocated per frame.
/// </summary>
public sealed class PacedVirtualCamera : IDisposable
{
    private readonly IVideoOutputDevice _device;
    private readonly YuvConverter _converter = new();
    private readonly YuvFormat _format;
    private readonly TimeSpan _interval;
    private byte[] _back, _latest, _writing;
    private bool _fresh;
    private readonly Lock _swap = new();
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private volatile Exception? _error;
    private long _written, _repeated, _submitted;

    public PacedVirtualCamera(IVideoOutputDevice device, YuvFormat format, int width, int height, double framesPerSecond)
    {
        if (framesPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(framesPerSecond), "the virtual camera needs a frame rate above 0");
        _device = device;
        _format = format;
        Width = width;
        Height = height;
        _interval = TimeSpan.FromSeconds(1 / framesPerSecond);
        int bytes = YuvConverter.FrameBytes(format, width, height);
        _back = new byte[bytes];
        _latest = new byte[bytes];
        _writing = new byte[bytes];
        var grey = new RgbImage(width, height);
        grey.Pixels.AsSpan().Fill(128);
        _converter.Convert(grey, format, _writing);
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "virtual camera", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public int Width { get; }
    public int Height { get; }
    public string Description => _device.Description;
    public long FramesWritten => Interlocked.Read(ref _written);
    /// <summary>Writes that repeated the previous picture because no new frame had come.</summary>
    public long FramesRepeated => Interlocked.Read(ref _repeated);
    public long FramesSubmitted => Interlocked.Read(ref _submitted);

    /// <summary>Makes <paramref name="frame"/> the camera's picture from the next tick on. Throws if the device has failed.</summary>
    public void Submit(RgbImage frame)
    {
        if (_error is { } e) throw new IOException($"the virtual camera stopped: {e.Message}", e);
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"frame is {frame.Width}x{frame.Height}, the virtual camera was set up for {Width}x{Height}");
        _converter.Convert(frame, _format, _back);
        lock (_swap)
        {
            (_back, _latest) = (_latest, _back);
            _fresh = true;
        }
        Interlocked.Increment(ref _submitted);
    }

    private void WriteLoop()
    {
        var clock = Stopwatch.StartNew();
        long tick = 0;
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                lock (_swap)
                {
                    if (_fresh)
                    {
                        (_latest, _writing) = (_writing, _latest);
                        _fresh = false;
                    }
                    else if (tick > 0) Interlocked.Increment(ref _repeated);
                }
                _device.WriteFrame(_writing);
                Interlocked.Increment(ref _written);
                tick++;
                // Deadlines from the start, not from the last write: the pace does not drift with write times.
                var wait = _interval * tick - clock.Elapsed;
                if (wait < -_interval * 4) tick = (long)(clock.Elapsed / _interval);   // far behind (a stall in write): resynchronise
                else if (wait > TimeSpan.Zero) token.WaitHandle.WaitOne(wait);
            }
        }
        catch (Exception e)
        {
            _error = e;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _device.Dispose();
        _stop.Dispose();
    }
}
