namespace StreamMatte.Imaging;

/// <summary>
/// Resizes an rgb24 frame into a network's float input tensor in one pass: bilinear sampling, channel
/// reorder, normalisation and layout (NCHW/NHWC), with an optional letterbox (the frame placed in a
/// sub-rectangle, the rest filled with a pad value). Everything that depends only on the sizes — source
/// columns, weights, the normalisation constants — is computed once in the constructor, so
/// <see cref="Fill"/> allocates nothing and does no per-pixel division.
/// </summary>
public sealed class TensorResampler
{
    private readonly int _srcWidth, _srcHeight, _tensorWidth, _tensorHeight;
    private readonly int _roiX, _roiY, _roiWidth, _roiHeight;
    private readonly TensorLayout _layout;
    private readonly int[] _x0, _x1;      // byte offsets of the two source pixels per destination column
    private readonly float[] _wx;         // weight of x1
    private readonly int[] _y0, _y1;
    private readonly float[] _wy;
    private readonly float[] _scale = new float[3], _offset = new float[3]; // v = x * scale + offset
    private readonly int[] _sourceChannel = new int[3];                        // network channel c reads source channel
    private readonly float[] _padValue = new float[3];

    public int TensorWidth => _tensorWidth;
    public int TensorHeight => _tensorHeight;

    /// <param name="roi">Where the frame lands in the tensor (letterbox); null = the whole tensor (stretch).</param>
    /// <param name="padPixel">The 0..255 value the area outside <paramref name="roi"/> takes, before normalisation.</param>
    public TensorResampler(int srcWidth, int srcHeight, int tensorWidth, int tensorHeight, TensorLayout layout,
        ChannelOrder order, PixelNormalization normalization, (int X, int Y, int Width, int Height)? roi = null,
        float padPixel = 0)
    {
        _srcWidth = srcWidth;
        _srcHeight = srcHeight;
        _tensorWidth = tensorWidth;
        _tensorHeight = tensorHeight;
        _layout = layout;
        (_roiX, _roiY, _roiWidth, _roiHeight) = roi ?? (0, 0, tensorWidth, tensorHeight);
        for (int c = 0; c < 3; c++)
        {
            _scale[c] = 1f / normalization.Std[c];
            _offset[c] = -normalization.Mean[c] / normalization.Std[c];
            _sourceChannel[c] = order == ChannelOrder.Rgb ? c : 2 - c;
            _padValue[c] = padPixel * _scale[c] + _offset[c];
        }
        (_x0, _x1, _wx) = BilinearTaps.Compute(srcWidth, _roiWidth, 3);
        (_y0, _y1, _wy) = BilinearTaps.Compute(srcHeight, _roiHeight, srcWidth * 3);
    }

    /// <summary>Writes the frame into <paramref name="tensor"/> (length ≥ 3 × tensor width × height).</summary>
    public void Fill(RgbImage frame, Span<float> tensor)
    {
        if (frame.Width != _srcWidth || frame.Height != _srcHeight)
            throw new ArgumentException($"resampler configured for {_srcWidth}x{_srcHeight}, frame is {frame.Width}x{frame.Height}");
        int plane = _tensorWidth * _tensorHeight;
        if (tensor.Length < 3 * plane) throw new ArgumentException("tensor too small");
        bool letterboxed = _roiWidth != _tensorWidth || _roiHeight != _tensorHeight;
        if (letterboxed) FillPad(tensor, plane);

        ReadOnlySpan<byte> src = frame.Pixels;
        int c0 = _sourceChannel[0], c1 = _sourceChannel[1], c2 = _sourceChannel[2];
        float s0 = _scale[0], s1 = _scale[1], s2 = _scale[2], o0 = _offset[0], o1 = _offset[1], o2 = _offset[2];
        for (int y = 0; y < _roiHeight; y++)
        {
            int row0 = _y0[y], row1 = _y1[y];
            float wy = _wy[y], wy0 = 1 - wy;
            int ty = y + _roiY;
            for (int x = 0; x < _roiWidth; x++)
            {
                int a = row0 + _x0[x], b = row0 + _x1[x], c = row1 + _x0[x], d = row1 + _x1[x];
                float wx = _wx[x], wx0 = 1 - wx;
                float w00 = wx0 * wy0, w01 = wx * wy0, w10 = wx0 * wy, w11 = wx * wy;
                float v0 = src[a + c0] * w00 + src[b + c0] * w01 + src[c + c0] * w10 + src[d + c0] * w11;
                float v1 = src[a + c1] * w00 + src[b + c1] * w01 + src[c + c1] * w10 + src[d + c1] * w11;
                float v2 = src[a + c2] * w00 + src[b + c2] * w01 + src[c + c2] * w10 + src[d + c2] * w11;
                int p = ty * _tensorWidth + x + _roiX;
                if (_layout == TensorLayout.Nchw)
                {
                    tensor[p] = v0 * s0 + o0;
                    tensor[plane + p] = v1 * s1 + o1;
                    tensor[2 * plane + p] = v2 * s2 + o2;
                }
                else
                {
                    tensor[3 * p] = v0 * s0 + o0;
                    tensor[3 * p + 1] = v1 * s1 + o1;
                    tensor[3 * p + 2] = v2 * s2 + o2;
                }
            }
        }
    }

    private void FillPad(Span<float> tensor, int plane)
    {
        if (_layout == TensorLayout.Nchw)
        {
            for (int c = 0; c < 3; c++) tensor.Slice(c * plane, plane).Fill(_padValue[c]);
        }
        else
        {
            for (int p = 0; p < plane; p++)
            {
                tensor[3 * p] = _padValue[0];
                tensor[3 * p + 1] = _padValue[1];
                tensor[3 * p + 2] = _padValue[2];
            }
        }
    }
}
