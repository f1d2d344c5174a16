using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DeepSharp.Training.Plotting;

/// <summary>An RGB raster with line and text drawing, saved as a PNG (zlib-compressed, filter 0, CRC-32 per chunk).</summary>
public sealed class PngCanvas
{
    private static readonly uint[] s_crcTable = BuildCrcTable();
    private readonly byte[] _rgb;

    /// <summary>Creates a white canvas.</summary>
    public PngCanvas(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        _rgb = new byte[width * height * 3];
        Array.Fill(_rgb, (byte)255);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Colours one pixel; points outside the canvas are ignored.</summary>
    public void Set(int x, int y, (byte R, byte G, byte B) c)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height)
        {
            int i = ((y * Width) + x) * 3;
            (_rgb[i], _rgb[i + 1], _rgb[i + 2]) = c;
        }
    }

    /// <summary>The colour of one pixel.</summary>
    public (byte R, byte G, byte B) Get(int x, int y)
    {
        int i = ((y * Width) + x) * 3;
        return (_rgb[i], _rgb[i + 1], _rgb[i + 2]);
    }

    /// <summary>Draws a line (Bresenham) of the given thickness.</summary>
    public void Line(int x0, int y0, int x1, int y1, (byte, byte, byte) c, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        while (true)
        {
            for (int t = 0; t < thickness; t++)
            {
                Set(x0 + (dy == 0 ? 0 : t), y0 + (dy == 0 ? t : 0), c);
            }
            if (x0 == x1 && y0 == y1)
            {
                break;
            }
            int e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }
            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Writes text with the 5×7 font (upper case; unknown characters as blanks), top-left at (x, y).</summary>
    public void Text(int x, int y, string text, (byte, byte, byte) c, int scale = 1)
    {
        foreach (char ch in text.ToUpperInvariant())
        {
            byte[] rows = BitmapFont.Glyph(ch);
            for (int r = 0; r < 7; r++)
            {
                for (int col = 0; col < 5; col++)
                {
                    if ((rows[r] & (0x10 >> col)) != 0)
                    {
                        for (int sy = 0; sy < scale; sy++)
                        {
                            for (int sx = 0; sx < scale; sx++)
                            {
                                Set(x + (col * scale) + sx, y + (r * scale) + sy, c);
                            }
                        }
                    }
                }
            }
            x += 6 * scale;
        }
    }

    /// <summary>Encodes the canvas as PNG bytes.</summary>
    public byte[] ToPng()
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB
        Chunk(png, "IHDR", header);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < Height; y++)
                {
                    z.WriteByte(0);
                    z.Write(_rgb, y * Width * 3, Width * 3);
                }
            }
            Chunk(png, "IDAT", raw.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Saves the PNG to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllBytes(path, ToPng());

    /// <summary>CRC-32 (ISO-HDLC, as PNG uses) of <paramref name="data"/>.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc ^ 0xFFFFFFFF;
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        s.Write(word);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
