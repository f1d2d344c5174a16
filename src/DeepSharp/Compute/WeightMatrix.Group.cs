namespace DeepSharp.Compute;

/// <summary>
/// Several independent matrix-vector products in one pool run. A decoded token runs hundreds of products, and each
/// run costs a few microseconds beyond its streaming (the hand-off, the wait for the slower thread, a new stream of
/// rows): about 7 µs each on a 2-core VM, which for a 1.6 MB expert slab is a fifth of its time. Products that do
/// not depend on each other (query, key and value; gate and up; the chosen experts) therefore share one run, whose
/// chunks are cut from all their rows in turn. Every output value is the same single-row dot product as alone.
/// </summary>
public sealed unsafe partial class WeightMatrix
{
    [ThreadStatic]
    private static GroupJob? t_groupJob;

    /// <summary>
    /// The same <paramref name="count"/> input rows times each of <paramref name="matrices"/> (all of one width):
    /// <paramref name="output"/> holds the products one matrix after another, <paramref name="count"/> ×
    /// <see cref="Rows"/> values for the first (as <see cref="MatMul"/> lays them out), then the second's, and so on.
    /// One row (decoding) is prepared once per preparation type and all products share one pool run; several rows
    /// (a prompt) multiply matrix by matrix, as their tiles already keep both threads busy.
    /// </summary>
    /// <exception cref="ArgumentException">The widths differ, or a span is too short.</exception>
    public static void MatMulShared(ReadOnlySpan<WeightMatrix> matrices, ReadOnlySpan<float> input, int count, Span<float> output, ComputePool pool)
    {
        int columns = matrices[0].Columns;
        long outputs = 0;
        foreach (var m in matrices)
        {
            if (m.Columns != columns)
            {
                throw new ArgumentException($"'{m.Name}' has {m.Columns} columns, '{matrices[0].Name}' {columns}: a shared input needs one width");
            }
            outputs += (long)m.Rows * count;
        }
        if (input.Length < count * columns || output.Length < outputs)
        {
            throw new ArgumentException($"{matrices.Length} products of {count} rows need {count * columns} inputs and {outputs} outputs, got {input.Length} and {output.Length}");
        }
        if (count != 1 || matrices.Length == 1)
        {
            int offset = 0;
            foreach (var m in matrices)
            {
                m.MatMul(input, count, output.Slice(offset, count * m.Rows), pool);
                offset += count * m.Rows;
            }
            return;
        }
        RunGroup(matrices, input, 0, output, pool);
    }

    /// <summary>
    /// One input row per matrix, all products in one pool run: matrix i multiplies the row of its width that starts at
    /// i × <paramref name="inputStride"/> in <paramref name="inputs"/>, and its <see cref="Rows"/> products follow the
    /// previous matrix's in <paramref name="output"/>. Used for the down projections of the experts a token chose.
    /// </summary>
    /// <exception cref="ArgumentException">A row is wider than the stride, or a span is too short.</exception>
    public static void MatVecEach(ReadOnlySpan<WeightMatrix> matrices, ReadOnlySpan<float> inputs, int inputStride, Span<float> output, ComputePool pool)
    {
        long outputs = 0;
        for (int i = 0; i < matrices.Length; i++)
        {
            var m = matrices[i];
            if (m.Columns > inputStride || (long)i * inputStride + m.Columns > inputs.Length)
            {
                throw new ArgumentException($"'{m.Name}' needs {m.Columns} inputs at {(long)i * inputStride}, with rows {inputStride} apart in {inputs.Length}");
            }
            outputs += m.Rows;
        }
        if (output.Length < outputs)
        {
            throw new ArgumentException($"{matrices.Length} products need {outputs} outputs, got {output.Length}");
        }
        if (matrices.Length == 1)
        {
            matrices[0].MatMul(inputs, 1, output, pool);
            return;
        }
        RunGroup(matrices, inputs, inputStride, output, pool);
    }

    /// <summary>Prepares each distinct input once and runs every product's rows as chunks of one job.</summary>
    private static void RunGroup(ReadOnlySpan<WeightMatrix> matrices, ReadOnlySpan<float> inputs, int inputStride, Span<float> output, ComputePool pool)
    {
        var job = t_groupJob ??= new GroupJob();
        job.Reserve(matrices.Length);
        int preparedTotal = 0;
        long rows = 0, bytes = 0;
        for (int i = 0; i < matrices.Length; i++)
        {
            var m = matrices[i];
            // A shared input is prepared once per preparation type; separate inputs once each.
            int reuse = -1;
            for (int j = 0; j < i && inputStride == 0; j++)
            {
                if (matrices[j]._kernel.PreparedType == m._kernel.PreparedType)
                {
                    reuse = j;
                    break;
                }
            }
            job.PreparedOffset[i] = reuse >= 0 ? job.PreparedOffset[reuse] : preparedTotal;
            job.Prepares[i] = reuse < 0;
            if (reuse < 0)
            {
                preparedTotal += m._kernel.PreparedBytes(m.Columns);
            }
            job.FirstRow[i] = rows;
            rows += m.Rows;
            bytes += m.Bytes;
        }
        var split = WorkSplit.Rows(checked((int)rows), bytes, pool.ThreadCount);
        fixed (float* x = inputs)
        fixed (byte* p = PreparedScratch(preparedTotal))
        fixed (float* o = output)
        {
            for (int i = 0; i < matrices.Length; i++)
            {
                var m = matrices[i];
                if (job.Prepares[i])
                {
                    m.Prepare(x + (long)i * inputStride, p + job.PreparedOffset[i], m._kernel.PreparedBytes(m.Columns), 0, 1);
                }
            }
            job.Set(matrices, p, o, split);
            try
            {
                pool.Run(job, split.Chunks);
            }
            finally
            {
                job.Clear();
            }
        }
    }

    /// <summary>The chunks of a group run: a range of the products' rows taken one after another.</summary>
    private sealed class GroupJob : IChunkJob
    {
        private WeightMatrix?[] _matrices = [];
        private byte* _prepared;
        private float* _output;
        private WorkSplit _split;
        private int _count;

        /// <summary>Where each product's prepared input starts.</summary>
        public int[] PreparedOffset { get; private set; } = [];

        /// <summary>Whether each product prepares its own input (else it reuses an earlier one's).</summary>
        public bool[] Prepares { get; private set; } = [];

        /// <summary>Each product's first row in the run's row numbering (and first value in the output).</summary>
        public long[] FirstRow { get; private set; } = [];

        /// <summary>Room for <paramref name="products"/> products; grows only when a larger group comes.</summary>
        public void Reserve(int products)
        {
            if (_matrices.Length < products)
            {
                _matrices = new WeightMatrix?[products];
                PreparedOffset = new int[products];
                Prepares = new bool[products];
                FirstRow = new long[products];
            }
        }

        public void Set(ReadOnlySpan<WeightMatrix> matrices, byte* prepared, float* output, WorkSplit split)
        {
            for (int i = 0; i < matrices.Length; i++)
            {
                _matrices[i] = matrices[i];
            }
            _count = matrices.Length;
            _prepared = prepared;
            _output = output;
            _split = split;
        }

        public void Clear()
        {
            Array.Clear(_matrices);
            _prepared = null;
            _output = null;
        }

        public void Execute(int chunk)
        {
            var (start, end) = _split.Range(chunk);
            for (int i = 0; i < _count; i++)
            {
                var m = _matrices[i]!;
                long first = FirstRow[i], from = Math.Max(start, first), to = Math.Min(end, first + m.Rows);
                if (from < to)
                {
                    m.MultiplyRows((int)(from - first), (int)(to - first), _prepared + PreparedOffset[i], m._kernel.PreparedBytes(m.Columns), 1, _output + first);
                }
            }
        }
    }
}
