using System.Runtime.InteropServices;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>F16 and BF16 conversions: every bit pattern against the IEEE definition, and the awkward cases.</summary>
public sealed class HalfConversionTests
{
    [Fact]
    public void Fp16_EveryPatternWidensAsIeeeBinary16()
    {
        for (int bits = 0; bits < 65536; bits++)
        {
            int sign = bits >> 15, exp = (bits >> 10) & 31, man = bits & 1023;
            float f = Fp16.ToSingle((ushort)bits);
            if (exp == 31)
            {
                Assert.True(man == 0 ? float.IsInfinity(f) : float.IsNaN(f), $"0x{bits:X4}");
                continue;
            }
            double expected = exp == 0 ? Math.ScaleB(man, -24) : Math.ScaleB(1024 + man, exp - 25);
            Assert.Equal(sign == 1 ? -expected : expected, (double)f);
            Assert.Equal(sign == 1, float.IsNegative(f));
            Assert.Equal((ushort)bits, Fp16.FromSingle(f)); // every half survives the trip through float
        }
    }

    /// <summary>
    /// The kernels' readers of block scales take a cheaper conversion unless a lane holds infinity or NaN: every
    /// pattern in every lane, beside finite neighbours, must widen to the scalar conversion's bits either way.
    /// </summary>
    [Fact]
    public void Fp16_BlockScaleReadersWidenEveryPatternInEveryLane()
    {
        var halves = new ushort[4];
        for (int bits = 0; bits < 65536; bits++)
        {
            for (int lane = 0; lane < 4; lane++)
            {
                Array.Fill(halves, (ushort)0x3C00);
                halves[lane] = (ushort)bits;
                var bytes = MemoryMarshal.AsBytes(halves.AsSpan());
                var four = Fp16.ReadFour(ref bytes[0], 2);
                var twoPairs = Fp16.ReadTwoPairs(ref bytes[0], 4);
                var pair = Fp16.ReadPair(ref bytes[0], 4 * (lane / 2));
                for (int k = 0; k < 4; k++)
                {
                    uint expected = BitConverter.SingleToUInt32Bits(Fp16.ToSingle(halves[k]));
                    Assert.True(expected == BitConverter.SingleToUInt32Bits(four[k]), $"ReadFour lane {k} of 0x{bits:X4} in lane {lane}");
                    Assert.True(expected == BitConverter.SingleToUInt32Bits(twoPairs[k]), $"ReadTwoPairs lane {k} of 0x{bits:X4} in lane {lane}");
                }
                for (int k = 0; k < 2; k++)
                {
                    uint expected = BitConverter.SingleToUInt32Bits(Fp16.ToSingle(halves[2 * (lane / 2) + k]));
                    Assert.True(expected == BitConverter.SingleToUInt32Bits(pair[k]), $"ReadPair lane {k} of 0x{bits:X4} in lane {lane}");
                }
            }
        }
    }

    [Theory]
    [InlineData(0x3F801000u, 0x3C00)] // 1 + 2^-11: halfway between 1 and 1 + 2^-10, ties to even (down)
    [InlineData(0x3F803000u, 0x3C02)] // 1 + 3·2^-11: halfway, ties to even (up)
    [InlineData(0x3F801001u, 0x3C01)] // just above halfway
    [InlineData(0x477FF000u, 0x7C00)] // 65520: halfway between 65504 and 65536 rounds up, to infinity
    [InlineData(0x477FEFFFu, 0x7BFF)] // just below: 65504
    [InlineData(0x33800000u, 0x0001)] // 2^-24: smallest subnormal
    [InlineData(0x33000000u, 0x0000)] // 2^-25: halfway to the smallest subnormal, ties to even (zero)
    [InlineData(0x33C00000u, 0x0002)] // 3·2^-25: halfway between 1 and 2 subnormal steps, ties to even (2)
    [InlineData(0x387FC000u, 0x03FF)] // largest subnormal
    [InlineData(0x80000000u, 0x8000)] // -0
    [InlineData(0xFF800000u, 0xFC00)] // -inf
    public void Fp16_RoundsToNearestEven(uint f32, int f16) =>
        Assert.Equal((ushort)f16, Fp16.FromSingle(BitConverter.UInt32BitsToSingle(f32)));

    [Fact]
    public void Fp16_NaNStaysNaN()
    {
        foreach (uint nan in (uint[])[0x7FC00000, 0x7F800001, 0xFFC00001])
        {
            ushort h = Fp16.FromSingle(BitConverter.UInt32BitsToSingle(nan));
            Assert.True((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0, $"0x{nan:X8} -> 0x{h:X4}");
            Assert.Equal(nan >> 31, (uint)h >> 15);
        }
    }

    [Theory]
    [InlineData(0x3F808000u, 0x3F80)] // tie, even below
    [InlineData(0x3F818000u, 0x3F82)] // tie, odd below: rounds up
    [InlineData(0x3F808001u, 0x3F81)] // above the tie
    [InlineData(0x3F807FFFu, 0x3F80)] // below the tie
    [InlineData(0xBF818000u, 0xBF82)] // negative tie
    [InlineData(0x7F7FFFFFu, 0x7F80)] // largest float rounds to infinity
    [InlineData(0x7F7F7FFFu, 0x7F7F)] // but not below the tie
    [InlineData(0x00400000u, 0x0040)] // subnormals are kept
    [InlineData(0x807FFFFFu, 0x8080)] // largest negative subnormal rounds up to the smallest normal
    [InlineData(0x00008000u, 0x0000)] // tiny subnormal tie to even: zero
    [InlineData(0x7F800000u, 0x7F80)] // inf
    [InlineData(0x7F800001u, 0x7FC0)] // signalling NaN becomes quiet, not infinity
    [InlineData(0xFFC00001u, 0xFFC0)] // negative NaN keeps its sign
    public void Bf16_RoundsToNearestEven(uint f32, int bf16) =>
        Assert.Equal((ushort)bf16, Bf16.FromSingle(BitConverter.UInt32BitsToSingle(f32)));

    [Fact]
    public void Bf16_EveryPatternWidensExactlyAndSurvivesTheTrip()
    {
        for (int bits = 0; bits < 65536; bits++)
        {
            float f = Bf16.ToSingle((ushort)bits);
            int sign = bits >> 15, exp = (bits >> 7) & 255, man = bits & 127;
            if (exp == 255)
            {
                Assert.True(man == 0 ? float.IsInfinity(f) : float.IsNaN(f), $"0x{bits:X4}");
                continue;
            }
            double expected = exp == 0 ? Math.ScaleB(man, -133) : Math.ScaleB(128 + man, exp - 134);
            Assert.Equal(sign == 1 ? -expected : expected, (double)f);
            Assert.Equal((ushort)bits, Bf16.FromSingle(f));
        }
    }

    [Theory]
    [InlineData(1.0f, 0x3C00)]
    [InlineData(0.0999f, 0x2E65)]
    public void AwayFromZero_NeverRoundsTowardsZero(float value, int expectedAtLeast)
    {
        var h = Fp16.AwayFromZero(value);
        Assert.True((float)h >= value);
        Assert.True(BitConverter.HalfToUInt16Bits(h) >= expectedAtLeast);
        var n = Fp16.AwayFromZero(-value);
        Assert.True((float)n <= -value);
        Assert.Equal(-(float)h, (float)n);
    }
}
