using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

public sealed class MemoryBandwidthProbeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryPassReadsEveryFloatOnce(int threads)
    {
        using var pool = new ComputePool(threads);
        // 16 MiB and 96 bytes: the threads' parts and the four-vector steps do not divide it evenly.
        using var probe = new MemoryBandwidthProbe((16L << 20) + 96);
        Assert.Equal((16L << 20) + 96, probe.Bytes);
        double bytesPerSecond = probe.Measure(pool, passes: 2);
        Assert.True(double.IsFinite(bytesPerSecond) && bytesPerSecond > 0, $"{bytesPerSecond} B/s");
        Assert.Equal(probe.Bytes / sizeof(float), probe.LastSum);
    }

    [Fact]
    public void TooSmallABufferOrNoPassIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryBandwidthProbe(1 << 19));
        using var pool = new ComputePool(1);
        using var probe = new MemoryBandwidthProbe(1 << 20);
        Assert.Throws<ArgumentOutOfRangeException>(() => probe.Measure(pool, passes: 0));
    }

    [Fact]
    public void AfterDisposeItRefusesToMeasure()
    {
        using var pool = new ComputePool(1);
        var probe = new MemoryBandwidthProbe(1 << 20);
        probe.Dispose();
        probe.Dispose();
        Assert.Throws<ObjectDisposedException>(() => probe.Measure(pool));
    }
}
