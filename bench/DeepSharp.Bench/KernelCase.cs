using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>A weight format and a matrix shape (<see cref="Rows"/> outputs × <see cref="Columns"/> inputs) to benchmark.</summary>
public sealed record KernelCase(GgmlType Format, int Rows, int Columns)
{
    /// <summary>
    /// The benchmark formats on the shapes of the benchmark models: Qwen2-1.5B's 1536 × 1536 attention matrices,
    /// DeepSeek-V2-Lite's expert gate/up (1408 × 2048) and down (2048 × 1408) matrices. 1408 inputs are not whole
    /// 256-element blocks, so the down shape runs only the 32-element and float formats (llama.cpp stores those
    /// tensors in a 32-element fallback type for the same reason).
    /// </summary>
    public static IEnumerable<KernelCase> All()
    {
        GgmlType[] formats =
        [
            GgmlType.Q4_K, GgmlType.Q8_0, GgmlType.Q6_K, GgmlType.Q5_0,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q5_K,
            GgmlType.IQ4_NL, GgmlType.IQ4_XS, GgmlType.F16, GgmlType.BF16, GgmlType.F32,
        ];
        foreach (var format in formats)
        {
            foreach (var (rows, columns) in ((int, int)[])[(1536, 1536), (1408, 2048), (2048, 1408)])
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
