using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// Every SIMD path of every block format against the scalar reference. The integer sums must agree exactly: the
/// 128-bit K-quant and IQ4_XS kernels reproduce the reference's float bit for bit, and the kernels that add their
/// floats in another order (the 32-element ones, and the wider 256-element ones, which keep lane sums across blocks)
/// must do so whenever every float operation is exact (unit scales, sums below 2^24). With random scales they must
/// stay within the float rounding of the sum.
/// </summary>
public sealed class SimdDotTests
{
    private const double Epsilon = 1.0 / (1 << 24); // float unit roundoff

    public static TheoryData<GgmlType, KernelPath> Paths => KernelTestData.BlockFormatPaths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Dot_EqualsTheScalarReference_ForOneToFortyBlocks(GgmlType type, KernelPath path)
    {
        var format = (IPathFormat)QuantFormats.Get(type);
        var rng = new Random(1000 + (int)type);
        for (int blocks = 1; blocks <= 40; blocks++)
        {
            int n = blocks * format.BlockSize;
            var weights = KernelTestData.RandomWeights(format, blocks, rng);
            var acts = KernelTestData.QuantizedActivations(format, n, seed: blocks);
            float reference = format.Dot(KernelPath.Scalar, weights, acts, n);
            float simd = format.Dot(path, weights, acts, n);
            if (KernelTestData.IsBitExact(type, path))
            {
                Assert.True(BitEqual(reference, simd), $"{type} on {path}, {blocks} blocks: {simd} differs from the reference {reference}");
            }
            else
            {
                // Each path rounds every block term once or twice and adds at most blocks + 16 terms and lane sums.
                double tolerance = 2 * (blocks + 16) * Epsilon * KernelTestData.Magnitude(format, weights, acts, n);
                Assert.True(Math.Abs(simd - reference) <= tolerance,
                    $"{type} on {path}, {blocks} blocks: {simd} vs reference {reference}, tolerance {tolerance}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Dot_WithUnitScales_IsExactOnEveryPath(GgmlType type, KernelPath path)
    {
        // Scales of 1 make every block term an integer and every partial sum an integer below 2^24, so float
        // additions are exact in any order: any slip in an integer sum would show.
        var format = (IPathFormat)QuantFormats.Get(type);
        var rng = new Random(2000 + (int)type);
        int blocks = format.BlockSize == 32 ? 24 : 3;
        int n = blocks * format.BlockSize;
        for (int trial = 0; trial < 8; trial++)
        {
            var weights = KernelTestData.RandomWeights(format, blocks, rng, unitScales: true);
            var acts = KernelTestData.CodedActivations(format, n, _ => (sbyte)rng.Next(-127, 128));
            if (!KernelTestData.IsBitExact(type, path) && Bound(format, weights, acts, n) >= (1 << 24))
            {
                // Paths that add floats in their own order are exact only below 2^24: smaller activation codes.
                acts = KernelTestData.CodedActivations(format, n, _ => (sbyte)rng.Next(-7, 8));
            }
            float reference = format.Dot(KernelPath.Scalar, weights, acts, n);
            Assert.True(Bound(format, weights, acts, n) < (1 << 24) || KernelTestData.IsBitExact(type, path), "test rows too large for exact floats");
            Assert.True(BitEqual(reference, format.Dot(path, weights, acts, n)), $"{type} on {path}: {format.Dot(path, weights, acts, n)} vs {reference}");
            if (format.DotType != GgmlType.Q8_1 && Bound(format, weights, acts, n) < (1 << 24))
            {
                // Independently of any dot kernel: the decoded rows multiplied out (Q8_1's stored sum is a rounded half, so not for it).
                Assert.Equal((float)KernelTestData.DecodedProducts(format, weights, acts, n).Sum, reference);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Dot_OnExtremeCodesAndZeroScales_EqualsTheReference(GgmlType type, KernelPath path)
    {
        var format = (IPathFormat)QuantFormats.Get(type);
        int blocks = format.BlockSize == 32 ? 8 : 2;
        int n = blocks * format.BlockSize;
        Func<int, sbyte>[] activationCodes = [_ => 127, _ => -127, i => (sbyte)(i % 2 == 0 ? 127 : -127), i => (sbyte)((i * 37 % 255) - 127), _ => 0];
        foreach (byte fill in (byte[])[0x00, 0xFF, 0x80, 0x7F, 0x55, 0xAA, 0x0F, 0xF0])
        {
            foreach (float scale in (float[])[1, 0, -0.5f])
            {
                var weights = KernelTestData.FilledWeights(format, blocks, fill, scale);
                foreach (var code in activationCodes)
                {
                    var acts = KernelTestData.CodedActivations(format, n, code);
                    float reference = format.Dot(KernelPath.Scalar, weights, acts, n);
                    float simd = format.Dot(path, weights, acts, n);
                    double tolerance = KernelTestData.IsBitExact(type, path) ? 0 : 2 * (blocks + 16) * Epsilon * KernelTestData.Magnitude(format, weights, acts, n);
                    Assert.True(BitEqual(reference, simd) || Math.Abs(simd - reference) <= tolerance,
                        $"{type} on {path}, bytes 0x{fill:X2}, scale {scale}: {simd} vs {reference}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Dot_OnQuantizedGaussianRows_EqualsTheReference(GgmlType type, KernelPath path)
    {
        // Weights from the reference quantizer, as a model file holds them, rather than random bytes.
        var format = (IPathFormat)QuantFormats.Get(type);
        int n = 2048;
        var weights = new byte[format.RowBytes(n)];
        format.Quantize(KernelPath.Scalar, TestRows.Gaussian(n, seed: 77), weights);
        var acts = KernelTestData.QuantizedActivations(format, n, seed: 78);
        float reference = format.Dot(KernelPath.Scalar, weights, acts, n);
        float simd = format.Dot(path, weights, acts, n);
        double tolerance = KernelTestData.IsBitExact(type, path) ? 0 : 2 * (n / 32 + 16) * Epsilon * KernelTestData.Magnitude(format, weights, acts, n);
        Assert.True(Math.Abs(simd - reference) <= tolerance, $"{type} on {path}: {simd} vs {reference}");
    }

    private static bool BitEqual(float x, float y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y);

    /// <summary>Largest partial sum any summation order can reach: Σ|w·a| over the decoded rows, plus Q8_1's stored sums.</summary>
    private static double Bound(IQuantFormat format, byte[] weights, byte[] acts, int n) =>
        KernelTestData.Magnitude(format, weights, acts, n) + (format.DotType == GgmlType.Q8_1 ? 32 * 127.0 * n / 32 : 0);
}
