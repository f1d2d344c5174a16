using System.Runtime.InteropServices;
using DeepSharp.Compute;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Compute;

public sealed unsafe class WeightMatrixTests : IDisposable
{
    private readonly NativeTensors _native = new();

    public void Dispose() => _native.Dispose();

    private TensorBytes Native(ReadOnlySpan<byte> bytes) => _native.Copy(bytes);

    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Stores <paramref name="values"/> as <paramref name="type"/> and returns the bytes and the values as stored.</summary>
    private static (byte[] Bytes, float[] Stored) Encode(float[] values, GgmlType type)
    {
        switch (type)
        {
            case GgmlType.F32:
                return (MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), values);
            case GgmlType.F16:
                var half = values.Select(v => (Half)v).ToArray();
                return (MemoryMarshal.AsBytes(half.AsSpan()).ToArray(), half.Select(h => (float)h).ToArray());
            default:
                // BF16: truncate the low 16 bits (any bf16 value is valid; how it was rounded does not matter here).
                var bits = values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray();
                return (MemoryMarshal.AsBytes(bits.AsSpan()).ToArray(), bits.Select(b => BitConverter.UInt32BitsToSingle((uint)b << 16)).ToArray());
        }
    }

    /// <summary>The activation as llama.cpp rounds it for this weight type (F16 or BF16 round to nearest even).</summary>
    private static double RoundActivation(float x, GgmlType type) => type switch
    {
        GgmlType.F16 => (double)(Half)x,
        GgmlType.BF16 => BitConverter.UInt32BitsToSingle((BitConverter.SingleToUInt32Bits(x) + 0x7fff + ((BitConverter.SingleToUInt32Bits(x) >> 16) & 1)) & 0xffff0000),
        _ => x,
    };

    [Theory]
    [InlineData(GgmlType.F32, 1)]
    [InlineData(GgmlType.F32, 5)]
    [InlineData(GgmlType.F16, 3)]
    [InlineData(GgmlType.BF16, 2)]
    public void MatMulEqualsTheNaiveProduct(GgmlType type, int count)
    {
        const int rows = 37, columns = 96;
        var (bytes, stored) = Encode(Random(rows * columns, 1), type);
        var m = new WeightMatrix("w", type, rows, columns, Native(bytes));
        float[] x = Random(count * columns, 2);
        var y = new float[count * rows];
        using var pool = new ComputePool(3);
        m.MatMul(x, count, y, pool);
        for (int t = 0; t < count; t++)
        {
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                for (int c = 0; c < columns; c++)
                {
                    sum += stored[r * columns + c] * RoundActivation(x[t * columns + c], type);
                }
                Assert.Equal(sum, y[t * rows + r], 1e-4);
            }
        }
    }

    [Theory]
    [InlineData(GgmlType.F32, 1)]
    [InlineData(GgmlType.F16, 40)]
    public void MatMulTransposedEqualsTheNaiveProduct(GgmlType type, int count)
    {
        // Wᵀ·x: sums down the columns of the stored matrix; activations are not rounded (weights are decoded).
        const int rows = 37, columns = 64;
        var (bytes, stored) = Encode(Random(rows * columns, 7), type);
        var m = new WeightMatrix("w", type, rows, columns, Native(bytes));
        float[] x = Random(count * rows, 8);
        var y = new float[count * columns];
        using var pool = new ComputePool(3);
        m.MatMulTransposed(x, count, y, pool);
        for (int t = 0; t < count; t++)
        {
            for (int c = 0; c < columns; c++)
            {
                double sum = 0;
                for (int r = 0; r < rows; r++)
                {
                    sum += stored[r * columns + c] * (double)x[t * rows + r];
                }
                Assert.Equal(sum, y[t * columns + c], 1e-4);
            }
        }
        Assert.Throws<ArgumentException>(() => m.MatMulTransposed(x, count + 1, y, pool));
    }

    [Fact]
    public void ARowRangeIsAMatrixOfThoseRows()
    {
        var (bytes, stored) = Encode(Random(6 * 8, 9), GgmlType.F32);
        var m = new WeightMatrix("w", GgmlType.F32, 6, 8, Native(bytes));
        var slice = m.RowRange(2, 3, "w[1]");
        Assert.Equal((3, 8, 3L * 32), (slice.Rows, slice.Columns, slice.Bytes));
        var row = new float[8];
        slice.ReadRow(1, row);
        Assert.Equal(stored.AsSpan(24, 8).ToArray(), row);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.RowRange(4, 3, "w[2]"));
    }

    [Theory]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q4_K)]
    public void QuantizedMatMulEqualsTheProductOfDecodedValues(GgmlType type)
    {
        // Weights: random values encoded by the format; activations: quantized to the dot type as llama.cpp does.
        const int rows = 5, columns = 256;
        var format = QuantFormats.Get(type);
        var bytes = new byte[format.RowBytes(rows * columns)];
        format.Quantize(Random(rows * columns, 8), bytes);
        var m = new WeightMatrix("q", type, rows, columns, Native(bytes));
        float[] x = Random(columns, 9);
        var y = new float[rows];
        m.MatMul(x, 1, y, ComputePool.Shared);
        var weights = new float[rows * columns];
        format.Dequantize(bytes, weights);
        var activation = new byte[format.ActivationBytes(columns)];
        format.QuantizeActivations(x, activation);
        var xq = new float[columns];
        QuantFormats.Get(format.DotType).Dequantize(activation, xq);
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int c = 0; c < columns; c++)
            {
                sum += (double)weights[r * columns + c] * xq[c];
            }
            Assert.Equal(sum, y[r], 1e-3);
        }
    }

    [Theory]
    [InlineData(GgmlType.Q8_0, 1100, 64, 37)]
    [InlineData(GgmlType.Q4_K, 300, 512, 21)]
    [InlineData(GgmlType.Q6_K, 70, 256, 5)]
    [InlineData(GgmlType.Q5_0, 33, 96, 64)]
    public void APromptTileEqualsOneTokenAtATime(GgmlType type, int rows, int columns, int tokens)
    {
        // Many tokens take the tiled path (row blocks × token blocks, activations converted in parallel); each result
        // must be the bits the single-token product gives, whatever the tile it fell in.
        var format = QuantFormats.Get(type);
        var bytes = new byte[format.RowBytes(rows * columns)];
        format.Quantize(Random(rows * columns, 3), bytes);
        var m = new WeightMatrix("q", type, rows, columns, Native(bytes));
        float[] x = Random(tokens * columns, 4);
        var tiled = new float[tokens * rows];
        using var pool = new ComputePool(2);
        m.MatMul(x, tokens, tiled, pool);
        var single = new float[rows];
        for (int t = 0; t < tokens; t++)
        {
            m.MatMul(x.AsSpan(t * columns, columns), 1, single, ComputePool.Shared);
            Assert.Equal(single, tiled.AsSpan(t * rows, rows).ToArray());
        }
    }

    [Fact]
    public void ThreadCountDoesNotChangeTheResult()
    {
        const int rows = 300, columns = 256;
        var (bytes, _) = Encode(Random(rows * columns, 4), GgmlType.F32);
        var m = new WeightMatrix("w", GgmlType.F32, rows, columns, Native(bytes));
        float[] x = Random(2 * columns, 5);
        var one = new float[2 * rows];
        var four = new float[2 * rows];
        using var single = new ComputePool(1);
        using var multi = new ComputePool(4);
        m.MatMul(x, 2, one, single);
        m.MatMul(x, 2, four, multi);
        Assert.Equal(one, four);
    }

    [Fact]
    public void ReadRowDecodesOneRow()
    {
        var (bytes, stored) = Encode(Random(4 * 8, 6), GgmlType.F16);
        var m = new WeightMatrix("emb", GgmlType.F16, 4, 8, Native(bytes));
        var row = new float[8];
        m.ReadRow(2, row);
        Assert.Equal(stored.AsSpan(16, 8).ToArray(), row);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.ReadRow(4, row));
    }

    [Fact]
    public void InconsistentShapesAndTypesAreRejected()
    {
        var bytes = Native(new byte[4 * 8 * 4]);
        Assert.Throws<ArgumentException>(() => new WeightMatrix("w", GgmlType.F32, 4, 9, bytes));
        Assert.Throws<ArgumentException>(() => new WeightMatrix("w", GgmlType.Q8_0, 4, 8, bytes));
        var m = new WeightMatrix("w", GgmlType.F32, 4, 8, bytes);
        Assert.Throws<ArgumentException>(() => m.MatMul(new float[8], 2, new float[8], ComputePool.Shared));
        var error = Assert.Throws<UnsupportedTensorTypeException>(() => new WeightMatrix("blk.0.x", GgmlType.IQ2_XXS, 1, 256, Native(new byte[66])));
        Assert.Contains("blk.0.x", error.Message);
    }
}
