using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// The SIMD activation quantizers (Q8_0, Q8_1, Q8_K) write the scalar reference's bytes exactly, on rows chosen
/// to hit their rounding rules: halves away from zero for Q8_0/Q8_1, halves to even for Q8_K, the first element
/// of largest magnitude, NaN, infinity, signed zeros and subnormals.
/// </summary>
public sealed class ActivationQuantizerTests
{
    public static TheoryData<GgmlType, KernelPath> Paths()
    {
        var data = new TheoryData<GgmlType, KernelPath>();
        foreach (var type in (GgmlType[])[GgmlType.Q8_0, GgmlType.Q8_1, GgmlType.Q8_K])
        {
            foreach (var path in KernelPaths.Supported)
            {
                data.Add(type, path);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Quantize_WritesTheReferenceBytes(GgmlType type, KernelPath path)
    {
        var format = (IPathFormat)QuantFormats.Get(type);
        foreach (var (name, row) in Rows(format.BlockSize))
        {
            var expected = new byte[format.RowBytes(row.Length)];
            var actual = new byte[expected.Length];
            format.Quantize(KernelPath.Scalar, row, expected);
            format.Quantize(path, row, actual);
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                Assert.Fail($"{type} on {path}, row '{name}': first difference at byte {FirstDifference(expected, actual)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void QuantizeActivations_WritesTheSameBytesOnEveryPath(GgmlType type, KernelPath path)
    {
        var format = QuantFormats.Get(type);
        foreach (var (name, row) in Rows(format.BlockSize))
        {
            var expected = new byte[format.RowBytes(row.Length)];
            var actual = new byte[expected.Length];
            ActivationQuantizer.Quantize(KernelPath.Scalar, type, row, expected);
            ActivationQuantizer.Quantize(path, type, row, actual);
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                Assert.Fail($"{type} activations on {path}, row '{name}': first difference at byte {FirstDifference(expected, actual)}");
            }
        }
    }

    [Fact]
    public void ActivationRounding_IsLlamaCppsX86Rule()
    {
        // With max|x| = 127 the multiplier 127/max is 1, so the codes are x rounded with halves to even (ggml's x86
        // quantize_row_q8_0 uses _mm256_round_ps with _MM_ROUND_NEAREST), where the reference gives 3, −3, 1, 4.
        var x = new float[32];
        x[0] = 127;
        float[] ties = [2.5f, -2.5f, 0.5f, 3.5f];
        ties.CopyTo(x, 1);
        foreach (var (dotType, codesAt) in new[] { (GgmlType.Q8_0, 2), (GgmlType.Q8_1, 4) })
        {
            foreach (var path in KernelPaths.Supported)
            {
                var block = new byte[QuantFormats.Get(dotType).BlockBytes];
                ActivationQuantizer.Quantize(path, dotType, x, block);
                Assert.Equal([127, 2, -2, 0, 4], block.Skip(codesAt).Take(5).Select(b => (int)(sbyte)b));
            }
        }
    }

    [Fact]
    public void RoundingRules_AreTheReferenceOnes()
    {
        // Independent of any quantizer code: with max|x| = 127 the Q8_0 scale is 1 and x·(1/d) = x, so the codes
        // are x rounded with halves away from zero; with max = −127 the Q8_K scale is 1 and halves go to even.
        float[] ties = [2.5f, -2.5f, 0.5f, 3.5f];
        Assert.Equal([127, 3, -3, 1, 4], Codes(GgmlType.Q8_0, 32, 127, ties, codesAt: 2));
        Assert.Equal([-127, 2, -2, 0, 4], Codes(GgmlType.Q8_K, 256, -127, ties, codesAt: 4));
    }

    /// <summary>The first codes of one block whose first element is <paramref name="first"/>, followed by <paramref name="rest"/>.</summary>
    private static IEnumerable<int> Codes(GgmlType type, int blockSize, float first, float[] rest, int codesAt)
    {
        var x = new float[blockSize];
        x[0] = first;
        rest.CopyTo(x, 1);
        var format = QuantFormats.Get(type);
        var block = new byte[format.BlockBytes];
        format.Quantize(x, block);
        return block.Skip(codesAt).Take(rest.Length + 1).Select(b => (int)(sbyte)b);
    }

    /// <summary>Named rows of whole blocks.</summary>
    private static IEnumerable<(string Name, float[] Row)> Rows(int blockSize)
    {
        int n = 8 * 256;
        yield return ("gaussian", TestRows.Gaussian(n, seed: 5));
        yield return ("outlier", TestRows.WithOutlier(n, seed: 6));
        yield return ("zeros", new float[n]);
        yield return ("negative zeros", TestRows.Constant(n, -0f));
        yield return ("constant", TestRows.Constant(n, -3.25f));
        yield return ("subnormals", Enumerable.Range(0, n).Select(i => BitConverter.Int32BitsToSingle(i % 97 + 1) * (i % 2 == 0 ? 1 : -1)).ToArray());
        yield return ("huge", Enumerable.Range(0, n).Select(i => (i % 7 - 3) * 1e37f).ToArray());

        // Halves in every position: scale 1 (max|x| = 127, or max = -127 for Q8_K) and values k + 0.5.
        var ties = new float[n];
        for (int i = 0; i < n; i++)
        {
            ties[i] = i % blockSize == 0 ? (blockSize == 256 ? -127 : 127) : (i % 253 - 126) + 0.5f * Math.Sign(i % 3 - 1);
        }
        yield return ("ties", ties);

        // Equal magnitudes of both signs: the first one decides the sign of the Q8_K scale.
        var signs = TestRows.Gaussian(n, seed: 7);
        for (int b = 0; b < n; b += blockSize)
        {
            signs[b + 3] = 40;
            signs[b + blockSize - 2] = -40;
            if (b % 512 == 0)
            {
                (signs[b + 3], signs[b + blockSize - 2]) = (-40, 40);
            }
        }
        yield return ("tied maxima", signs);

        var special = TestRows.Gaussian(n, seed: 8);
        special[5] = float.NaN;
        special[blockSize + 9] = float.PositiveInfinity;
        special[2 * blockSize + 1] = float.NegativeInfinity;
        special[3 * blockSize] = float.NaN;
        special[3 * blockSize + 1] = 1e30f;
        special[4 * blockSize + 2] = float.NaN;
        special[4 * blockSize + 3] = float.PositiveInfinity;
        yield return ("nan and infinity", special);
    }

    private static int FirstDifference(byte[] x, byte[] y) => Enumerable.Range(0, x.Length).First(i => x[i] != y[i]);
}
