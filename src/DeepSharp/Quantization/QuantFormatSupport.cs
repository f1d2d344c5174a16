namespace DeepSharp.Quantization;

/// <summary>The tensor types DeepSharp computes with; any other type is refused when a model loads.</summary>
public static class QuantFormatSupport
{
    private static readonly HashSet<GgmlType> s_supported =
    [
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
        GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q8_K,
        GgmlType.IQ4_NL, GgmlType.IQ4_XS,
    ];

    /// <summary>True when DeepSharp can compute with tensors of <paramref name="type"/>.</summary>
    public static bool IsSupported(GgmlType type) => s_supported.Contains(type);
}
