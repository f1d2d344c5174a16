using System.Buffers.Binary;

namespace DeepSharp.Quantization;

/// <summary>
/// Q5_0: 32 elements as <c>half d; u8 qh[4]; u8 qs[16]</c>. Nibbles as Q4_0; bit j of the little-endian u32
/// <c>qh</c> is the fifth (high) bit of element j. <c>y = (q − 16)·d</c>. Dotted with Q8_0 activations.
/// </summary>
internal sealed class Q5_0Format : BlockQuantFormat
{
    private Q5_0Format()
        : base(GgmlType.Q5_0, GgmlType.Q8_0)
    {
    }

    public static Q5_0Format Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        uint qh = BinaryPrimitives.ReadUInt32LittleEndian(block.Slice(2, 4));
        var qs = block.Slice(6, 16);
        for (int j = 0; j < 16; j++)
        {
            y[j] = (Q5Bits.Low(qs[j], qh, j) - 16) * d;
            y[j + 16] = (Q5Bits.High(qs[j], qh, j) - 16) * d;
        }
    }

    /// <summary>A least-squares scale for codes −16..15 (see <see cref="ScaleSearch.FitSigned"/>), then nearest codes.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        var d = (Half)ScaleSearch.FitSigned(x, -16, 15);
        Fp16.Write(block, 0, d);
        float id = (float)d != 0 ? 1 / (float)d : 0;
        Span<byte> codes = stackalloc byte[32];
        for (int j = 0; j < 32; j++)
        {
            codes[j] = (byte)(ScaleSearch.SignedCode(x[j] * id, -16, 15) + 16);
        }
        Q5Bits.Pack(codes, block.Slice(2, 4), block.Slice(6, 16));
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        uint qh = BinaryPrimitives.ReadUInt32LittleEndian(weights.Slice(2, 4));
        var qs = weights.Slice(6, 16);
        var qa = Q8_0Format.Codes(activations, 2);
        int sum = 0;
        for (int j = 0; j < 16; j++)
        {
            sum += (Q5Bits.Low(qs[j], qh, j) - 16) * qa[j] + (Q5Bits.High(qs[j], qh, j) - 16) * qa[j + 16];
        }
        return sum * Fp16.Read(weights, 0) * Fp16.Read(activations, 0);
    }
}
