using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>A weight format and a matrix shape (<see cref="Rows"/> outputs × <see cref="Columns"/> inputs) to benchmark.</summary>
public sealed record KernelCase(GgmlType Format, int Rows, int Columns)
{
    /// <summary>The formats benchmarked: the four that dominate the benchmark models first, then the rest.</summary>
    public static readonly GgmlType[] Formats =
    [
        GgmlType.Q4_K, GgmlType.Q8_0, GgmlType.Q6_K, GgmlType.Q5_0,
        GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q5_K,
        GgmlType.IQ4_NL, GgmlType.IQ4_XS, GgmlType.F16, GgmlType.BF16, GgmlType.F32,
    ];

    /// <summary>
    /// Every format on the given shapes, skipping a shape whose inputs are not whole blocks of the format:
    /// DeepSeek-V2-Lite's expert down matrices have 1408 inputs, which 256-element blocks do not divide (llama.cpp
    /// stores those tensors in a 32-element fallback type for that reason).
    /// </summary>
    public static IEnumerable<KernelCase> On(params (int Rows, int Columns)[] shapes)
    {
        foreach (var format in Formats)
        {
            foreach (var (rows, columns) in shapes)
            {
                if (columns % QuantFormats.Get(format).BlockSize == 0)
                {
                    yield return new KernelCase(format, rows, columns);
                }
            }
        }
    }

    /// <summary>Bytes of the weight matrix, which one GEMV reads once.</summary>
    public long WeightBytes => (long)Rows * QuantFormats.Get(Format).RowBytes(Columns);

    /// <summary>Multiply-adds counted as two operations, as GFLOP figures usually are.</summary>
    public double Operations => 2.0 * Rows * Columns;

    public override string ToString() => $"{Format} {Rows}x{Columns}";
}
