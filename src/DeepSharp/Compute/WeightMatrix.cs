using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>
/// A weight matrix left where the file mapping put it, in its stored type: <see cref="Rows"/> rows of
/// <see cref="Columns"/> values (GGUF ne = {Columns, Rows}). Multiplies activation rows without copying or
/// converting the weights up front.
/// </summary>
public sealed unsafe partial class WeightMatrix
{
    private const long MinWorkPerChunk = 1 << 15; // multiply-adds; below this a thread hand-off costs more than it saves
    private const long TileRowBytes = 192 << 10; // weight rows of one prefill tile: well inside a 1-2 MiB L2
    private const int TileActivationBytes = 24 << 10; // prepared activation rows of one tile: half a 48 KiB L1
    private const int PrepareInParallel = 16; // activation rows from which their conversion is split over the pool too

    [ThreadStatic]
    private static byte[]? t_prepared;

    [ThreadStatic]
    private static MatMulJob? t_job;

    private readonly RowKernel _kernel;
    private readonly byte* _data;

    /// <summary>Wraps <paramref name="bytes"/> as a <paramref name="rows"/> × <paramref name="columns"/> matrix of <paramref name="type"/> called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The sizes do not match the bytes or the type's block size.</exception>
    /// <exception cref="NotSupportedException">DeepSharp cannot compute with <paramref name="type"/>.</exception>
    public WeightMatrix(string name, GgmlType type, int rows, int columns, TensorBytes bytes)
    {
        var info = GgmlTypeInfo.Get(type);
        if (rows <= 0 || columns <= 0 || columns % info.BlockSize != 0)
        {
            throw new ArgumentException($"'{name}': {rows} rows of {columns} values are not whole {type} blocks of {info.BlockSize}");
        }
        RowBytes = info.RowBytes(columns);
        if (bytes.Length != RowBytes * rows)
        {
            throw new ArgumentException($"'{name}': {bytes.Length} bytes, expected {RowBytes * rows} for {rows} rows of {columns} {type}");
        }
        Name = name;
        Type = type;
        Rows = rows;
        Columns = columns;
        _kernel = RowKernel.For(type, name);
        _data = (byte*)bytes.Pointer;
    }

    /// <summary>Tensor name, for messages.</summary>
    public string Name { get; }

    /// <summary>Stored element type.</summary>
    public GgmlType Type { get; }

    /// <summary>Output features.</summary>
    public int Rows { get; }

    /// <summary>Input features.</summary>
    public int Columns { get; }

    /// <summary>Bytes of one stored row.</summary>
    public long RowBytes { get; }

    /// <summary>Bytes of the whole matrix: what one product reads.</summary>
    public long Bytes => RowBytes * Rows;

    /// <summary>Opens a 2-D tensor of <paramref name="file"/> as a matrix.</summary>
    public static WeightMatrix FromTensor(GgufFile file, GgufTensorInfo tensor)
    {
        if (tensor.Dimensions.Count != 2)
        {
            throw new InvalidDataException($"tensor '{tensor.Name}' has {tensor.Dimensions.Count} dimensions, a matrix needs 2");
        }
        return new WeightMatrix(tensor.Name, tensor.Type, checked((int)tensor.Dimensions[1]), checked((int)tensor.Dimensions[0]), file.GetBytes(tensor));
    }

    /// <summary>
    /// Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 as a matrix of their own,
    /// without copying: one expert of a stacked expert tensor, or one head's slice of a projection.
    /// </summary>
    public WeightMatrix RowRange(int start, int count, string name)
    {
        if (start < 0 || count <= 0 || start > Rows - count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count - 1} are outside '{Name}' ({Rows} rows)");
        }
        return new WeightMatrix(name, Type, count, Columns, new TensorBytes((nint)(_data + start * RowBytes), count * RowBytes));
    }

    /// <summary>Decodes row <paramref name="row"/> into <paramref name="destination"/> (an embedding lookup).</summary>
    public void ReadRow(int row, Span<float> destination)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"'{Name}' has {Rows} rows");
        }
        _kernel.Dequantize(StoredRow(row), destination[..Columns]);
    }

    /// <summary>
    /// <paramref name="output"/>[t, r] = Σ_c W[r, c] · <paramref name="input"/>[t, c] for <paramref name="count"/> activation rows,
    /// split over the rows of W on <paramref name="pool"/>. Each activation row is converted once to the weight type's
    /// partner type; one row (decoding) meets the weights as a matrix-vector product, several rows (a prompt) as
    /// cache-sized tiles in which each weight block is decoded once for several tokens.
    /// </summary>
    public void MatMul(ReadOnlySpan<float> input, int count, Span<float> output, ComputePool pool)
    {
        if (count < 0 || input.Length < count * Columns || output.Length < count * Rows)
        {
            throw new ArgumentException($"'{Name}' ({Rows}×{Columns}) cannot multiply {count} rows from {input.Length} inputs into {output.Length} outputs");
        }
        if (count == 0)
        {
            return;
        }
        int preparedBytes = _kernel.PreparedBytes(Columns);
        var prepared = PreparedScratch(preparedBytes * count);
        var split = WorkSplit.Rows(Rows, Bytes * count, pool.ThreadCount);
        fixed (float* x = input)
        fixed (byte* p = prepared)
        fixed (float* o = output)
        {
            var job = t_job ??= new MatMulJob();
            if (count >= PrepareInParallel)
            {
                int chunks = Math.Min(count, pool.ThreadCount * WorkSplit.ChunksPerThread);
                job.SetPrepare(this, x, p, preparedBytes, count, chunks);
                try
                {
                    pool.Run(job, chunks);
                }
                finally
                {
                    job.Clear();
                }
            }
            else
            {
                Prepare(x, p, preparedBytes, 0, count);
            }
            job.Set(this, p, preparedBytes, count, o, split);
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

    /// <summary>This thread's pinned buffer for prepared activation rows, grown to at least <paramref name="bytes"/>.</summary>
    private static byte[] PreparedScratch(int bytes)
    {
        if (t_prepared is null || t_prepared.Length < bytes)
        {
            t_prepared = GC.AllocateUninitializedArray<byte>(bytes, pinned: true);
        }
        return t_prepared;
    }

    /// <summary>Converts activation rows [first, end) to the weight type's partner type.</summary>
    private void Prepare(float* input, byte* prepared, int preparedBytes, int first, int end)
    {
        for (int t = first; t < end; t++)
        {
            _kernel.Prepare(new ReadOnlySpan<float>(input + (long)t * Columns, Columns), new Span<byte>(prepared + (long)t * preparedBytes, preparedBytes));
        }
    }

    private ReadOnlySpan<byte> StoredRow(int row) => new(_data + row * RowBytes, (int)RowBytes);

    /// <summary>
    /// Rows [start, end) of W against every prepared activation row. With several activation rows the rows go in blocks
    /// that stay in the L2 cache while groups of activation rows small enough for the L1 cache pass over them.
    /// </summary>
    private void MultiplyRows(int start, int end, byte* prepared, int preparedBytes, int count, float* output)
    {
        if (count == 1)
        {
            _kernel.Tile(_data + start * RowBytes, RowBytes, end - start, prepared, preparedBytes, 1, Columns, output + start, Rows);
            return;
        }
        int rowBlock = (int)Math.Clamp(TileRowBytes / RowBytes, 4, 256);
        // Whole passes of the widest kernels (eight activation rows), even when eight rows overflow the L1 budget:
        // the eight-row Q4_K pass on 8960 inputs (82 KB of rows) still beat two four-row passes by a fifth.
        int tokenBlock = Math.Clamp(TileActivationBytes / preparedBytes / 8 * 8, 8, 64);
        for (int r = start; r < end; r += rowBlock)
        {
            int rows = Math.Min(rowBlock, end - r);
            for (int t = 0; t < count; t += tokenBlock)
            {
                _kernel.Tile(_data + r * RowBytes, RowBytes, rows, prepared + (long)t * preparedBytes, preparedBytes, Math.Min(tokenBlock, count - t), Columns,
                    output + (long)t * Rows + r, Rows);
            }
        }
    }

    private sealed class MatMulJob : IChunkJob
    {
        private WeightMatrix? _matrix;
        private byte* _prepared;
        private int _preparedBytes;
        private int _count;
        private float* _output;
        private WorkSplit _split;
        private float* _input;
        private int _prepareChunks;

        public void Set(WeightMatrix matrix, byte* prepared, int preparedBytes, int count, float* output, WorkSplit split)
        {
            Bind(matrix, prepared, preparedBytes, count);
            _output = output;
            _split = split;
            _input = null;
        }

        /// <summary>The next run converts the activation rows instead of multiplying.</summary>
        public void SetPrepare(WeightMatrix matrix, float* input, byte* prepared, int preparedBytes, int count, int chunks)
        {
            Bind(matrix, prepared, preparedBytes, count);
            _input = input;
            _prepareChunks = chunks;
        }

        private void Bind(WeightMatrix matrix, byte* prepared, int preparedBytes, int count)
        {
            _matrix = matrix;
            _prepared = prepared;
            _preparedBytes = preparedBytes;
            _count = count;
        }

        public void Clear()
        {
            _matrix = null;
            _prepared = null;
            _output = null;
            _input = null;
        }

        public void Execute(int chunk)
        {
            if (_input is not null)
            {
                _matrix!.Prepare(_input, _prepared, _preparedBytes, (int)((long)_count * chunk / _prepareChunks), (int)((long)_count * (chunk + 1) / _prepareChunks));
                return;
            }
            var (start, end) = _split.Range(chunk);
            _matrix!.MultiplyRows(start, end, _prepared, _preparedBytes, _count, _output);
        }
    }
}
