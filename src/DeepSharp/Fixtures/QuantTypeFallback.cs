using DeepSharp.Quantization;

namespace DeepSharp.Fixtures;

/// <summary>
/// The type llama-quantize stores a row in when the requested type's block does not divide the row length
/// (FACTS.md §2.5): e.g. Q4_K becomes Q5_0 for 1408-wide expert rows.
/// </summary>
public static class QuantTypeFallback
{
    /// <summary>The type a row of <paramref name="rowLength"/> elements is stored in when <paramref name="requested"/> is asked for.</summary>
    public static GgmlType For(GgmlType requested, long rowLength)
    {
        var type = requested;
        if (rowLength % GgmlTypeInfo.Get(type).BlockSize != 0)
        {
            type = type switch
            {
                GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.IQ4_XS => GgmlType.IQ4_NL,
                GgmlType.Q4_K => GgmlType.Q5_0,
                GgmlType.Q5_K => GgmlType.Q5_1,
                GgmlType.Q6_K => GgmlType.Q8_0,
                _ => type,
            };
        }
        return rowLength % GgmlTypeInfo.Get(type).BlockSize == 0 ? type : GgmlType.F16;
    }
}
