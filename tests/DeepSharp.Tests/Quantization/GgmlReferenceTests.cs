using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>DeepSharp's formats against numbers produced by llama.cpp's ggml library itself.</summary>
public sealed class GgmlReferenceTests
{
    private static GgmlReference Ref => GgmlReference.Instance;

    public static TheoryData<GgmlType> BlockTypes =>
    [
        GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K,
        GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q8_K, GgmlType.IQ4_NL, GgmlType.IQ4_XS,
    ];

    public static TheoryData<GgmlType> DotTypes =>
    [
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
        GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_NL,
        GgmlType.IQ4_XS,
    ];

    [Theory]
    [MemberData(nameof(BlockTypes))]
    public void Dequantize_EqualsGgmlBitForBit(GgmlType type)
    {
        var c = Ref.Cases[type];
        var format = QuantFormats.Get(type);
        AssertSameBits(c.QuantDeq!, Decode(format, c.Quant!), $"{type} ggml-quantised blocks");
        AssertSameBits(c.RandDeq!, Decode(format, c.Rand!), $"{type} random blocks");
    }

    [Theory]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q8_1)]
    [InlineData(GgmlType.Q8_K)]
    public void ActivationQuantizer_EqualsGgmlByteForByte(GgmlType type)
    {
        var format = QuantFormats.Get(type);
        // Y contains blocks whose scaled values fall exactly on .5, which separate the rounding rules.
        Assert.Equal(Ref.Activations[type], Encode(format, Ref.Y));
        Assert.Equal(Ref.Cases[type].Quant, Encode(format, Ref.X));
    }

    [Fact]
    public void Q8_1_DecodesAsItsScaleTimesCodes()
    {
        // ggml has no Q8_1 decoder; check the ggml-encoded blocks against the layout directly: d·q, and s = d·Σq.
        var blocks = Ref.Cases[GgmlType.Q8_1].Quant!;
        var y = Decode(QuantFormats.Get(GgmlType.Q8_1), blocks);
        for (int b = 0; b < blocks.Length / 36; b++)
        {
            var block = blocks.AsSpan(36 * b, 36);
            float d = (float)BitConverter.ToHalf(block[..2]);
            int sum = 0;
            for (int j = 0; j < 32; j++)
            {
                Assert.Equal((sbyte)block[4 + j] * d, y[32 * b + j]);
                sum += (sbyte)block[4 + j];
            }
            Assert.Equal(sum * d, (float)BitConverter.ToHalf(block[2..4]), 0.002f * MathF.Abs(sum * d) + 1e-6f);
        }
    }

    [Theory]
    [MemberData(nameof(DotTypes))]
    public void Dot_AgreesWithGgmlScalarKernel(GgmlType type)
    {
        var c = Ref.Cases[type];
        var format = QuantFormats.Get(type);
        Assert.Equal(c.DotType, format.DotType);
        byte[] weights = c.Quant ?? Encode(format, Ref.X); // F32 rows are stored as themselves
        byte[] acts = Ref.Activations.TryGetValue(format.DotType, out var a) ? a : Encode(QuantFormats.Get(format.DotType), Ref.Y);
        AssertDot(c.DotQuant!.Value, format, weights, acts);
        if (c.Rand is not null)
        {
            AssertDot(c.DotRand!.Value, format, c.Rand, acts);
        }
    }

    [Theory]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.BF16)]
    public void HalfFormats_EncodeAsGgml(GgmlType type)
    {
        var format = QuantFormats.Get(type);
        Assert.Equal(Ref.Cases[type].Quant, Encode(format, Ref.X));
        AssertSameBits(Ref.Cases[type].QuantDeq!, Decode(format, Ref.Cases[type].Quant!), type.ToString());
    }

    [Fact]
    public void Conversions_MatchGgmlOnAwkwardFloats()
    {
        foreach (var c in Ref.Conversions)
        {
            float f = BitConverter.UInt32BitsToSingle(c.F32);
            Assert.True(c.BF16 == Bf16.FromSingle(f), $"bf16 of 0x{c.F32:X8}: ggml 0x{c.BF16:X4}, ours 0x{Bf16.FromSingle(f):X4}");
            ushort h = Fp16.FromSingle(f);
            if (float.IsNaN(f))
            {
                // ggml writes one canonical quiet NaN; System.Half keeps payload bits. Both are NaN of the same sign.
                Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf(h)) && (h >> 15) == (c.F16 >> 15), $"f16 of 0x{c.F32:X8}");
            }
            else
            {
                Assert.True(c.F16 == h, $"f16 of 0x{c.F32:X8}: ggml 0x{c.F16:X4}, ours 0x{h:X4}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(BlockTypes))]
    public void WeightQuantizer_IsAtLeastAsAccurateAsGgmlReference(GgmlType type)
    {
        var c = Ref.Cases[type];
        if (c.QuantDeq is null)
        {
            return; // Q8_1: no ggml decoder
        }
        var format = QuantFormats.Get(type);
        double ours = QuantStats.RelativeRmse(Ref.X, Decode(format, Encode(format, Ref.X)));
        double ggml = QuantStats.RelativeRmse(Ref.X, c.QuantDeq);
        // Stated bound: no worse than llama.cpp's own reference quantizer on the same data (1 % slack).
        Assert.True(ours <= ggml * 1.01 + 1e-7, $"{type}: relative RMSE ours {ours:P3}, ggml {ggml:P3}");
    }

    internal static float[] Decode(IQuantFormat format, byte[] blocks)
    {
        var y = new float[blocks.Length / format.BlockBytes * format.BlockSize];
        format.Dequantize(blocks, y);
        return y;
    }

    internal static byte[] Encode(IQuantFormat format, float[] x)
    {
        var bytes = new byte[format.RowBytes(x.Length)];
        format.Quantize(x, bytes);
        return bytes;
    }

    private static void AssertDot(float expected, IQuantFormat format, byte[] weights, byte[] acts)
    {
        int n = weights.Length / format.BlockBytes * format.BlockSize;
        float ours = format.Dot(weights, acts, n);
        // Both sides sum exact integer block products; they differ only in the order float terms are added.
        var w = Decode(format, weights);
        var a = Decode(QuantFormats.Get(format.DotType), acts);
        double magnitude = 0;
        for (int i = 0; i < n; i++)
        {
            magnitude += Math.Abs((double)w[i] * a[i]);
        }
        Assert.True(Math.Abs(ours - expected) <= 2e-6 * magnitude, $"{format.Type}: ours {ours}, ggml {expected}, scale {magnitude}");
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, ggml gives {expected[i]:R}");
            }
        }
    }
}
