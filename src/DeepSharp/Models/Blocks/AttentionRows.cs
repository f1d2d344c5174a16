using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// The inner loops of attention over a block of widened cache rows: query·key scores and weighted sums of value
/// rows. With 512-bit vectors and head sizes of whole vectors, a query (or an output row) stays in registers across
/// the block instead of one library call per (query, row); otherwise each pair is one <see cref="TensorPrimitives"/>
/// call. A score depends only on the head size (which decides the form), never on how rows or queries are grouped;
/// a weighted sum is one fused multiply-add per element and row, in position order, whatever the form, so a slice of
/// an output row gets exactly the values the whole row would.
/// </summary>
internal static class AttentionRows
{
    /// <summary>
    /// <c>scores[p·scoreStride] = scale · (query · row p)</c> for <paramref name="count"/> rows of <paramref name="rows"/>,
    /// each <paramref name="rowStride"/> apart.
    /// </summary>
    public static void Scores(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, int rowStride, int count, float scale, Span<float> scores)
    {
        int d = query.Length;
        if (!Fast(d))
        {
            for (int p = 0; p < count; p++)
            {
                scores[p] = TensorPrimitives.Dot(rows.Slice(p * rowStride, d), query) * scale;
            }
            return;
        }
        ref float q = ref MemoryMarshal.GetReference(query);
        ref float r = ref MemoryMarshal.GetReference(rows);
        int p4 = 0;
        for (; p4 + 4 <= count; p4 += 4)
        {
            ref float r0 = ref Unsafe.Add(ref r, p4 * rowStride);
            ref float r1 = ref Unsafe.Add(ref r0, rowStride);
            ref float r2 = ref Unsafe.Add(ref r1, rowStride);
            ref float r3 = ref Unsafe.Add(ref r2, rowStride);
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int c = 0; c < d; c += 16)
            {
                var x = Vector512.LoadUnsafe(ref q, (nuint)c);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)c), x, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r1, (nuint)c), x, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r2, (nuint)c), x, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r3, (nuint)c), x, a3);
            }
            scores[p4] = LaneSum.Of(a0) * scale;
            scores[p4 + 1] = LaneSum.Of(a1) * scale;
            scores[p4 + 2] = LaneSum.Of(a2) * scale;
            scores[p4 + 3] = LaneSum.Of(a3) * scale;
        }
        for (; p4 < count; p4++)
        {
            ref float r0 = ref Unsafe.Add(ref r, p4 * rowStride);
            Vector512<float> a0 = default;
            for (int c = 0; c < d; c += 16)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref r0, (nuint)c), Vector512.LoadUnsafe(ref q, (nuint)c), a0);
            }
            scores[p4] = LaneSum.Of(a0) * scale;
        }
    }

    /// <summary><paramref name="output"/> += Σ_p weights[p] · row p, rows added in order.</summary>
    public static void AddWeighted(ReadOnlySpan<float> weights, ReadOnlySpan<float> rows, int rowStride, int count, Span<float> output)
    {
        int d = output.Length;
        if (!Vector512.IsHardwareAccelerated)
        {
            for (int p = 0; p < count; p++)
            {
                TensorPrimitives.FusedMultiplyAdd(rows.Slice(p * rowStride, d), weights[p], output, output);
            }
            return;
        }
        ref float o = ref MemoryMarshal.GetReference(output);
        ref float r = ref MemoryMarshal.GetReference(rows);
        // Eight vectors (128 values) of the output at a time stay in registers over all rows.
        int whole = d / 16 * 16;
        for (int c = whole; c < d; c++)
        {
            float a = output[c];
            for (int p = 0; p < count; p++)
            {
                a = MathF.FusedMultiplyAdd(rows[p * rowStride + c], weights[p], a);
            }
            output[c] = a;
        }
        for (int c0 = 0; c0 < whole; c0 += 128)
        {
            int n = Math.Min(128, whole - c0) / 16;
            ref float oc = ref Unsafe.Add(ref o, c0);
            ref float rc = ref Unsafe.Add(ref r, c0);
            if (n == 8 || n == 4)
            {
                // Whole runs of vectors as independent chains: one vector at a time (MLA's 64-column value chunks before
                // this), each row's multiply-add waited for the previous one's result.
                if (n == 8)
                {
                    AddWeightedRun(weights, ref rc, rowStride, count, ref oc, eight: true);
                }
                else
                {
                    AddWeightedRun(weights, ref rc, rowStride, count, ref oc, eight: false);
                }
                continue;
            }
            for (int v = 0; v < n; v++)
            {
                var a = Vector512.LoadUnsafe(ref oc, (nuint)(16 * v));
                for (int p = 0; p < count; p++)
                {
                    a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref rc, p * rowStride), (nuint)(16 * v)), Vector512.Create(weights[p]), a);
                }
                a.StoreUnsafe(ref oc, (nuint)(16 * v));
            }
        }
    }

    /// <summary>
    /// Eight (or, with <paramref name="eight"/> false, four) output vectors at <paramref name="output"/> kept in registers
    /// over all rows, each row's slice at <paramref name="rows"/> + p·<paramref name="rowStride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWeightedRun(ReadOnlySpan<float> weights, ref float rows, int rowStride, int count, ref float output, bool eight)
    {
        var a0 = Vector512.LoadUnsafe(ref output, 0);
        var a1 = Vector512.LoadUnsafe(ref output, 16);
        var a2 = Vector512.LoadUnsafe(ref output, 32);
        var a3 = Vector512.LoadUnsafe(ref output, 48);
        var a4 = eight ? Vector512.LoadUnsafe(ref output, 64) : default;
        var a5 = eight ? Vector512.LoadUnsafe(ref output, 80) : default;
        var a6 = eight ? Vector512.LoadUnsafe(ref output, 96) : default;
        var a7 = eight ? Vector512.LoadUnsafe(ref output, 112) : default;
        for (int p = 0; p < count; p++)
        {
            ref float row = ref Unsafe.Add(ref rows, p * rowStride);
            var w = Vector512.Create(weights[p]);
            a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 0), w, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 16), w, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 32), w, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 48), w, a3);
            if (eight)
            {
                a4 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 64), w, a4);
                a5 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 80), w, a5);
                a6 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 96), w, a6);
                a7 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 112), w, a7);
            }
        }
        a0.StoreUnsafe(ref output, 0);
        a1.StoreUnsafe(ref output, 16);
        a2.StoreUnsafe(ref output, 32);
        a3.StoreUnsafe(ref output, 48);
        if (eight)
        {
            a4.StoreUnsafe(ref output, 64);
            a5.StoreUnsafe(ref output, 80);
            a6.StoreUnsafe(ref output, 96);
            a7.StoreUnsafe(ref output, 112);
        }
    }

    /// <summary>
    /// In-place softmax of attention scores, vectorised (<see cref="TensorPrimitives.Exp(ReadOnlySpan{float}, Span{float})"/>);
    /// the normaliser is summed as ggml's AVX-512 build sums it: runs of 16 in float, added in double. One double
    /// addition per value made the sum a dependent chain as long as the row (attention over 660 positions, one
    /// thread: 76.3–78.7 → 70.4–71.0 µs per layer). The router keeps <see cref="CausalAttention.Softmax"/>, whose
    /// scalar exponentials its expert choices were checked against.
    /// </summary>
    public static void Softmax(Span<float> x)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, x);
        TensorPrimitives.Exp(x, x);
        double sum = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            ref float first = ref MemoryMarshal.GetReference(x);
            for (; i + 16 <= x.Length; i += 16)
            {
                sum += Vector512.Sum(Vector512.LoadUnsafe(ref first, (nuint)i));
            }
        }
        for (; i < x.Length; i++)
        {
            sum += x[i];
        }
        TensorPrimitives.Multiply(x, (float)(1 / sum), x);
    }

    private static bool Fast(int length) => Vector512.IsHardwareAccelerated && length % 16 == 0;
}
