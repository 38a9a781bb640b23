using FFMpegCore.Pipes;

namespace StreamMatte.Pipeline.Video;

/// <summary>
/// FFMpegCore's view of our raw frames: an <see cref="IPipeSource"/> that does not pull frames itself but hands the
/// connected pipe to whoever writes them. FFMpegCore's own <see cref="RawVideoPipeSource"/> pulls frames from an
/// enumerator on its task, where our output stage pushes a pooled frame and must have it written before returning it
/// to the pool; here the output stage writes it synchronously (<see cref="FfmpegEncoder.Write"/>) and FFMpegCore keeps
/// the pipe, the process and its error text.
/// </summary>
internal sealed class FramePipeSource(string streamArguments) : IPipeSource
{
    private readonly TaskCompletionSource<Stream> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the pipe once ffmpeg has opened it.</summary>
    public Task<Stream> Connected => _connected.Task;

    /// <summary>No more frames: FFMpegCore closes the pipe and ffmpeg sees the end of its input.</summary>
    public void Finish() => _finished.TrySetResult();

    public string GetStreamArguments() => streamArguments;

    public async Task WriteAsync(Stream outputStream, CancellationToken cancellationToken)
    {
        _connected.TrySetResult(outputStream);
        // The token fires when ffmpeg exits on its own (an error): the writer then sees the closed pipe.
        try { await _finished.Task.WaitAsync(cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }
}
