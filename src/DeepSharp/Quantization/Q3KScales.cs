namespace DeepSharp.Quantization;

/// <summary>
/// The sixteen signed 6-bit scales of a Q3_K block, packed in 12 bytes: the low four bits of scale k in byte k
/// (k &lt; 8, low nibble) or byte k − 8 (high nibble), the top two bits at bits 2(k/4) of byte 8 + k mod 4;
/// the stored value is the scale plus 32.
/// </summary>
internal static class Q3KScales
{
    /// <summary>Scale <paramref name="k"/> (0..15), in −32..31.</summary>
    public static int Get(ReadOnlySpan<byte> s, int k)
    {
        int low = k < 8 ? s[k] & 0xF : s[k - 8] >> 4;
        int high = (s[8 + (k & 3)] >> (2 * (k >> 2))) & 3;
        return (low | (high << 4)) - 32;
    }

    /// <summary>Packs sixteen scales in −32..31 into <paramref name="s"/>, which must be zero.</summary>
    public static void Set(Span<byte> s, ReadOnlySpan<int> scales)
    {
        for (int k = 0; k < 16; k++)
        {
            int v = scales[k] + 32;
            s[k & 7] |= (byte)((v & 0xF) << (k < 8 ? 0 : 4));
            s[8 + (k & 3)] |= (byte)((v >> 4) << (2 * (k >> 2)));
        }
    }
}
