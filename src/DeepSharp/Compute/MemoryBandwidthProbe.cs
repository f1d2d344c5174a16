using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepSharp.Compute;

/// <summary>
/// Measures how fast the threads of a <see cref="ComputePool"/> can read memory: they sum a buffer far larger than the
/// caches, each thread one contiguous part, with 256-bit loads into independent accumulators so that the loads, not
/// the additions, set the pace. Decoding reads every weight once per token, so this rate over the bytes a token reads
/// is the bound a decode can approach; measured beside the decode, it moves with the same host (other tenants of a
/// virtual machine take bandwidth at times).
/// </summary>
public sealed unsafe class MemoryBandwidthProbe : IDisposable
{
    private readonly long _floats;
    private readonly SumJob _job;
    private float* _buffer;

    /// <summary>Allocates and touches a buffer of <paramref name="bytes"/> bytes (rounded down to whole 32-byte vectors).</summary>
    /// <param name="bytes">At least 1 MiB; use several times the last-level cache (the default of <c>deepsharp bench</c> is 512 MiB).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is below 1 MiB.</exception>
    public MemoryBandwidthProbe(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1L << 20);
        _floats = bytes / 32 * 8;
        _buffer = (float*)NativeMemory.AlignedAlloc((nuint)(_floats * sizeof(float)), 64);
        // Every page touched (and given a value the sum can check) before any timing.
        for (long start = 0; start < _floats; start += int.MaxValue / 2)
        {
            new Span<float>(_buffer + start, (int)Math.Min(int.MaxValue / 2, _floats - start)).Fill(1);
        }
        _job = new SumJob(_buffer, _floats);
    }

    /// <summary>Bytes read by one <see cref="Measure"/> pass.</summary>
    public long Bytes => _floats * sizeof(float);

    /// <summary>
    /// The sum the last pass computed: the buffer holds ones, so it equals the number of floats read (exactly, while
    /// no thread reads more than 2 GiB).
    /// </summary>
    public double LastSum { get; private set; }

    /// <summary>
    /// Reads the buffer <paramref name="passes"/> times on <paramref name="pool"/>'s threads and returns the fastest
    /// pass in bytes per second (other processes only ever slow a pass down).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="passes"/> is below 1.</exception>
    public double Measure(ComputePool pool, int passes = 3)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        double best = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            _job.Prepare(pool.ThreadCount);
            long start = Stopwatch.GetTimestamp();
            pool.Run(_job, pool.ThreadCount);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            LastSum = _job.Total();
            best = Math.Max(best, Bytes / seconds);
        }
        return best;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the buffer if <see cref="Dispose"/> was not called.</summary>
    ~MemoryBandwidthProbe() => Free();

    private void Free()
    {
        if (_buffer is not null)
        {
            NativeMemory.AlignedFree(_buffer);
            _buffer = null;
        }
    }

    private sealed class SumJob(float* buffer, long floats) : IChunkJob
    {
        private double[] _sums = [];
        private int _chunks;

        public void Prepare(int chunks)
        {
            _chunks = chunks;
            if (_sums.Length != chunks)
            {
                _sums = new double[chunks];
            }
        }

        public double Total() => _sums.Sum();

        public void Execute(int chunk)
        {
            // Parts on whole vectors of eight floats, so every float is read exactly once.
            long vectors = floats / 8;
            long first = vectors * chunk / _chunks * 8, end = vectors * (chunk + 1) / _chunks * 8;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            long i = first;
            for (; i + 32 <= end; i += 32)
            {
                a0 += Vector256.Load(buffer + i);
                a1 += Vector256.Load(buffer + i + 8);
                a2 += Vector256.Load(buffer + i + 16);
                a3 += Vector256.Load(buffer + i + 24);
            }
            for (; i < end; i += 8)
            {
                a0 += Vector256.Load(buffer + i);
            }
            // Each lane counts at most 2^24 ones per 2 GiB a thread reads, exact in float; the lanes add in double.
            _sums[chunk] = Lanes(a0) + Lanes(a1) + Lanes(a2) + Lanes(a3);
        }

        private static double Lanes(Vector256<float> v)
        {
            double total = 0;
            for (int k = 0; k < Vector256<float>.Count; k++)
            {
                total += v[k];
            }
            return total;
        }
    }
}
