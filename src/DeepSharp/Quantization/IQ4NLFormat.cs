namespace DeepSharp.Quantization;

/// <summary>
/// IQ4_NL: 32 elements as <c>half d; u8 qs[16]</c>, nibble order as Q4_0, each nibble indexing the non-linear
/// codebook (<see cref="Iq4Codebook"/>): <c>y = d·kv[q]</c>. Dotted with Q8_0 activations.
/// </summary>
internal sealed class IQ4NLFormat : ScaledBlockFormat
{
    private IQ4NLFormat()
        : base(GgmlType.IQ4_NL)
    {
    }

    public static IQ4NLFormat Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        var qs = block.Slice(2, 16);
        var kv = Iq4Codebook.Values;
        for (int j = 0; j < 16; j++)
        {
            values[j] = kv[qs[j] & 0xF];
            values[j + 16] = kv[qs[j] >> 4];
        }
    }

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitCodebook(x);

    protected override byte Encode(float v) => (byte)Iq4Codebook.Nearest(v);

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block) =>
        LegacyCodes.PackNibbles(codes, block.Slice(2, 16));
}
