using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q8_0: 32 elements as <c>half d; i8 qs[32]</c>, <c>y = d·q</c>. Also the activation format of Q4_0, Q5_0,
/// Q8_0 and IQ4_NL weights; the quantizer is llama.cpp's reference one, byte for byte.
/// </summary>
internal sealed class Q8_0Format : BlockQuantFormat
{
    private Q8_0Format()
        : base(GgmlType.Q8_0, GgmlType.Q8_0)
    {
    }

    public static Q8_0Format Instance { get; } = new();

    /// <summary>The codes of a Q8_0 block (also of a Q8_1 block after its 4 header bytes).</summary>
    internal static ReadOnlySpan<sbyte> Codes(ReadOnlySpan<byte> block, int offset) =>
        MemoryMarshal.Cast<byte, sbyte>(block.Slice(offset, 32));

    /// <summary>
    /// llama.cpp's reference Q8 rounding of 32 values: <c>d = max|x|/127</c>, codes <c>round(x/d)</c> with halves
    /// away from zero (computed as <c>x·(1/d)</c>); returns the code sum and the unrounded <c>d</c>.
    /// </summary>
    internal static int QuantizeCodes(ReadOnlySpan<float> x, Span<byte> codes, out float d)
    {
        float amax = 0;
        foreach (float v in x)
        {
            amax = MathF.Max(amax, MathF.Abs(v));
        }
        d = amax / 127;
        float id = d != 0 ? 1 / d : 0;
        int sum = 0;
        for (int j = 0; j < x.Length; j++)
        {
            int q = (int)MathF.Round(x[j] * id, MidpointRounding.AwayFromZero);
            codes[j] = (byte)(sbyte)q;
            sum += q;
        }
        return sum;
    }

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        var qs = Codes(block, 2);
        for (int j = 0; j < 32; j++)
        {
            y[j] = qs[j] * d;
        }
    }

    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        QuantizeCodes(x, block.Slice(2, 32), out float d);
        Fp16.Write(block, 0, (Half)d);
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qw = Codes(weights, 2);
        var qa = Codes(activations, 2);
        int sum = 0;
        for (int j = 0; j < 32; j++)
        {
            sum += qw[j] * qa[j];
        }
        return sum * (Fp16.Read(weights, 0) * Fp16.Read(activations, 0));
    }

    private protected override TileKernel? SimdKernel(KernelPath path) => Block32Kernels<Decoder>.For(path);

    /// <summary>SIMD decoding: the codes as they are stored.</summary>
    internal readonly struct Decoder : IBlock32
    {
        public static int Bytes => 34;

        public static bool IsAffine => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Values(ref byte block, out Vector128<byte> high)
        {
            high = Vector128.LoadUnsafe(ref block, 18);
            return Vector128.LoadUnsafe(ref block, 2);
        }
    }
}
