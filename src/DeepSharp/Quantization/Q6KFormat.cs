namespace DeepSharp.Quantization;

/// <summary>
/// Q6_K: 256 elements as <c>u8 ql[128]; u8 qh[64]; i8 scales[16]; half d</c>. Sixteen sub-blocks of 16 with
/// int8 scales. In half h (elements 128h..), for l = 0..31 and r = 0..3, element <c>128h + 32r + l</c> takes
/// its low nibble from <c>ql[64h + l + 32(r mod 2)]</c> (high nibble when r ≥ 2) and its top two bits from bits
/// 2r..2r+1 of <c>qh[32h + l]</c>; <c>y = (d·scale)·(q − 32)</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q6KFormat : ScaledSuperBlockFormat
{
    private const int Qh = 128;
    private const int Scales = 192;

    private Q6KFormat()
        : base(GgmlType.Q6_K, subSize: 16, scaleMin: -128, scaleMax: 127, d: 208)
    {
    }

    public static Q6KFormat Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        for (int e = 0; e < 256; e++)
        {
            int h = e >> 7, r = (e >> 5) & 3, l = e & 31;
            int low = (block[64 * h + l + 32 * (r & 1)] >> (4 * (r >> 1))) & 0xF;
            int high = (block[Qh + 32 * h + l] >> (2 * r)) & 3;
            values[e] = (sbyte)((low | (high << 4)) - 32);
        }
    }

    protected override int Scale(ReadOnlySpan<byte> block, int k) => (sbyte)block[Scales + k];

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitSigned(x, -32, 31);

    protected override float ScaleError(ReadOnlySpan<float> x, float scale) => ScaleSearch.SignedError(x, -32, 31, scale);

    protected override byte Encode(float v) => (byte)(ScaleSearch.SignedCode(v, -32, 31) + 32);

    /// <summary>Codes are value + 32 (0..63): the low nibble goes to <c>ql</c>, the top two bits to <c>qh</c>.</summary>
    protected override void Pack(ReadOnlySpan<int> scales, ReadOnlySpan<byte> codes, Span<byte> block)
    {
        for (int k = 0; k < 16; k++)
        {
            block[Scales + k] = (byte)(sbyte)scales[k];
        }
        for (int e = 0; e < 256; e++)
        {
            int h = e >> 7, r = (e >> 5) & 3, l = e & 31;
            block[64 * h + l + 32 * (r & 1)] |= (byte)((codes[e] & 0xF) << (4 * (r >> 1)));
            block[Qh + 32 * h + l] |= (byte)((codes[e] >> 4) << (2 * r));
        }
    }
}
