using System.Buffers.Binary;

namespace DeepSharp.Quantization;

/// <summary>
/// Q5_1: 32 elements as <c>half d; half m; u8 qh[4]; u8 qs[16]</c>, 5-bit codes built as in Q5_0 but unsigned,
/// <c>y = q·d + m</c>. Dotted with Q8_1 activations.
/// </summary>
internal sealed class Q5_1Format : BlockQuantFormat
{
    private Q5_1Format()
        : base(GgmlType.Q5_1, GgmlType.Q8_1)
    {
    }

    public static Q5_1Format Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        float m = Fp16.Read(block, 2);
        uint qh = BinaryPrimitives.ReadUInt32LittleEndian(block.Slice(4, 4));
        var qs = block.Slice(8, 16);
        for (int j = 0; j < 16; j++)
        {
            y[j] = Q5Bits.Low(qs[j], qh, j) * d + m;
            y[j + 16] = Q5Bits.High(qs[j], qh, j) * d + m;
        }
    }

    /// <summary>A least-squares (scale, offset) for codes 0..31 (see <see cref="ScaleSearch.FitAffine"/>), then nearest codes.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        ScaleSearch.FitAffine(x, 31, offsetAtMostZero: false, out float scale, out float offset);
        var d = (Half)scale;
        var m = (Half)offset;
        Fp16.Write(block, 0, d);
        Fp16.Write(block, 2, m);
        float id = (float)d != 0 ? 1 / (float)d : 0;
        Span<byte> codes = stackalloc byte[32];
        for (int j = 0; j < 32; j++)
        {
            codes[j] = (byte)ScaleSearch.AffineCode((x[j] - (float)m) * id, 31);
        }
        Q5Bits.Pack(codes, block.Slice(4, 4), block.Slice(8, 16));
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        uint qh = BinaryPrimitives.ReadUInt32LittleEndian(weights.Slice(4, 4));
        var qs = weights.Slice(8, 16);
        var qa = Q8_0Format.Codes(activations, 4);
        int sum = 0;
        for (int j = 0; j < 16; j++)
        {
            sum += Q5Bits.Low(qs[j], qh, j) * qa[j] + Q5Bits.High(qs[j], qh, j) * qa[j + 16];
        }
        return Fp16.Read(weights, 0) * Fp16.Read(activations, 0) * sum + Fp16.Read(weights, 2) * Fp16.Read(activations, 2);
    }
}
