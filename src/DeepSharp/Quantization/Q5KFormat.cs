namespace DeepSharp.Quantization;

/// <summary>
/// Q5_K: 256 elements as <c>half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]</c>. As Q4_K, plus a fifth
/// bit: element <c>32k + l</c> (sub-block k) adds 16 when bit k of <c>qh[l]</c> is set.
/// <c>y = (d·sc)·q − dmin·m</c> with q in 0..31. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q5KFormat : AffineSuperBlockFormat
{
    private const int Scales = 4;
    private const int Qh = 16;
    private const int Qs = 48;

    private Q5KFormat()
        : base(GgmlType.Q5_K, subSize: 32, maxCode: 31, scaleLevels: 63, d: 0, dmin: 2)
    {
    }

    public static Q5KFormat Instance { get; } = new();

    protected override void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes)
    {
        Q4KFormat.UnpackNibbles(block.Slice(Qs, 128), codes);
        for (int e = 0; e < 256; e++)
        {
            codes[e] |= (byte)(((block[Qh + (e & 31)] >> (e >> 5)) & 1) << 4);
        }
    }

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block)
    {
        Q4KFormat.PackNibbles(codes, block.Slice(Qs, 128));
        for (int e = 0; e < 256; e++)
        {
            block[Qh + (e & 31)] |= (byte)((codes[e] >> 4) << (e >> 5));
        }
    }

    protected override (int Scale, int Min) ScaleMin(ReadOnlySpan<byte> block, int k) => Q4KScales.Get(block.Slice(Scales, 12), k);

    protected override void PackScales(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> mins, Span<byte> block) =>
        Q4KScales.Set(block.Slice(Scales, 12), scales, mins);
}
