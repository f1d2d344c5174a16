using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

public sealed class KvCacheCopyTests
{
    [Theory]
    [InlineData(KvCacheType.F16)]
    [InlineData(KvCacheType.F32)]
    public void CopiedRowsReadBackAsWrittenAndOthersStayUntouched(KvCacheType type)
    {
        int[][] widths = [[6, 4], [10]];
        var source = new KvCache(8, type, widths);
        var destination = new KvCache(12, type, widths);
        for (int l = 0; l < 2; l++)
        {
            foreach (var plane in source.Layer(l))
            {
                for (int p = 0; p < 8; p++)
                {
                    plane.Write(p, Enumerable.Range(0, plane.Width).Select(i => l * 100 + p * 10 + i + 0.5f).ToArray());
                }
            }
        }
        var marker = Enumerable.Repeat(-1f, 10).ToArray();
        destination.Layer(1)[0].Write(2, marker);
        destination.Layer(1)[0].Write(7, marker);
        source.CopyPositionsTo(3, destination, 3, 4);
        for (int l = 0; l < 2; l++)
        {
            foreach (var (from, to) in source.Layer(l).Zip(destination.Layer(l)))
            {
                for (int p = 3; p < 7; p++)
                {
                    var expected = new float[from.Width];
                    var actual = new float[to.Width];
                    from.Read(p, 0, expected);
                    to.Read(p, 0, actual);
                    Assert.Equal(l * 100 + p * 10 + 0.5f, actual[0]);
                    Assert.Equal(expected, actual);
                }
            }
        }
        var kept = new float[10];
        destination.Layer(1)[0].Read(2, 0, kept);
        Assert.Equal(marker, kept);
        destination.Layer(1)[0].Read(7, 0, kept);
        Assert.Equal(marker, kept);
    }

    [Fact]
    public void CachesOfAnotherLayoutOrRangeAreRefused()
    {
        var source = new KvCache(8, KvCacheType.F16, [[6]]);
        Assert.Throws<ArgumentException>(() => source.CopyPositionsTo(0, new KvCache(8, KvCacheType.F32, [[6]]), 0, 1));
        Assert.Throws<ArgumentException>(() => source.CopyPositionsTo(0, new KvCache(8, KvCacheType.F16, [[5]]), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.CopyPositionsTo(6, new KvCache(8, KvCacheType.F16, [[6]]), 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.CopyPositionsTo(0, new KvCache(4, KvCacheType.F16, [[6]]), 2, 3));
    }
}
