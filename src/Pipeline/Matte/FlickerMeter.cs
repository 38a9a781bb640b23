using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Matte;

/// <summary>
/// Measures temporal quality of a matte sequence. <see cref="StaticFlicker"/>: mean |α_t − α_{t−1}| over
/// pixels whose luma did not change (|ΔY| &lt; 2/255 in a 3×3 neighbourhood): there the matte should not
/// change either, so anything is flicker. <see cref="MovingLag"/>: mean |α − α_reference| over pixels that
/// move (|ΔY| &gt; 12/255), where a smoothed matte should still agree with the unsmoothed one.
/// </summary>
public sealed class FlickerMeter
{
    public const float StillThreshold = 2f / 255, MovingThreshold = 12f / 255;
    private readonly BoxFilter _box = new();
    private float[] _previousAlpha = [], _previousLuma = [];
    private FloatImage? _change;
    private double _flickerSum, _lagSum;
    private long _stillPixels, _movingPixels;

    public double StaticFlicker => _stillPixels == 0 ? double.NaN : _flickerSum / _stillPixels;
    public double MovingLag => _movingPixels == 0 ? double.NaN : _lagSum / _movingPixels;
    public long StillPixels => _stillPixels;
    public long MovingPixels => _movingPixels;

    /// <param name="reference">The unsmoothed matte of the same frame, to measure lag against (optional).</param>
    public void Add(FloatPlane alpha, FloatImage luma, FloatPlane? reference = null)
    {
        int n = alpha.Width * alpha.Height;
        if (_change is null || _change.Width != alpha.Width || _change.Height != alpha.Height)
        {
            _change = new FloatImage(alpha.Width, alpha.Height, 1);
            _previousAlpha = new float[n];
            _previousLuma = new float[n];
            Array.Copy(alpha.Data, _previousAlpha, n);
            Array.Copy(luma.Data, _previousLuma, n);
            return;
        }
        var change = _change.Data;
        for (int i = 0; i < n; i++) change[i] = Math.Abs(luma.Data[i] - _previousLuma[i]);
        _box.Apply(_change, 1);
        for (int i = 0; i < n; i++)
        {
            if (change[i] < StillThreshold)
            {
                _flickerSum += Math.Abs(alpha.Data[i] - _previousAlpha[i]);
                _stillPixels++;
            }
            else if (change[i] > MovingThreshold && reference != null)
            {
                _lagSum += Math.Abs(alpha.Data[i] - reference.Data[i]);
                _movingPixels++;
            }
        }
        Array.Copy(alpha.Data, _previousAlpha, n);
        Array.Copy(luma.Data, _previousLuma, n);
    }
}
