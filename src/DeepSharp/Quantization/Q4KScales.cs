namespace DeepSharp.Quantization;

/// <summary>
/// The eight 6-bit (scale, min) pairs of a Q4_K or Q5_K block, packed in 12 bytes <c>q</c>: for k &lt; 4 the scale
/// is the low six bits of <c>q[k]</c> and the min those of <c>q[k + 4]</c>; for k ≥ 4 the low four bits sit in the
/// low (scale) and high (min) nibble of <c>q[k + 4]</c> and the top two bits in the top bits of <c>q[k − 4]</c>
/// (scale) and <c>q[k]</c> (min).
/// </summary>
internal static class Q4KScales
{
    /// <summary>Scale and min of sub-block <paramref name="k"/> (0..7), each 0..63.</summary>
    public static (int Scale, int Min) Get(ReadOnlySpan<byte> q, int k)
    {
        if (k < 4)
        {
            return (q[k] & 63, q[k + 4] & 63);
        }
        return ((q[k + 4] & 0xF) | ((q[k - 4] >> 6) << 4), (q[k + 4] >> 4) | ((q[k] >> 6) << 4));
    }

    /// <summary>Packs eight scales and mins (0..63) into <paramref name="q"/>.</summary>
    public static void Set(Span<byte> q, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> mins)
    {
        for (int k = 0; k < 4; k++)
        {
            q[k] = (byte)(scales[k] | ((scales[k + 4] >> 4) << 6));
            q[k + 4] = (byte)(mins[k] | ((mins[k + 4] >> 4) << 6));
            q[k + 8] = (byte)((scales[k + 4] & 0xF) | ((mins[k + 4] & 0xF) << 4));
        }
    }
}
