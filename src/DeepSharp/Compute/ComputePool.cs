using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DeepSharp.Compute;

/// <summary>
/// A persistent set of worker threads for per-token work. Starting a <see cref="Parallel"/> loop per matrix
/// costs more than a small matrix-vector product takes, so workers stay between jobs and the calling thread takes
/// chunks too. Barriers are cheap: a worker spins briefly for the next job before it blocks (a decoded token runs
/// hundreds of jobs a few microseconds apart, and waking a blocked thread costs about as much as one of them), and
/// the caller spins briefly for the last chunks before it blocks. Runs are serialised: one job at a time per pool.
/// Running a job allocates nothing. On Linux each worker is bound to its own processor (worker i to the (i+1)-th
/// of the process's allowed set, the first left to the calling thread): unbound, the scheduler now and then put a
/// spinning worker on the caller's core, where the worker took the caller's time instead of sharing the work
/// (measured on a 2-core VM: the worker ran 36 % of the chunks instead of half, and decoding was 35 % slower).
/// </summary>
public sealed partial class ComputePool : IDisposable
{
    // The run state is one 64-bit word, claimed with compare-and-swap: a 24-bit generation, the next chunk (20 bits)
    // and the chunk count (20 bits). A claim that succeeds names a chunk of the job published with that word, so a
    // worker that wakes late can never run a chunk of the wrong job.
    private const int CountBits = 20;
    private const long CountMask = (1L << CountBits) - 1;
    private const int GenerationShift = 2 * CountBits;

    /// <summary>The most chunks one <see cref="Run"/> may have.</summary>
    public const int MaxChunks = (int)CountMask;

    private static readonly Lazy<ComputePool> s_shared = new(() => new ComputePool(Environment.ProcessorCount));
    private static readonly long s_workerSpinTicks = Stopwatch.Frequency / 50; // 20 ms: longer than the gap between two decoded tokens
    private static readonly long s_callerSpinTicks = Stopwatch.Frequency / 10000; // 100 µs

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private readonly object _runLock = new();
    private readonly ManualResetEventSlim _done = new(false, spinCount: 1);
    private IChunkJob? _job;
    private long _state;
    private int _completed;
    private int _chunkCount;
    private int _sleepers;
    private Exception? _error;
    private volatile bool _disposed;

    /// <summary>Creates a pool that runs jobs on <paramref name="threads"/> threads, the caller included.</summary>
    public ComputePool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"DeepSharp compute {i + 1}" };
            _workers[i].Start(i);
        }
        // The event creates its lock object on its first blocking wait; doing that here keeps decode steps free of
        // allocations even when the first wait for a worker comes late (a loaded machine).
        _done.Wait(1);
    }

    /// <summary>A process-wide pool with one thread per logical processor.</summary>
    public static ComputePool Shared => s_shared.Value;

    /// <summary>Threads that run a job, the calling thread included.</summary>
    public int ThreadCount => _workers.Length + 1;

    /// <summary>Runs chunks 0 .. <paramref name="chunkCount"/>−1 of <paramref name="job"/> and returns when all are done.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More than <see cref="MaxChunks"/> chunks.</exception>
    /// <exception cref="AggregateException">A chunk threw; the first exception is inside.</exception>
    public void Run(IChunkJob job, int chunkCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkCount, MaxChunks);
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
            _completed = 0;
            _error = null;
            _done.Reset();
            long generation = (_state >>> GenerationShift) + 1 & 0xFFFFFF;
            // The exchange is a full fence: the job is visible before the state, and the state before _sleepers is read.
            Interlocked.Exchange(ref _state, generation << GenerationShift | (uint)chunkCount);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }
            TakeChunks();
            WaitForCompletion();
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
        _disposed = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    private static long Generation(long state) => state >>> GenerationShift;

    private void WorkerLoop(object? index)
    {
        BindToProcessor((int)index! + 1);
        long seen = Generation(Volatile.Read(ref _state));
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + s_workerSpinTicks;
            while (Generation(Volatile.Read(ref _state)) == seen && !_disposed && Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(8);
            }
            if (Generation(Volatile.Read(ref _state)) == seen && !_disposed)
            {
                lock (_gate)
                {
                    Interlocked.Increment(ref _sleepers); // a full fence before the state is read again
                    while (Generation(Volatile.Read(ref _state)) == seen && !_disposed)
                    {
                        Monitor.Wait(_gate);
                    }
                    Interlocked.Decrement(ref _sleepers);
                }
            }
            if (_disposed)
            {
                return;
            }
            seen = Generation(Volatile.Read(ref _state));
            TakeChunks();
        }
    }

    /// <summary>
    /// Binds the calling thread to the <paramref name="ordinal"/>-th processor the process may use (Linux, up to 64
    /// processors); does nothing elsewhere, when there are not that many, or when the system refuses.
    /// </summary>
    private static void BindToProcessor(int ordinal)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            ulong allowed = 0;
            if (SchedGetAffinity(0, sizeof(ulong), ref allowed) != 0)
            {
                return;
            }
            for (int cpu = 0, seen = 0; cpu < 64; cpu++)
            {
                if ((allowed >> cpu & 1) != 0 && seen++ == ordinal)
                {
                    ulong mask = 1UL << cpu;
                    SchedSetAffinity(0, sizeof(ulong), ref mask);
                    return;
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc affinity calls: leave placement to the scheduler.
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity")]
    private static partial int SchedGetAffinity(int pid, nint size, ref ulong mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static partial int SchedSetAffinity(int pid, nint size, ref ulong mask);

    /// <summary>Claims and runs chunks of the current job until none is left.</summary>
    private void TakeChunks()
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            long next = state >>> CountBits & CountMask;
            if (next >= (state & CountMask))
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _state, state + (1L << CountBits), state) != state)
            {
                continue;
            }
            try
            {
                _job!.Execute((int)next);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            if (Interlocked.Increment(ref _completed) == _chunkCount)
            {
                _done.Set();
            }
        }
    }

    /// <summary>
    /// Waits for chunks other threads still run: spins briefly, then blocks. The event is only a wake-up hint (a worker
    /// of the previous run may set it late), so completion is always decided by the count of finished chunks.
    /// </summary>
    private void WaitForCompletion()
    {
        long deadline = Stopwatch.GetTimestamp() + s_callerSpinTicks;
        while (Volatile.Read(ref _completed) != _chunkCount)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(8);
                continue;
            }
            _done.Wait(1);
            _done.Reset();
        }
    }
}
