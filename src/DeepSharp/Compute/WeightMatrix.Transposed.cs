using System.Numerics.Tensors;

namespace DeepSharp.Compute;

/// <summary>Products with the transpose of a stored matrix (MLA's key up-projection is stored one way round only).</summary>
public sealed unsafe partial class WeightMatrix
{
    [ThreadStatic]
    private static TransposedJob? t_transposedJob;

    [ThreadStatic]
    private static float[]? t_decodedRow;

    /// <summary>
    /// <paramref name="output"/>[t, c] = Σ_r W[r, c] · <paramref name="input"/>[t, r] (Wᵀ·x) for <paramref name="count"/>
    /// activation rows of <see cref="Rows"/> values, giving rows of <see cref="Columns"/> values. Each stored row is
    /// decoded to floats and added, weighted, to the outputs in row order, so a result does not depend on
    /// <paramref name="count"/>. Split over activation rows on <paramref name="pool"/>.
    /// </summary>
    public void MatMulTransposed(ReadOnlySpan<float> input, int count, Span<float> output, ComputePool pool)
    {
        if (input.Length < count * Rows || output.Length < count * Columns)
        {
            throw new ArgumentException($"'{Name}'ᵀ ({Columns}×{Rows}) cannot multiply {count} rows from {input.Length} inputs into {output.Length} outputs");
        }
        output[..(count * Columns)].Clear();
        // Each chunk decodes the whole matrix once, so only split when every chunk has several rows to amortise it.
        long work = (long)Rows * Columns * count;
        int chunks = (int)Math.Clamp(work / (MinWorkPerChunk * 4), 1, Math.Min(count / 4 + 1, pool.ThreadCount));
        fixed (float* x = input)
        fixed (float* o = output)
        {
            var job = t_transposedJob ??= new TransposedJob();
            job.Set(this, x, o, count, chunks);
            try
            {
                pool.Run(job, chunks);
            }
            finally
            {
                job.Clear();
            }
        }
    }

    /// <summary>Wᵀ·x for activation rows [first, end).</summary>
    private void MultiplyTransposed(int first, int end, float* input, float* output)
    {
        if (t_decodedRow is null || t_decodedRow.Length < Columns)
        {
            t_decodedRow = new float[Columns];
        }
        var row = t_decodedRow.AsSpan(0, Columns);
        for (int r = 0; r < Rows; r++)
        {
            _kernel.Dequantize(StoredRow(r), row);
            for (int t = first; t < end; t++)
            {
                var o = new Span<float>(output + (long)t * Columns, Columns);
                TensorPrimitives.MultiplyAdd(row, input[(long)t * Rows + r], o, o);
            }
        }
    }

    private sealed class TransposedJob : IChunkJob
    {
        private WeightMatrix? _matrix;
        private float* _input;
        private float* _output;
        private int _count;
        private int _chunks;

        public void Set(WeightMatrix matrix, float* input, float* output, int count, int chunks)
        {
            _matrix = matrix;
            _input = input;
            _output = output;
            _count = count;
            _chunks = chunks;
        }

        public void Clear()
        {
            _matrix = null;
            _input = null;
            _output = null;
        }

        public void Execute(int chunk)
        {
            int first = (int)((long)_count * chunk / _chunks);
            int end = (int)((long)_count * (chunk + 1) / _chunks);
            _matrix!.MultiplyTransposed(first, end, _input, _output);
        }
    }
}
