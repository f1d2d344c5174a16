using System.Buffers.Binary;

namespace DeepSharp.Quantization;

/// <summary>
/// IQ4_XS: 256 elements as <c>half d; u16 scales_h; u8 scales_l[4]; u8 qs[128]</c>. Eight sub-blocks of 32 with
/// 6-bit scales: the low nibble of sub-block b is nibble b mod 2 of <c>scales_l[b/2]</c>, the top two bits are
/// bits 2b..2b+1 of <c>scales_h</c>, and the scale is that value minus 32. Sub-block b uses
/// <c>qs[16b .. 16b + 15]</c> in Q4_0's nibble order, each nibble indexing the IQ4 codebook:
/// <c>y = (d·scale)·kv[q]</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class IQ4XSFormat : BlockQuantFormat
{
    private const int ScalesLow = 4;
    private const int Qs = 8;

    private IQ4XSFormat()
        : base(GgmlType.IQ4_XS, GgmlType.Q8_K)
    {
    }

    public static IQ4XSFormat Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        var kv = Iq4Codebook.Values;
        for (int b = 0; b < 8; b++)
        {
            float dl = d * Scale(block, b);
            var qs = block.Slice(Qs + 16 * b, 16);
            for (int j = 0; j < 16; j++)
            {
                y[32 * b + j] = dl * kv[qs[j] & 0xF];
                y[32 * b + 16 + j] = dl * kv[qs[j] >> 4];
            }
        }
    }

    /// <summary>Per sub-block least-squares codebook scale; scales stored as 6-bit multiples of d.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<float> scales = stackalloc float[8];
        Span<int> sc = stackalloc int[8];
        for (int b = 0; b < 8; b++)
        {
            scales[b] = ScaleSearch.FitCodebook(x.Slice(32 * b, 32));
        }
        var d = SuperBlockScales.Signed(x, scales, -32, 31, ScaleSearch.CodebookError, sc);
        block.Clear();
        Fp16.Write(block, 0, d);
        int high = 0;
        for (int b = 0; b < 8; b++)
        {
            int ls = sc[b] + 32;
            block[ScalesLow + b / 2] |= (byte)((ls & 0xF) << (4 * (b & 1)));
            high |= (ls >> 4) << (2 * b);
            float dl = (float)d * sc[b];
            float inv = dl != 0 ? 1 / dl : 0;
            for (int j = 0; j < 16; j++)
            {
                int lo = Iq4Codebook.Nearest(x[32 * b + j] * inv);
                int hi = Iq4Codebook.Nearest(x[32 * b + 16 + j] * inv);
                block[Qs + 16 * b + j] = (byte)(lo | (hi << 4));
            }
        }
        BinaryPrimitives.WriteUInt16LittleEndian(block.Slice(2, 2), (ushort)high);
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qa = Q8KFormat.Codes(activations);
        var kv = Iq4Codebook.Values;
        int isum = 0;
        for (int b = 0; b < 8; b++)
        {
            var qs = weights.Slice(Qs + 16 * b, 16);
            int sum = 0;
            for (int j = 0; j < 16; j++)
            {
                sum += kv[qs[j] & 0xF] * qa[32 * b + j] + kv[qs[j] >> 4] * qa[32 * b + 16 + j];
            }
            isum += Scale(weights, b) * sum;
        }
        return Fp16.Read(weights, 0) * Q8KFormat.Scale(activations) * isum;
    }

    // The signed scale (−32..31) of sub-block b.
    private static int Scale(ReadOnlySpan<byte> block, int b)
    {
        int low = (block[ScalesLow + b / 2] >> (4 * (b & 1))) & 0xF;
        int high = (BinaryPrimitives.ReadUInt16LittleEndian(block.Slice(2, 2)) >> (2 * b)) & 3;
        return (low | (high << 4)) - 32;
    }
}
