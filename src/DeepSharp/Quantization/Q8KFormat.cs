using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization;

/// <summary>
/// Q8_K: 256 elements as <c>f32 d; i8 qs[256]; i16 bsums[16]</c> (bsums[k] = sum of codes 16k..16k+15),
/// <c>y = d·q</c>. The activation format of the K-quants and IQ4_XS; the quantizer is llama.cpp's reference
/// one, byte for byte. Its dot product pairs it with itself, which llama.cpp never does, for completeness.
/// </summary>
internal sealed class Q8KFormat : BlockQuantFormat
{
    internal const int CodesOffset = 4;
    internal const int SumsOffset = 260;

    private Q8KFormat()
        : base(GgmlType.Q8_K, GgmlType.Q8_K)
    {
    }

    public static Q8KFormat Instance { get; } = new();

    /// <summary>The block scale (a float, which may be negative).</summary>
    internal static float Scale(ReadOnlySpan<byte> block) => BinaryPrimitives.ReadSingleLittleEndian(block);

    /// <summary>The 256 codes.</summary>
    internal static ReadOnlySpan<sbyte> Codes(ReadOnlySpan<byte> block) =>
        MemoryMarshal.Cast<byte, sbyte>(block.Slice(CodesOffset, 256));

    /// <summary>The sum of the codes of 16-element group <paramref name="k"/>.</summary>
    internal static int GroupSum(ReadOnlySpan<byte> block, int k) =>
        BinaryPrimitives.ReadInt16LittleEndian(block.Slice(SumsOffset + 2 * k, 2));

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Scale(block);
        var qs = Codes(block);
        for (int j = 0; j < 256; j++)
        {
            y[j] = d * qs[j];
        }
    }

    /// <summary>
    /// The element of largest magnitude maps to −127 (so <c>d</c> has the opposite sign of that element); codes
    /// round to nearest with ties to even and are capped at 127. An all-zero block gets d = 0 and zero codes.
    /// </summary>
    protected override void QuantizeBlock(KernelPath path, ReadOnlySpan<float> x, Span<byte> block)
    {
        if (path == KernelPath.Scalar)
        {
            QuantizeBlock(x, block);
        }
        else
        {
            QuantizeBlockSimd(x, block);
        }
    }

    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        float max = 0, amax = 0;
        foreach (float v in x)
        {
            float a = MathF.Abs(v);
            if (a > amax)
            {
                amax = a;
                max = v;
            }
        }
        if (amax == 0)
        {
            block.Clear();
            return;
        }
        float iscale = -127f / max;
        for (int g = 0; g < 16; g++)
        {
            int sum = 0;
            for (int j = 16 * g; j < 16 * g + 16; j++)
            {
                int q = Math.Min(127, (int)MathF.Round(iscale * x[j], MidpointRounding.ToEven));
                block[CodesOffset + j] = (byte)(sbyte)q;
                sum += q;
            }
            BinaryPrimitives.WriteInt16LittleEndian(block.Slice(SumsOffset + 2 * g, 2), (short)sum);
        }
        BinaryPrimitives.WriteSingleLittleEndian(block, 1 / iscale);
    }

    /// <summary>
    /// The reference quantizer with 128-bit registers (portable; every SIMD path runs it), writing the same bytes.
    /// The running maximum per lane takes a value only when it is strictly greater, as the reference does, so NaNs
    /// never enter; the lanes then combine by the same rule (a maximum is exact in any order). The element of
    /// largest magnitude that comes first is found by comparing magnitudes with that maximum. Codes are
    /// <c>x·iscale</c> rounded to nearest even (<c>Vector128.Round</c>, as <see cref="MathF.Round(float)"/>),
    /// converted with saturation (NaN gives 0, as the scalar cast), capped at 127 and narrowed; the group sums are
    /// lane sums.
    /// </summary>
    private static void QuantizeBlockSimd(ReadOnlySpan<float> x, Span<byte> block)
    {
        ref float source = ref MemoryMarshal.GetReference(x);
        var lanes = Vector128<float>.Zero;
        for (int i = 0; i < 256; i += 4)
        {
            var a = Vector128.Abs(Vector128.LoadUnsafe(ref source, (nuint)i));
            lanes = Vector128.ConditionalSelect(Vector128.GreaterThan(a, lanes), a, lanes);
        }
        float amax = 0;
        for (int i = 0; i < Vector128<float>.Count; i++)
        {
            amax = lanes.GetElement(i) > amax ? lanes.GetElement(i) : amax;
        }
        if (amax == 0)
        {
            block.Clear();
            return;
        }
        var target = Vector128.Create(amax);
        int first = 0;
        while (!Vector128.EqualsAny(Vector128.Abs(Vector128.LoadUnsafe(ref source, (nuint)first)), target))
        {
            first += 4;
        }
        first += BitOperations.TrailingZeroCount(Vector128.Equals(Vector128.Abs(Vector128.LoadUnsafe(ref source, (nuint)first)), target).ExtractMostSignificantBits());
        float iscale = -127f / x[first];
        var scale = Vector128.Create(iscale);
        var cap = Vector128.Create(127);
        ref byte codes = ref block[CodesOffset];
        for (int g = 0; g < 16; g++)
        {
            var q0 = Vector128.Min(Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadUnsafe(ref source, (nuint)(16 * g)) * scale)), cap);
            var q1 = Vector128.Min(Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadUnsafe(ref source, (nuint)(16 * g + 4)) * scale)), cap);
            var q2 = Vector128.Min(Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadUnsafe(ref source, (nuint)(16 * g + 8)) * scale)), cap);
            var q3 = Vector128.Min(Vector128.ConvertToInt32(Vector128.Round(Vector128.LoadUnsafe(ref source, (nuint)(16 * g + 12)) * scale)), cap);
            Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).AsByte().StoreUnsafe(ref codes, (nuint)(16 * g));
            BinaryPrimitives.WriteInt16LittleEndian(block.Slice(SumsOffset + 2 * g, 2), (short)Vector128.Sum((q0 + q1) + (q2 + q3)));
        }
        BinaryPrimitives.WriteSingleLittleEndian(block, 1 / iscale);
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qw = Codes(weights);
        var qa = Codes(activations);
        int sum = 0;
        for (int j = 0; j < 256; j++)
        {
            sum += qw[j] * qa[j];
        }
        return Scale(weights) * Scale(activations) * sum;
    }
}
