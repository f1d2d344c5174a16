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
    /// Q8 codes of 32 values, <c>d = max|x|/127</c>, by <paramref name="rounding"/>: the reference computes
    /// <c>x·(1/d)</c> and rounds halves away from zero; the activation rule computes <c>x·(127/max|x|)</c> and rounds
    /// halves to even. Returns the code sum and the unrounded <c>d</c>.
    /// </summary>
    internal static int QuantizeCodes(ReadOnlySpan<float> x, Span<byte> codes, out float d, Q8Rounding rounding = Q8Rounding.Reference)
    {
        float amax = 0;
        foreach (float v in x)
        {
            amax = MathF.Max(amax, MathF.Abs(v));
        }
        d = amax / 127;
        float id = Multiplier(amax, d, rounding);
        var mode = rounding == Q8Rounding.Reference ? MidpointRounding.AwayFromZero : MidpointRounding.ToEven;
        int sum = 0;
        for (int j = 0; j < x.Length; j++)
        {
            int q = (int)MathF.Round(x[j] * id, mode);
            codes[j] = (byte)(sbyte)q;
            sum += q;
        }
        return sum;
    }

    /// <summary>
    /// <see cref="QuantizeCodes(ReadOnlySpan{float}, Span{byte}, out float, Q8Rounding)"/> on <paramref name="path"/>:
    /// every SIMD path runs <see cref="QuantizeCodesSimd"/>, which writes the same bytes and returns the same sum and <c>d</c>.
    /// </summary>
    internal static int QuantizeCodes(KernelPath path, ReadOnlySpan<float> x, Span<byte> codes, out float d, Q8Rounding rounding = Q8Rounding.Reference) =>
        path == KernelPath.Scalar ? QuantizeCodes(x, codes, out d, rounding) : QuantizeCodesSimd(x, codes, out d, rounding);

    /// <summary>What a value is multiplied by before rounding: <c>1/d</c> (reference) or <c>127/max</c> (activations), 0 for a zero block.</summary>
    private static float Multiplier(float amax, float d, Q8Rounding rounding) => rounding == Q8Rounding.Reference
        ? (d != 0 ? 1 / d : 0)
        : (amax != 0 ? 127f / amax : 0);

    /// <summary>
    /// <see cref="QuantizeCodes(ReadOnlySpan{float}, Span{byte}, out float, Q8Rounding)"/> for 32 values in 128-bit
    /// registers (portable; activation rows are small next to the weights, so wider registers would buy little). The
    /// same float operations lane by lane: <c>max|x|</c> with <c>Vector128.Max</c>, which is IEEE maximum and
    /// NaN-propagating like <see cref="MathF.Max(float, float)"/> (a maximum is exact in any order); codes rounded
    /// half away from zero by <see cref="RoundAway"/> or half to even by <see cref="Vector128.Round(Vector128{float})"/>,
    /// then narrowed int → short → byte, which keeps the low byte as the reference's cast does.
    /// </summary>
    private static int QuantizeCodesSimd(ReadOnlySpan<float> x, Span<byte> codes, out float d, Q8Rounding rounding)
    {
        ref float source = ref MemoryMarshal.GetReference(x);
        var lanes = Vector128<float>.Zero;
        for (int i = 0; i < 32; i += 4)
        {
            lanes = Vector128.Max(lanes, Vector128.Abs(Vector128.LoadUnsafe(ref source, (nuint)i)));
        }
        float amax = 0;
        for (int i = 0; i < Vector128<float>.Count; i++)
        {
            amax = MathF.Max(amax, lanes.GetElement(i));
        }
        d = amax / 127;
        var id = Vector128.Create(Multiplier(amax, d, rounding));
        bool away = rounding == Q8Rounding.Reference;
        var sum = Vector128<int>.Zero;
        ref byte target = ref MemoryMarshal.GetReference(codes);
        for (int i = 0; i < 32; i += 16)
        {
            var q0 = Round(Vector128.LoadUnsafe(ref source, (nuint)i) * id, away);
            var q1 = Round(Vector128.LoadUnsafe(ref source, (nuint)i + 4) * id, away);
            var q2 = Round(Vector128.LoadUnsafe(ref source, (nuint)i + 8) * id, away);
            var q3 = Round(Vector128.LoadUnsafe(ref source, (nuint)i + 12) * id, away);
            Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).AsByte().StoreUnsafe(ref target, (nuint)i);
            sum += (q0 + q1) + (q2 + q3);
        }
        return Vector128.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Round(Vector128<float> v, bool away) =>
        away ? RoundAway(v) : Vector128.ConvertToInt32(Vector128.Round(v));

    /// <summary>
    /// <c>(int)MathF.Round(v, MidpointRounding.AwayFromZero)</c> lane by lane, exactly: the truncation and the
    /// fraction <c>v − trunc(v)</c> are exact, and one is added away from zero when the fraction's magnitude is at
    /// least one half. A NaN lane stays NaN and converts to 0, as the scalar cast does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> RoundAway(Vector128<float> v)
    {
        var whole = Vector128.Truncate(v);
        var up = Vector128.GreaterThanOrEqual(Vector128.Abs(v - whole), Vector128.Create(0.5f));
        return Vector128.ConvertToInt32(whole + (up & Vector128.CopySign(Vector128<float>.One, v)));
    }

    /// <summary>
    /// One Q8_0 activation block as llama.cpp's x86 CPU backend writes it before a product
    /// (<see cref="Q8Rounding.Activation"/>); <see cref="ActivationQuantizer"/> calls this.
    /// </summary>
    internal static void QuantizeActivationBlock(KernelPath path, ReadOnlySpan<float> x, Span<byte> block)
    {
        QuantizeCodes(path, x, block.Slice(2, 32), out float d, Q8Rounding.Activation);
        Fp16.Write(block, 0, (Half)d);
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

    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block) => QuantizeBlock(KernelPath.Scalar, x, block);

    protected override void QuantizeBlock(KernelPath path, ReadOnlySpan<float> x, Span<byte> block)
    {
        QuantizeCodes(path, x, block.Slice(2, 32), out float d);
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
    internal readonly struct Decoder : IBlock32<Decoder>
    {
        public static int Bytes => 34;

        public static bool IsAffine => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Values(ref byte block, out Vector128<byte> high)
        {
            high = Vector128.LoadUnsafe(ref block, 18);
            return Vector128.LoadUnsafe(ref block, 2);
        }

        /// <summary>One 32-byte load.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Values256(ref byte block) => Vector256.LoadUnsafe(ref block, 2);
    }
}
