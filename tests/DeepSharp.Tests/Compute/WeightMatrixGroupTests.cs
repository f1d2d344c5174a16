using System.Runtime.InteropServices;
using DeepSharp.Compute;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Compute;

/// <summary>Grouped products give, bit for bit, what each matrix's own <see cref="WeightMatrix.MatMul"/> gives.</summary>
public sealed class WeightMatrixGroupTests : IDisposable
{
    private readonly NativeTensors _native = new();

    public void Dispose() => _native.Dispose();

    private static float[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>A <paramref name="rows"/> × <paramref name="columns"/> matrix of random values stored as <paramref name="type"/>.</summary>
    private WeightMatrix Matrix(GgmlType type, int rows, int columns, int seed)
    {
        var values = Random(rows * columns, seed);
        byte[] bytes;
        if (type == GgmlType.F32)
        {
            bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        }
        else if (type == GgmlType.F16)
        {
            bytes = MemoryMarshal.AsBytes(values.Select(v => (Half)v).ToArray().AsSpan()).ToArray();
        }
        else
        {
            var format = QuantFormats.Get(type);
            bytes = new byte[format.RowBytes(columns) * rows];
            format.Quantize(values, bytes);
        }
        return new WeightMatrix($"{type}#{seed}", type, rows, columns, _native.Copy(bytes));
    }

    /// <summary>Each matrix's product on its own, laid out one after another.</summary>
    private static float[] OneByOne(WeightMatrix[] matrices, Func<int, float[]> input, int count, ComputePool pool)
    {
        var expected = new List<float>();
        for (int i = 0; i < matrices.Length; i++)
        {
            var output = new float[count * matrices[i].Rows];
            matrices[i].MatMul(input(i), count, output, pool);
            expected.AddRange(output);
        }
        return expected.ToArray();
    }

    public static TheoryData<int, int> PoolsAndCounts => new() { { 1, 1 }, { 2, 1 }, { 3, 1 }, { 2, 3 }, { 2, 17 } };

    [Theory]
    [MemberData(nameof(PoolsAndCounts))]
    public void SharedInputProductsMatchSeparateOnes(int threads, int count)
    {
        using var pool = new ComputePool(threads);
        // Mixed types: Q4_K and Q6_K share one prepared Q8_K row, Q8_0 and Q5_0 a Q8_0 row, Q4_1 needs Q8_1, F16 and F32
        // their own; odd row counts put chunk boundaries inside matrices.
        GgmlType[] types = [GgmlType.Q4_K, GgmlType.Q8_0, GgmlType.Q6_K, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.F16, GgmlType.F32];
        var matrices = types.Select((t, i) => Matrix(t, 37 + 50 * i, 512, i + 1)).ToArray();
        var input = Random(count * 512, 99);
        var expected = OneByOne(matrices, _ => input, count, pool);
        var actual = new float[expected.Length + 5];
        actual.AsSpan().Fill(float.NaN);
        WeightMatrix.MatMulShared(matrices, input, count, actual, pool);
        Assert.Equal(expected, actual[..expected.Length]);
        Assert.All(actual[expected.Length..], v => Assert.True(float.IsNaN(v), "a grouped product wrote past its outputs"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ProductsOfSeparateRowsMatchSeparateOnes(int threads)
    {
        using var pool = new ComputePool(threads);
        const int stride = 300;
        // Experts' down slabs (same width) and one narrower matrix: each reads its own row of the inputs.
        var matrices = new[] { Matrix(GgmlType.Q4_K, 700, 256, 1), Matrix(GgmlType.Q4_K, 700, 256, 2), Matrix(GgmlType.Q6_K, 260, 256, 3), Matrix(GgmlType.Q8_0, 90, 288, 4) };
        var inputs = Random(matrices.Length * stride, 7);
        var expected = OneByOne(matrices, i => inputs.AsSpan(i * stride, matrices[i].Columns).ToArray(), 1, pool);
        var actual = new float[expected.Length];
        WeightMatrix.MatVecEach(matrices, inputs, stride, actual, pool);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void BadShapesAreNamed()
    {
        using var pool = new ComputePool(1);
        var a = Matrix(GgmlType.Q8_0, 16, 64, 1);
        var b = Matrix(GgmlType.Q8_0, 16, 96, 2);
        var error = Assert.Throws<ArgumentException>(() => WeightMatrix.MatMulShared([a, b], new float[96], 1, new float[32], pool));
        Assert.Contains(b.Name, error.Message);
        error = Assert.Throws<ArgumentException>(() => WeightMatrix.MatVecEach([a, b], new float[100], 64, new float[32], pool));
        Assert.Contains(b.Name, error.Message);
        Assert.Throws<ArgumentException>(() => WeightMatrix.MatMulShared([a, a], new float[64], 1, new float[31], pool));
    }
}
