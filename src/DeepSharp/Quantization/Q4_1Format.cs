namespace DeepSharp.Quantization;

/// <summary>
/// Q4_1: 32 elements as <c>half d; half m; u8 qs[16]</c>, nibble order as Q4_0, <c>y = q·d + m</c>.
/// Dotted with Q8_1 activations, whose stored sum carries the <c>m</c> term.
/// </summary>
internal sealed class Q4_1Format : AffineBlockFormat
{
    private Q4_1Format()
        : base(GgmlType.Q4_1, 15)
    {
    }

    public static Q4_1Format Instance { get; } = new();

    protected override void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes) =>
        LegacyCodes.UnpackNibbles(block.Slice(4, 16), codes);

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block) =>
        LegacyCodes.PackNibbles(codes, block.Slice(4, 16));
}
