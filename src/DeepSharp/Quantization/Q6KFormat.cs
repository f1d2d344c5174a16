using System.Runtime.InteropServices;

namespace DeepSharp.Quantization;

/// <summary>
/// Q6_K: 256 elements as <c>u8 ql[128]; u8 qh[64]; i8 scales[16]; half d</c>. Sixteen sub-blocks of 16 with
/// int8 scales. In half h (elements 128h..), for l = 0..31 and r = 0..3, element <c>128h + 32r + l</c> takes
/// its low nibble from <c>ql[64h + l + 32(r mod 2)]</c> (high nibble when r ≥ 2) and its top two bits from bits
/// 2r..2r+1 of <c>qh[32h + l]</c>; <c>y = (d·scale)·(q − 32)</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q6KFormat : BlockQuantFormat
{
    private const int Qh = 128;
    private const int Scales = 192;
    private const int D = 208;

    private Q6KFormat()
        : base(GgmlType.Q6_K, GgmlType.Q8_K)
    {
    }

    public static Q6KFormat Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, D);
        var scales = MemoryMarshal.Cast<byte, sbyte>(block.Slice(Scales, 16));
        for (int k = 0; k < 16; k++)
        {
            float dl = d * scales[k];
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                y[e] = dl * Code(block, e);
            }
        }
    }

    /// <summary>Per sub-block least-squares scale for codes −32..31; scales stored as int8 multiples of d.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<float> scales = stackalloc float[16];
        Span<int> sc = stackalloc int[16];
        for (int k = 0; k < 16; k++)
        {
            scales[k] = ScaleSearch.FitSigned(x.Slice(16 * k, 16), -32, 31);
        }
        var d = SuperBlockScales.Signed(x, scales, -128, 127, static (sub, s) => ScaleSearch.SignedError(sub, -32, 31, s), sc);
        block.Clear();
        for (int k = 0; k < 16; k++)
        {
            block[Scales + k] = (byte)(sbyte)sc[k];
            float dl = (float)d * sc[k];
            float inv = dl != 0 ? 1 / dl : 0;
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                int u = ScaleSearch.SignedCode(x[e] * inv, -32, 31) + 32;
                int h = e >> 7, r = (e >> 5) & 3, l = e & 31;
                block[64 * h + l + 32 * (r & 1)] |= (byte)((u & 0xF) << (4 * (r >> 1)));
                block[Qh + 32 * h + l] |= (byte)((u >> 4) << (2 * r));
            }
        }
        Fp16.Write(block, D, d);
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qa = Q8KFormat.Codes(activations);
        var scales = MemoryMarshal.Cast<byte, sbyte>(weights.Slice(Scales, 16));
        int isum = 0;
        for (int k = 0; k < 16; k++)
        {
            int sum = 0;
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                sum += Code(weights, e) * qa[e];
            }
            isum += scales[k] * sum;
        }
        return Fp16.Read(weights, D) * Q8KFormat.Scale(activations) * isum;
    }

    // The signed 6-bit code (−32..31) of element e = 128h + 32r + l.
    private static int Code(ReadOnlySpan<byte> block, int e)
    {
        int h = e >> 7, r = (e >> 5) & 3, l = e & 31;
        int low = (block[64 * h + l + 32 * (r & 1)] >> (4 * (r >> 1))) & 0xF;
        int high = (block[Qh + 32 * h + l] >> (2 * r)) & 3;
        return (low | (high << 4)) - 32;
    }
}
