namespace DeepSharp.Compute;

/// <summary>
/// A persistent set of worker threads for per-token work. Starting a <see cref="Parallel"/> loop per matrix
/// costs more than a small matrix-vector product takes, so workers stay parked between jobs and the calling
/// thread takes chunks too. Runs are serialised: one job at a time per pool.
/// </summary>
public sealed class ComputePool : IDisposable
{
    private static readonly Lazy<ComputePool> s_shared = new(() => new ComputePool(Environment.ProcessorCount));

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private readonly object _runLock = new();
    private readonly ManualResetEventSlim _done = new(false);
    private IChunkJob? _job;
    private int _chunkCount;
    private int _nextChunk;
    private int _pendingWorkers;
    private long _generation;
    private Exception? _error;
    private bool _disposed;

    /// <summary>Creates a pool that runs jobs on <paramref name="threads"/> threads, the caller included.</summary>
    public ComputePool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"DeepSharp compute {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>A process-wide pool with one thread per logical processor.</summary>
    public static ComputePool Shared => s_shared.Value;

    /// <summary>Threads that run a job, the calling thread included.</summary>
    public int ThreadCount => _workers.Length + 1;

    /// <summary>Runs chunks 0 .. <paramref name="chunkCount"/>−1 of <paramref name="job"/> and returns when all are done.</summary>
    /// <exception cref="AggregateException">A chunk threw; the first exception is inside.</exception>
    public void Run(IChunkJob job, int chunkCount)
    {
        if (chunkCount <= 1 || _workers.Length == 0)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                job.Execute(c);
            }
            return;
        }
        lock (_runLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _job = job;
            _chunkCount = chunkCount;
            _nextChunk = 0;
            _error = null;
            _pendingWorkers = _workers.Length;
            _done.Reset();
            lock (_gate)
            {
                _generation++;
                Monitor.PulseAll(_gate);
            }
            TakeChunks();
            _done.Wait();
            _job = null;
            if (_error is { } error)
            {
                throw new AggregateException("a compute chunk failed", error);
            }
        }
    }

    /// <summary>Stops the workers.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void WorkerLoop()
    {
        long seen = 0;
        while (true)
        {
            lock (_gate)
            {
                while (_generation == seen && !_disposed)
                {
                    Monitor.Wait(_gate);
                }
                if (_disposed)
                {
                    return;
                }
                seen = _generation;
            }
            TakeChunks();
            if (Interlocked.Decrement(ref _pendingWorkers) == 0)
            {
                _done.Set();
            }
        }
    }

    private void TakeChunks()
    {
        var job = _job!;
        int chunk;
        while ((chunk = Interlocked.Increment(ref _nextChunk) - 1) < _chunkCount)
        {
            try
            {
                job.Execute(chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
        }
    }
}
