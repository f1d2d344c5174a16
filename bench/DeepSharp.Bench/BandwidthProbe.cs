using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>
/// What memory can deliver here, and how much of it a GEMV on a matrix far larger than the caches uses. The probe
/// sums a 1 GiB float array with 256-bit loads; the GEMVs run <see cref="IQuantFormat.DotRows"/> over 65 536 × 4096
/// matrices (Q4_K: 151 MB; the L3 cache is 32 MB); each on one and on two threads, a thread taking an equal part.
/// On a shared machine other processes take bandwidth and cores at times, so the measurements take turns: every
/// round times the probe and then each GEMV, and the best of the rounds is kept for each.
/// </summary>
internal static class BandwidthProbe
{
    private const int Rounds = 9;
    private const int Rows = 65536;
    private const int Columns = 4096;

    public static void Run(string[] args)
    {
        var formats = args.Length > 0 ? args.Select(Enum.Parse<GgmlType>).ToArray() : [GgmlType.Q4_K, GgmlType.Q8_0];
        Console.WriteLine($"kernel path {KernelPaths.Active}, {Environment.ProcessorCount} processors, {Rounds} rounds, best of each");
        var array = GC.AllocateUninitializedArray<float>(1 << 28);
        array.AsSpan().Fill(1); // touch every page before timing
        var gemvs = formats.Select(type => new Gemv(QuantFormats.Get(type))).ToArray();

        var probe = new double[3];
        var gemv = new double[formats.Length, 3];
        for (int round = 0; round < Rounds; round++)
        {
            foreach (int threads in (int[])[1, 2])
            {
                probe[threads] = Math.Max(probe[threads], array.Length * 4.0 / Time(threads, array.Length, (start, count) => Sum(array.AsSpan(start, count))) / 1e9);
                for (int f = 0; f < gemvs.Length; f++)
                {
                    gemv[f, threads] = Math.Max(gemv[f, threads], gemvs[f].Bytes / Time(threads, Rows, gemvs[f].Run) / 1e9);
                }
            }
        }
        foreach (int threads in (int[])[1, 2])
        {
            Console.WriteLine($"sum of 1 GiB, {threads} thread(s): {probe[threads]:F1} GB/s");
            for (int f = 0; f < gemvs.Length; f++)
            {
                Console.WriteLine($"  {formats[f]} GEMV {Rows}x{Columns} ({gemvs[f].Bytes / 1e6:F0} MB): {gemv[f, threads]:F1} GB/s = " +
                    $"{gemv[f, threads] / probe[threads]:P0} of the probe, {gemv[f, threads] * 1e9 / gemvs[f].Bytes * 2.0 * Rows * Columns / 1e9:F1} GFLOP/s");
            }
        }
    }

    /// <summary>Seconds to run <paramref name="work"/> on <paramref name="threads"/> threads over equal parts of <paramref name="total"/> items.</summary>
    private static double Time(int threads, int total, Action<int, int> work)
    {
        var watch = Stopwatch.StartNew();
        if (threads == 1)
        {
            work(0, total);
            return watch.Elapsed.TotalSeconds;
        }
        var workers = new Thread[threads];
        int part = total / threads;
        for (int t = 0; t < threads; t++)
        {
            int start = t * part, count = t == threads - 1 ? total - start : part;
            workers[t] = new Thread(() => work(start, count));
            workers[t].Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Sums with four independent 256-bit accumulators, so that loads, not add latency, set the pace.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Sum(ReadOnlySpan<float> values)
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        nuint i = 0, n = (nuint)values.Length;
        for (; i + 32 <= n; i += 32)
        {
            a0 += Vector256.LoadUnsafe(ref first, i);
            a1 += Vector256.LoadUnsafe(ref first, i + 8);
            a2 += Vector256.LoadUnsafe(ref first, i + 16);
            a3 += Vector256.LoadUnsafe(ref first, i + 24);
        }
        return Vector256.Sum((a0 + a1) + (a2 + a3));
    }

    /// <summary>One large weight matrix and its activation row; <see cref="Run"/> computes a range of rows.</summary>
    private sealed class Gemv(IQuantFormat format)
    {
        private readonly byte[] _weights = Matrices.Weights(format, Rows, Columns);
        private readonly byte[] _activations = Matrices.Activations(format, Columns, 1);
        private readonly float[] _destination = new float[Rows];
        private readonly int _rowBytes = format.RowBytes(Columns);

        public long Bytes => _weights.Length;

        public void Run(int start, int count) =>
            format.DotRows(_weights.AsSpan(start * _rowBytes, count * _rowBytes), _rowBytes, count, _activations, Columns, _destination.AsSpan(start, count));
    }
}
