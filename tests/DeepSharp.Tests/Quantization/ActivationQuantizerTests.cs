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

    [Fact]
    public void RoundingRules_AreTheReferenceOnes()
    {
        // Independent of any quantizer code: with max|x| = 127 the Q8_0 scale is 1 and x·(1/d) = x, so the codes
        // are x rounded with halves away from zero; with max = −127 the Q8_K scale is 1 and halves go to even.
        var x = new float[32];
        x[0] = 127;
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = 0.5f;
        x[4] = 3.5f;
        var q8 = new byte[34];
        QuantFormats.Get(GgmlType.Q8_0).Quantize(x, q8);
        Assert.Equal([127, 3, -3, 1, 4], q8.AsSpan(2, 5).ToArray().Select(b => (int)(sbyte)b));

        var y = new float[256];
        y[0] = -127;
        y[1] = 2.5f;
        y[2] = -2.5f;
        y[3] = 0.5f;
        y[4] = 3.5f;
        var q8k = new byte[292];
        QuantFormats.Get(GgmlType.Q8_K).Quantize(y, q8k);
        Assert.Equal([-127, 2, -2, 0, 4], q8k.AsSpan(4, 5).ToArray().Select(b => (int)(sbyte)b));
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
