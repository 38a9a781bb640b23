using StreamMatte.Imaging;

namespace StreamMatte.Pipeline.Sources;

/// <summary>
/// A frame number drawn into the picture as 20 black/white blocks along the top edge (bit 0 first), big
/// enough to survive lossy encoding: the test pattern stamps it, and tests read it back from an output file
/// to check that every frame came out once and in order.
/// </summary>
public static class FrameStamp
{
    public const int Bits = 20;

    /// <summary>Block side in pixels for a picture of this width (all 20 blocks fit in the top row).</summary>
    public static int BlockSize(int width) => Math.Max(4, width / Bits);

    public static void Write(RgbImage image, long index)
    {
        int block = BlockSize(image.Width);
        for (int bit = 0; bit < Bits; bit++)
        {
            byte value = ((index >> bit) & 1) == 1 ? (byte)255 : (byte)0;
            for (int y = 0; y < block && y < image.Height; y++)
                image.Row(y).Slice(bit * block * 3, block * 3).Fill(value);
        }
    }

    /// <summary>The stamped number, judged by the mean of each block's centre.</summary>
    public static long Read(RgbImage image)
    {
        int block = BlockSize(image.Width);
        long index = 0;
        for (int bit = 0; bit < Bits; bit++)
        {
            long sum = 0;
            int count = 0;
            for (int y = block / 4; y < block * 3 / 4; y++)
                for (int x = bit * block + block / 4; x < bit * block + block * 3 / 4; x++)
                {
                    var row = image.Row(y);
                    sum += row[3 * x] + row[3 * x + 1] + row[3 * x + 2];
                    count += 3;
                }
            if (sum > 128L * count) index |= 1L << bit;
        }
        return index;
    }
}
