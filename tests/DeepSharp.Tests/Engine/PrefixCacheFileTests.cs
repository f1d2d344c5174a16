using DeepSharp.Compute;
using DeepSharp.Engine;

namespace DeepSharp.Tests.Engine;

public sealed class PrefixCacheFileTests
{
    private static readonly int[][] s_widths = [[6, 4], [10]];

    /// <summary>Whatever the token count (the header's length then varies in steps of 4 bytes), a written prefix reads back exactly.</summary>
    [Theory]
    [InlineData(1, KvCacheType.F16)]
    [InlineData(2, KvCacheType.F16)]
    [InlineData(3, KvCacheType.F32)]
    [InlineData(6, KvCacheType.F32)]
    public void APrefixReadsBackAsWritten(int count, KvCacheType type)
    {
        var cache = new KvCache(count, type, s_widths);
        for (int l = 0; l < 2; l++)
        {
            foreach (var plane in cache.Layer(l))
            {
                for (int p = 0; p < count; p++)
                {
                    plane.Write(p, Enumerable.Range(0, plane.Width).Select(i => l * 31 + p * 7 + i * 0.25f).ToArray());
                }
            }
        }
        int[] tokens = Enumerable.Range(0, count).Select(i => 1000 + i * 13).ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"deepsharp-prefix-{Guid.NewGuid():N}.dskv");
        try
        {
            PrefixCacheFile.Write(path, 0xABCDEF, new PrefixEntry(tokens, cache));
            var read = PrefixCacheFile.TryRead(path, 0xABCDEF, type, s_widths, out string? problem);
            Assert.Null(problem);
            Assert.Equal(tokens, read!.Tokens);
            for (int l = 0; l < 2; l++)
            {
                foreach (var (written, back) in cache.Layer(l).Zip(read.Cache.Layer(l)))
                {
                    Assert.Equal(written.RowBytes(0, count).ToArray(), back.RowBytes(0, count).ToArray());
                }
            }
            Assert.Null(PrefixCacheFile.TryRead(path, 0xABCDEE, type, s_widths, out problem));
            Assert.Contains("another model", problem);
            Assert.Null(PrefixCacheFile.TryRead(path, 0xABCDEF, type, [[6, 4], [12]], out problem));
            Assert.Contains("layer 1", problem);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
