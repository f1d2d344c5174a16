using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>
/// What memory can deliver here, and how much of it a GEMV on a matrix far larger than the caches uses. The probe
/// sums a 1 GiB float array with 256-bit loads on one and on two threads; the GEMVs run <see cref="IQuantFormat.DotRows"/>
/// over a 65 536 × 4096 matrix (Q4_K: 151 MB, Q8_0: 285 MB; the L3 cache is 32 MB) on one and on two threads, each
/// thread taking half of the rows. Every figure is the best of several repetitions.
/// </summary>
internal static class BandwidthProbe
{
    private const int Repetitions = 7;

    public static void Run(string[] args)
    {
        Console.WriteLine($"kernel path {KernelPaths.Active}, {Environment.ProcessorCount} processors");
        var probe = ProbeMemory();
        GC.Collect();

        var formats = args.Length > 0 ? args.Select(Enum.Parse<GgmlType>).ToArray() : [GgmlType.Q4_K, GgmlType.Q8_0];
        foreach (var type in formats)
        {
            var format = QuantFormats.Get(type);
            const int Rows = 65536, Columns = 4096;
            var weights = Matrices.Weights(format, Rows, Columns);
            var activations = Matrices.Activations(format, Columns, 1);
            var destination = new float[Rows];
            int rowBytes = format.RowBytes(Columns);
            foreach (int threads in (int[])[1, 2])
            {
                double seconds = Best(() => Parallel(threads, (start, count) =>
                    format.DotRows(weights.AsSpan(start * rowBytes, count * rowBytes), rowBytes, count, activations, Columns, destination.AsSpan(start, count)), Rows));
                double gbs = weights.Length / seconds / 1e9;
                Console.WriteLine($"{type} GEMV {Rows}x{Columns} ({weights.Length / 1e6:F0} MB), {threads} thread(s): {seconds * 1e3:F1} ms, " +
                    $"{gbs:F1} GB/s = {gbs / probe[threads]:P0} of the probe, {2.0 * Rows * Columns / seconds / 1e9:F1} GFLOP/s");
            }
        }
    }

    /// <summary>GB/s of summing a 1 GiB array, indexed by thread count (1 and 2).</summary>
    private static double[] ProbeMemory()
    {
        var array = GC.AllocateUninitializedArray<float>(1 << 28);
        array.AsSpan().Fill(1); // touch every page before timing
        var probe = new double[3];
        foreach (int threads in (int[])[1, 2])
        {
            double seconds = Best(() => Parallel(threads, (start, count) => Sum(array.AsSpan(start, count)), array.Length));
            probe[threads] = array.Length * 4.0 / seconds / 1e9;
            Console.WriteLine($"sum of 1 GiB, {threads} thread(s): {probe[threads]:F1} GB/s");
        }
        return probe;
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> threads over equal parts of <paramref name="total"/> items.</summary>
    private static void Parallel(int threads, Action<int, int> work, int total)
    {
        if (threads == 1)
        {
            work(0, total);
            return;
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
    }

    private static double Best(Action action)
    {
        action();
        double best = double.MaxValue;
        for (int i = 0; i < Repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
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
}
