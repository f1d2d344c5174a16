using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DeepSharp.Compute;

/// <summary>
/// A persistent set of worker threads for per-token work. Starting a <see cref="Parallel"/> loop per matrix
/// costs more than a small matrix-vector product takes, so workers stay between jobs and the calling thread takes
/// chunks too. Barriers are cheap: a worker spins briefly for the next job before it blocks (a decoded token runs
/// hundreds of jobs a few microseconds apart, and waking a blocked thread costs about as much as one of them), and
/// the caller spins briefly for the last chunks before it blocks. Runs are serialised: one job at a time per pool.
/// Running a job allocates nothing.
/// <para>
/// Each thread owns an equal run of consecutive chunks and takes them in order from the front, so the rows it reads
/// form one stream through memory; a thread that runs out steals from the back of another's run, so a thread that
/// another process slowed down does less. Handing out chunks in turn instead (thread A chunk 0, B chunk 1, A chunk
/// 2, ...) made decoding 5-10 % slower on a 2-core VM: every chunk started a new stream.
/// </para>
/// <para>
/// On Linux each worker is bound to its own processor (worker i to the (i+1)-th of the process's allowed set, the
/// first left to the calling thread): unbound, the scheduler now and then put a spinning worker on the caller's core,
/// where the worker took the caller's time instead of sharing the work (measured on a 2-core VM: the worker ran 36 %
/// of the chunks instead of half, and decoding was 35 % slower).
/// </para>
/// </summary>
public sealed partial class ComputePool : IDisposable
{
    // Each thread's run of chunks is one 64-bit word, [front, back) with front in the low half, claimed with
    // compare-and-swap: the owner takes the front, a thief the back. Words sit a cache line apart, so owners claiming
    // their own chunks never contend. A job's chunks are all claimed and finished before Run returns, so every
    // word is empty between jobs, and a worker that wakes late and claims from a word can only claim a chunk of the
    // job published in that word; the job is stored before the words, so it then reads the right job.
    private const int WordStride = 8; // longs: 64 bytes

    /// <summary>The most chunks one <see cref="Run"/> may have.</summary>
    public const int MaxChunks = (1 << 20) - 1;

    private static readonly Lazy<ComputePool> s_shared = new(() => new ComputePool(Environment.ProcessorCount));
    private static readonly long s_workerSpinTicks = Stopwatch.Frequency / 50; // 20 ms: longer than the gap between two decoded tokens
    private static readonly long s_callerSpinTicks = Stopwatch.Frequency / 10000; // 100 µs

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private readonly object _runLock = new();
    private readonly ManualResetEventSlim _done = new(false, spinCount: 1);
    private readonly long[] _runs;
    private IChunkJob? _job;
    private long _generation;
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
        _runs = new long[threads * WordStride];
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
            int threads = ThreadCount;
            for (int t = 0; t < threads; t++)
            {
                Volatile.Write(ref _runs[t * WordStride], RunWord((long)chunkCount * t / threads, (long)chunkCount * (t + 1) / threads));
            }
            // A full fence: the job and the runs are visible before the new generation, and it before _sleepers is read.
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }
            TakeChunks(0);
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

    private static long RunWord(long front, long back) => back << 32 | front;

    private void WorkerLoop(object? index)
    {
        BindToProcessor((int)index! + 1);
        // Generation 0 is "no job yet": a worker that starts after the first Run still joins it. (Reading the current
        // generation here made a late-starting worker sit out that first run, so its chunks all fell to the caller.)
        long seen = 0;
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + s_workerSpinTicks;
            while (Volatile.Read(ref _generation) == seen && !_disposed && Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(8);
            }
            if (Volatile.Read(ref _generation) == seen && !_disposed)
            {
                lock (_gate)
                {
                    Interlocked.Increment(ref _sleepers); // a full fence before the state is read again
                    while (Volatile.Read(ref _generation) == seen && !_disposed)
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
            seen = Volatile.Read(ref _generation);
            TakeChunks((int)index + 1);
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

    /// <summary>
    /// Runs the chunks of thread <paramref name="self"/>'s own run from the front, then steals from the back of the
    /// others' runs until no chunk is left.
    /// </summary>
    private void TakeChunks(int self)
    {
        int threads = ThreadCount;
        for (int k = 0; k < threads; k++)
        {
            ref long run = ref _runs[(self + k) % threads * WordStride];
            int chunk;
            while ((chunk = k == 0 ? TakeFront(ref run) : TakeBack(ref run)) >= 0)
            {
                Execute(chunk);
            }
        }
    }

    /// <summary>The first chunk of <paramref name="run"/>, now claimed, or −1 when it is empty.</summary>
    private static int TakeFront(ref long run)
    {
        while (true)
        {
            long word = Volatile.Read(ref run);
            long front = (uint)word;
            if (front >= word >>> 32)
            {
                return -1;
            }
            if (Interlocked.CompareExchange(ref run, word + 1, word) == word)
            {
                return (int)front;
            }
        }
    }

    /// <summary>The last chunk of <paramref name="run"/>, now claimed, or −1 when it is empty.</summary>
    private static int TakeBack(ref long run)
    {
        while (true)
        {
            long word = Volatile.Read(ref run);
            long back = word >>> 32;
            if ((uint)word >= back)
            {
                return -1;
            }
            if (Interlocked.CompareExchange(ref run, word - (1L << 32), word) == word)
            {
                return (int)back - 1;
            }
        }
    }

    /// <summary>Runs one claimed chunk of the current job and counts it done.</summary>
    private void Execute(int chunk)
    {
        try
        {
            _job!.Execute(chunk);
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
