using System.Runtime.Intrinsics;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>Path selection, the runtime switches that CI uses to exercise the narrower paths, and the half widening the kernels rely on.</summary>
public sealed class KernelPathTests
{
    [Fact]
    public void Best_IsSupported_AndScalarAlwaysIs()
    {
        Assert.True(KernelPaths.IsSupported(KernelPaths.Best));
        Assert.Equal(KernelPath.Scalar, KernelPaths.Supported[0]);
        Assert.Contains(KernelPaths.Best, KernelPaths.Supported);
        Assert.Equal(KernelPaths.Supported.Max(), KernelPaths.Best);
    }

    [Fact]
    public void RuntimeSwitches_TakeTheWiderPathsAway()
    {
        // .ci/run repeats the quantization tests under these variables; check that they really narrow the choice.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.NotEqual(KernelPath.Avx512, KernelPaths.Best);
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512v2") == "0")
        {
            Assert.False(System.Runtime.Intrinsics.X86.Avx512Vbmi.IsSupported, "AVX-512 VBMI still on");
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.True(KernelPaths.Best <= KernelPath.Vector128, $"best path {KernelPaths.Best} with AVX2 disabled");
        }
    }

    [Fact]
    public void Active_RefusesUnsupportedPaths()
    {
        foreach (var path in Enum.GetValues<KernelPath>().Where(p => !KernelPaths.IsSupported(p)))
        {
            var e = Assert.Throws<NotSupportedException>(() => KernelPaths.Active = path);
            Assert.Contains(path.ToString(), e.Message);
            var format = (IPathFormat)QuantFormats.Get(GgmlType.Q4_K);
            Assert.Throws<NotSupportedException>(() => format.Dot(path, new byte[144], new byte[292], 256));
        }
        Assert.Equal(KernelPaths.Best, KernelPaths.Active);
    }

    [Fact]
    public void Fp16ToSingle_EqualsTheRuntimeConversion_ForEveryPattern()
    {
        for (int bits = 0; bits < 65536; bits++)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
            float actual = Fp16.ToSingle((ushort)bits);
            Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual), $"0x{bits:X4}: {actual} vs {expected}");
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void Fp16ToSingle_OnVectors_EqualsTheScalarForm_ForEveryPattern(int lanes)
    {
        var patterns = Enumerable.Range(0, 65536).Select(b => (uint)b).ToArray();
        var widened = new float[lanes];
        for (int first = 0; first < 65536; first += lanes)
        {
            var group = patterns.AsSpan(first, lanes);
            switch (lanes)
            {
                case 4: Fp16.ToSingle(Vector128.Create(group)).CopyTo(widened); break;
                case 8: Fp16.ToSingle(Vector256.Create(group)).CopyTo(widened); break;
                default: Fp16.ToSingle(Vector512.Create(group)).CopyTo(widened); break;
            }
            for (int i = 0; i < lanes; i++)
            {
                float expected = Fp16.ToSingle((ushort)(first + i));
                Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(widened[i]), $"0x{first + i:X4}, {lanes} lanes");
            }
        }
    }

    [Fact]
    public void Fp16Widen_EqualsToSingle_ForEveryPatternAndTail()
    {
        var all = Enumerable.Range(0, 65536).Select(b => (ushort)b).ToArray();
        foreach (int length in (int[])[65536, 65533, 7, 3, 1, 0])
        {
            var widened = new float[length];
            Fp16.Widen(all.AsSpan(65536 - length), widened);
            for (int i = 0; i < length; i++)
            {
                ushort bits = all[65536 - length + i];
                Assert.True(BitConverter.SingleToUInt32Bits(Fp16.ToSingle(bits)) == BitConverter.SingleToUInt32Bits(widened[i]), $"0x{bits:X4}, length {length}");
            }
        }
    }

    [Fact]
    public void Fp16WidenStrided_ReadsEveryStride()
    {
        var rng = new Random(3);
        var blocks = new byte[34 * 150];
        rng.NextBytes(blocks);
        var widened = new float[150];
        Fp16.WidenStrided(ref blocks[2], 34, widened);
        for (int b = 0; b < 150; b++)
        {
            Assert.Equal(Fp16.Read(blocks, 34 * b + 2), widened[b]);
        }
    }

    [Fact]
    public void Bf16Widen_EqualsToSingle_ForEveryPattern()
    {
        var all = Enumerable.Range(0, 65536).Select(b => (ushort)b).ToArray();
        var widened = new float[65535];
        Bf16.Widen(all.AsSpan(1), widened);
        for (int i = 0; i < widened.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(Bf16.ToSingle(all[i + 1])), BitConverter.SingleToUInt32Bits(widened[i]));
        }
    }
}
