using System.Buffers.Binary;
using System.IO.Compression;

namespace StreamMatte.Pipeline.Video;

/// <summary>
/// Writes 8-bit greyscale PNG files (a matte per file) without an image library: signature, IHDR, one zlib IDAT of
/// unfiltered rows, IEND, each chunk with its CRC-32. Buffers are kept between files. A file is written under a
/// temporary name and moved into place, so a reader never sees half of one.
/// </summary>
public sealed class GrayPngWriter
{
    private static readonly uint[] CrcTable = MakeCrcTable();
    private readonly MemoryStream _compressed = new();
    private byte[] _rows = [];

    public void Write(string path, ReadOnlySpan<byte> pixels, int width, int height)
    {
        if (pixels.Length < width * height) throw new ArgumentException($"{pixels.Length} bytes for a {width}x{height} picture");
        int rowBytes = width + 1;
        if (_rows.Length < rowBytes * height) _rows = new byte[rowBytes * height];
        for (int y = 0; y < height; y++)
        {
            _rows[y * rowBytes] = 0;   // filter: none
            pixels.Slice(y * width, width).CopyTo(_rows.AsSpan(y * rowBytes + 1));
        }
        _compressed.SetLength(0);
        using (var z = new ZLibStream(_compressed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(_rows, 0, rowBytes * height);

        string temporary = path + ".part";
        using (var file = File.Create(temporary))
        {
            file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
            Span<byte> header = stackalloc byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
            header[8] = 8;    // bit depth
            header[9] = 0;    // colour type: greyscale
            header[10] = header[11] = header[12] = 0;   // deflate, adaptive filtering, no interlace
            Chunk(file, "IHDR"u8, header);
            Chunk(file, "IDAT"u8, _compressed.GetBuffer().AsSpan(0, (int)_compressed.Length));
            Chunk(file, "IEND"u8, []);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static void Chunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
