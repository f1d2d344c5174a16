namespace DeepSharp.Quantization;

/// <summary>bfloat16 scalars: the upper 16 bits of an IEEE single.</summary>
public static class Bf16
{
    /// <summary>The bf16 bit pattern widened to float (exact).</summary>
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>
    /// <paramref name="value"/> rounded to bf16 as ggml does: to nearest even, subnormals kept, overflow to
    /// infinity, and a NaN stays a NaN with its quiet bit set.
    /// </summary>
    public static ushort FromSingle(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if ((u & 0x7fffffff) > 0x7f800000)
        {
            return (ushort)((u >> 16) | 0x40);
        }
        // Adding 0x7fff plus the lowest kept bit rounds to nearest with ties to even.
        return (ushort)((u + 0x7fff + ((u >> 16) & 1)) >> 16);
    }
}
