using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using DeepSharp.Training.Plotting;

namespace DeepSharp.Training.Tests;

public class PngCanvasTests
{
    [Fact]
    public void Encodes_a_valid_png_with_the_drawn_pixels()
    {
        var canvas = new PngCanvas(7, 5);
        canvas.Line(0, 0, 6, 4, (255, 0, 0));
        byte[] png = canvas.ToPng();

        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        // Every PNG ends with the IEND chunk, whose CRC-32 is the published constant AE 42 60 82.
        Assert.Equal([0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82], png[^12..]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(5, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        int idatLength = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(33));
        Assert.Equal("IDAT", Encoding.ASCII.GetString(png, 37, 4));
        using var z = new ZLibStream(new MemoryStream(png, 41, idatLength), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        byte[] pixels = raw.ToArray();
        Assert.Equal(5 * (1 + (7 * 3)), pixels.Length);
        // Row 0 starts with filter 0 and a red pixel at x = 0; the line ends red at (6, 4); (6, 0) stays white.
        Assert.Equal([0, 255, 0, 0], pixels[..4]);
        int row4 = 4 * 22;
        Assert.Equal([255, 0, 0], pixels[(row4 + 1 + 18)..(row4 + 22)]);
        Assert.Equal([255, 255, 255], pixels[(1 + 18)..22]);
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        // CRC-32/ISO-HDLC of "123456789" is CBF43926.
        Assert.Equal(0xCBF43926u, PngCanvas.Crc32("123456789"u8));
    }

    [Fact]
    public void Chart_draws_series_inside_the_plot_area()
    {
        var chart = new LineChart("loss", "step").Add("a", [(0, 1), (1, 0)]);
        var canvas = chart.Render(200, 120);
        int coloured = 0;
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                coloured += canvas.Get(x, y) == (31, 119, 180) ? 1 : 0;
            }
        }
        Assert.True(coloured > 50, $"only {coloured} pixels of the series colour");
    }
}
