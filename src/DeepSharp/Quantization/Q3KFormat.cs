namespace DeepSharp.Quantization;

/// <summary>
/// Q3_K: 256 elements as <c>u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d</c>. Sixteen sub-blocks of 16 with
/// signed 6-bit scales (<see cref="Q3KScales"/>). Element <c>128h + 32j + l</c> has its low two bits at bits
/// 2j..2j+1 of <c>qs[32h + l]</c> and its high bit at bit 4h + j of <c>hmask[l]</c>; the value is
/// <c>low − (high ? 0 : 4)</c> in −4..3 and <c>y = (d·scale)·value</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q3KFormat : ScaledSuperBlockFormat
{
    private const int Qs = 32;
    private const int Scales = 96;

    private Q3KFormat()
        : base(GgmlType.Q3_K, subSize: 16, scaleMin: -32, scaleMax: 31, d: 108)
    {
    }

    public static Q3KFormat Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        for (int e = 0; e < 256; e++)
        {
            int j = (e >> 5) & 3, l = e & 31, h = e >> 7;
            int low = (block[Qs + 32 * h + l] >> (2 * j)) & 3;
            int high = (block[l] >> (4 * h + j)) & 1;
            values[e] = (sbyte)(low - (high != 0 ? 0 : 4));
        }
    }

    protected override int Scale(ReadOnlySpan<byte> block, int k) => Q3KScales.Get(block.Slice(Scales, 12), k);

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitSigned(x, -4, 3);

    protected override float ScaleError(ReadOnlySpan<float> x, float scale) => ScaleSearch.SignedError(x, -4, 3, scale);

    protected override byte Encode(float v) => (byte)(ScaleSearch.SignedCode(v, -4, 3) + 4);

    /// <summary>Codes are value + 4 (0..7): bits 0..1 go to <c>qs</c>, bit 2 to <c>hmask</c>.</summary>
    protected override void Pack(ReadOnlySpan<int> scales, ReadOnlySpan<byte> codes, Span<byte> block)
    {
        Q3KScales.Set(block.Slice(Scales, 12), scales);
        for (int e = 0; e < 256; e++)
        {
            int j = (e >> 5) & 3, l = e & 31, h = e >> 7;
            block[Qs + 32 * h + l] |= (byte)((codes[e] & 3) << (2 * j));
            block[l] |= (byte)((codes[e] >> 2) << (4 * h + j));
        }
    }
}
