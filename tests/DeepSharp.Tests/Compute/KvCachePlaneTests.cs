using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

public sealed class KvCachePlaneTests
{
    [Theory]
    [InlineData(KvCacheType.F32)]
    [InlineData(KvCacheType.F16)]
    public void StoresReadsAndAccumulatesRows(KvCacheType type)
    {
        var plane = new KvCachePlane(4, 6, type);
        float[] row = [0.1f, -2.5f, 3.3f, 1e-3f, 7, -0.25f];
        plane.Write(2, row);
        var read = new float[3];
        plane.Read(2, 3, read);
        float[] stored = type == KvCacheType.F16 ? row.Select(v => (float)(Half)v).ToArray() : row;
        Assert.Equal(stored[3..], read);
        var scratch = new float[6];
        Assert.Equal(stored[0] * 2 + stored[1] * 3, plane.Dot(2, 0, [2, 3], scratch), 1e-5);
        var acc = new float[] { 1, 1 };
        plane.AddScaled(2, 4, 0.5f, acc, scratch);
        Assert.Equal(1 + 0.5 * stored[4], acc[0], 1e-6);
        Assert.Equal(1 + 0.5 * stored[5], acc[1], 1e-6);
        Assert.Equal(type, plane.Type);
    }

    [Fact]
    public void PositionsOutsideTheContextAreRejected()
    {
        var plane = new KvCachePlane(4, 2, KvCacheType.F32);
        Assert.Throws<ArgumentOutOfRangeException>(() => plane.Write(4, [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => plane.Read(-1, 0, new float[2]));
    }
}
