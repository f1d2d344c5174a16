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

    /// <summary>Chunk 0 (the caller's first) holds the caller until chunks 1-3, the rest of its own run, are done by the worker.</summary>
    private sealed class HeldCallerJob : IChunkJob
    {
        private readonly int[] _done = new int[8];
        private readonly object _orderLock = new();

        public List<int> WorkerOrder { get; } = [];

        public int CallerThread { get; init; }

        public void Execute(int chunk)
        {
            if (chunk == 0)
            {
                Assert.Equal(CallerThread, Environment.CurrentManagedThreadId);
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref _done[1]) + Volatile.Read(ref _done[2]) + Volatile.Read(ref _done[3]) == 3, TimeSpan.FromSeconds(20)),
                    "the worker never took the held caller's chunks");
            }
            else if (Environment.CurrentManagedThreadId != CallerThread)
            {
                lock (_orderLock)
                {
                    WorkerOrder.Add(chunk);
                }
            }
            Volatile.Write(ref _done[chunk], 1);
        }
    }

    [Fact]
    public void AThreadRunsItsOwnChunksInOrderThenStealsFromTheBackOfAnother()
    {
        using var pool = new ComputePool(2);
        // Two threads, eight chunks: the caller owns 0-3 and the worker 4-7. The caller is held in chunk 0, so the worker
        // finishes its own run front to back and then takes the caller's remaining chunks from the back.
        var job = new HeldCallerJob { CallerThread = Environment.CurrentManagedThreadId };
        pool.Run(job, 8);
        Assert.Equal([4, 5, 6, 7, 3, 2, 1], job.WorkerOrder);
    }
}
