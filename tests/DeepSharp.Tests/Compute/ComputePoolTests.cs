using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

public sealed class ComputePoolTests
{
    private sealed class CountingJob(int chunks) : IChunkJob
    {
        public int[] Runs { get; } = new int[chunks];

        public int? FailAt { get; init; }

        public void Execute(int chunk)
        {
            Interlocked.Increment(ref Runs[chunk]);
            if (chunk == FailAt)
            {
                throw new InvalidOperationException("chunk failed on purpose");
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 50)]
    [InlineData(4, 3)]
    [InlineData(4, 1000)]
    public void EveryChunkRunsExactlyOnce(int threads, int chunks)
    {
        using var pool = new ComputePool(threads);
        for (int round = 0; round < 20; round++)
        {
            var job = new CountingJob(chunks);
            pool.Run(job, chunks);
            Assert.All(job.Runs, n => Assert.Equal(1, n));
        }
    }

    [Fact]
    public void AFailingChunkSurfacesAndThePoolStaysUsable()
    {
        using var pool = new ComputePool(3);
        var error = Assert.Throws<AggregateException>(() => pool.Run(new CountingJob(40) { FailAt = 17 }, 40));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        var job = new CountingJob(40);
        pool.Run(job, 40);
        Assert.All(job.Runs, n => Assert.Equal(1, n));
    }

    private sealed class SlowJob(int seed) : IChunkJob
    {
        private int _active;

        public int Active => Volatile.Read(ref _active);

        public void Execute(int chunk)
        {
            Interlocked.Increment(ref _active);
            // Some chunks outlast the caller's spin, so the caller blocks and a late wake-up could end its wait early.
            long end = System.Diagnostics.Stopwatch.GetTimestamp() + System.Diagnostics.Stopwatch.Frequency * ((chunk * 7 + seed) % 5 * 60) / 1_000_000;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < end)
            {
                Thread.SpinWait(4);
            }
            Interlocked.Decrement(ref _active);
        }
    }

    [Fact]
    public void RunReturnsOnlyWhenNoChunkIsStillRunning()
    {
        using var pool = new ComputePool(2);
        for (int round = 0; round < 400; round++)
        {
            var job = new SlowJob(round);
            pool.Run(job, 2 + round % 3);
            Assert.Equal(0, job.Active);
        }
    }

    [Fact]
    public void ConcurrentCallersAreSerialised()
    {
        using var pool = new ComputePool(2);
        var jobs = Enumerable.Range(0, 8).Select(_ => new CountingJob(64)).ToArray();
        Parallel.ForEach(jobs, job => pool.Run(job, 64));
        Assert.All(jobs, j => Assert.All(j.Runs, n => Assert.Equal(1, n)));
    }
}
