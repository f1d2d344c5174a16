using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

public sealed class WorkSplitTests
{
    [Theory]
    [InlineData(1536, 1536L * 864, 2)]
    [InlineData(151936, 151936L * 864, 2)]
    [InlineData(256, 256L * 864, 2)]
    [InlineData(17, 17L * 34, 2)]
    [InlineData(1000, 1000L * 4096, 3)]
    [InlineData(8960, 8960L * 5040, 1)]
    public void ChunksCoverEveryRowOnceOnGranulesAndEvenly(int rows, long bytes, int threads)
    {
        var split = WorkSplit.Rows(rows, bytes, threads);
        Assert.InRange(split.Chunks, 1, threads * WorkSplit.ChunksPerThread);
        int next = 0;
        var sizes = new List<int>();
        for (int c = 0; c < split.Chunks; c++)
        {
            var (start, end) = split.Range(c);
            Assert.Equal(next, start);
            Assert.True(end > start, $"chunk {c} is empty");
            Assert.Equal(0, start % split.Granule);
            sizes.Add(end - start);
            next = end;
        }
        Assert.Equal(rows, next);
        // No chunk is more than one granule (plus the ragged end) away from another: no tiny trailing chunk.
        Assert.True(sizes.Max() - sizes.Min() <= 2 * split.Granule, string.Join(",", sizes));
        if (split.Chunks > threads)
        {
            Assert.Equal(0, split.Chunks % threads);
        }
    }

    [Fact]
    public void SmallWorkStaysOnOneThreadAndLargeWorkUsesAll()
    {
        Assert.Equal(1, WorkSplit.Rows(64, 64 * 34, 2).Chunks);
        Assert.Equal(2 * WorkSplit.ChunksPerThread, WorkSplit.Rows(8960, 8960L * 864, 2).Chunks);
    }
}
