using System.Buffers.Binary;
using System.IO.Compression;

namespace StreamMatte.Jobs;

/// <summary>
/// Reads back the 8-bit greyscale PNGs the pipeline's per-person output writes (<c>GrayPngWriter</c>: one zlib stream of
/// rows with filter type 0), to compare people across chunks. Any other PNG is refused with a clear message.
/// </summary>
public static class GrayPngReader
{
    public static (byte[] Pixels, int Width, int Height) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 || !bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }))
            throw new FormatException($"'{path}' is not a PNG file");
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (int at = 8; at + 8 <= bytes.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 0 || data[12] != 0) throw new FormatException($"'{path}' is not an 8-bit greyscale PNG as stream-matte writes them");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }
        var pixels = new byte[width * height];
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var row = new byte[width + 1];
        for (int y = 0; y < height; y++)
        {
            z.ReadExactly(row);
            if (row[0] != 0) throw new FormatException($"'{path}' uses PNG row filters: not a file stream-matte wrote");
            row.AsSpan(1).CopyTo(pixels.AsSpan(y * width));
        }
        return (pixels, width, height);
    }
}
