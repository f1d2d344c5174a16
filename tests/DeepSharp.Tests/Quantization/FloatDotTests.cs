using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// The float formats' SIMD dots (widen, then <c>TensorPrimitives.Dot</c> in float lanes) against the scalar
/// reference, which sums in double: products of widened values are exact in float, so the two differ only by the
/// float additions, at most about <c>(n/8 + 16)·2^-24·Σ|w·a|</c> for lane sums of n/8 terms and the reduction.
/// </summary>
public sealed class FloatDotTests
{
    public static TheoryData<GgmlType, KernelPath> Paths()
    {
        var data = new TheoryData<GgmlType, KernelPath>();
        foreach (var type in (GgmlType[])[GgmlType.F32, GgmlType.F16, GgmlType.BF16])
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
    public void Dot_IsWithinFloatRoundingOfTheReference(GgmlType type, KernelPath path)
    {
        var format = (IPathFormat)QuantFormats.Get(type);
        foreach (int n in (int[])[0, 1, 7, 8, 15, 16, 17, 255, 256, 257, 1000, 4099])
        {
            var x = TestRows.Gaussian(n, seed: n);
            var y = TestRows.Gaussian(n, seed: n + 1).Select(v => v + 0.3f).ToArray();
            var weights = new byte[format.RowBytes(n)];
            var acts = new byte[format.ActivationBytes(n)];
            format.Quantize(x, weights);
            format.QuantizeActivations(y, acts);
            float reference = format.Dot(KernelPath.Scalar, weights, acts, n);
            float simd = format.Dot(path, weights, acts, n);
            double tolerance = (n / 8.0 + 16) * Math.Pow(2, -24) * KernelTestData.Magnitude(format, weights, acts, n);
            Assert.True(Math.Abs(simd - reference) <= tolerance, $"{type} on {path}, n = {n}: {simd} vs {reference}, tolerance {tolerance}");
        }
    }
}
