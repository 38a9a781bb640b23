using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Compositing;

/// <summary>
/// Resamples a matte to another size, bilinear and pixel-centre aligned, with the per-column taps computed
/// once per size pair. The plain way to bring a matte to full resolution (<c>--upsampling bilinear</c>); the
/// pipeline's default is the edge-aware <see cref="Matte.GuidedUpsampler"/>.
/// </summary>
public sealed class MatteResampler
{
    private int _srcW, _srcH, _dstW, _dstH;
    private int[] _x0 = [], _x1 = [];
    private float[] _wx = [];

    public void Resample(FloatPlane matte, FloatPlane target)
    {
        if ((matte.Width, matte.Height, target.Width, target.Height) != (_srcW, _srcH, _dstW, _dstH))
        {
            (_srcW, _srcH, _dstW, _dstH) = (matte.Width, matte.Height, target.Width, target.Height);
            (_x0, _x1, _wx) = BilinearTaps.Compute(_srcW, _dstW);
        }
        double sy = (double)_srcH / _dstH;
        for (int y = 0; y < _dstH; y++)
        {
            double fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, _srcH - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, _srcH - 1);
            float wy = (float)(fy - y0);
            var r0 = matte.Row(y0);
            var r1 = matte.Row(y1);
            var dst = target.Row(y);
            for (int x = 0; x < _dstW; x++)
            {
                float a = r0[_x0[x]] + (r0[_x1[x]] - r0[_x0[x]]) * _wx[x];
                float b = r1[_x0[x]] + (r1[_x1[x]] - r1[_x0[x]]) * _wx[x];
                dst[x] = a + (b - a) * wy;
            }
        }
    }
}
