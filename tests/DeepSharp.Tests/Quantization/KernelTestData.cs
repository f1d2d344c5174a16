using System.Buffers.Binary;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// Rows for the kernel-path tests: weight rows of random bytes (every code and packed integer scale occurs) with
/// the float scales set to moderate values, and activation rows from the scalar activation quantizer or built
/// code by code.
/// </summary>
internal static class KernelTestData
{
    /// <summary>The block formats whose 128-bit kernels reproduce the scalar reference bit for bit.</summary>
    private static readonly GgmlType[] s_bitExact =
        [GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_XS, GgmlType.Q8_1, GgmlType.Q8_K];

    /// <summary>The 256-element formats whose AVX2 and AVX-512 kernels keep float lane sums across blocks.</summary>
    private static readonly GgmlType[] s_laneAccumulated =
        [GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_XS];

    /// <summary>
    /// Whether <paramref name="type"/> on <paramref name="path"/> reproduces the scalar reference bit for bit: the
    /// K-quants and IQ4_XS do on the 128-bit path, which finishes every block in the reference's float order; their
    /// wider paths add blocks in float lanes and equal the reference up to rounding.
    /// </summary>
    public static bool IsBitExact(GgmlType type, KernelPath path) =>
        path == KernelPath.Scalar
        || (s_bitExact.Contains(type) && !(s_laneAccumulated.Contains(type) && path is KernelPath.Avx2 or KernelPath.AvxVnni or KernelPath.Avx512));

    /// <summary>Every block format (not the plain float ones).</summary>
    public static IEnumerable<IPathFormat> BlockFormats =>
        QuantFormats.All.Where(f => f.BlockSize > 1).Cast<IPathFormat>();

    /// <summary>Every block format on every path this machine supports, the scalar one included.</summary>
    public static TheoryData<GgmlType, KernelPath> BlockFormatPaths()
    {
        var data = new TheoryData<GgmlType, KernelPath>();
        foreach (var format in BlockFormats)
        {
            foreach (var path in KernelPaths.Supported)
            {
                data.Add(format.Type, path);
            }
        }
        return data;
    }

    /// <summary>
    /// Byte offsets of the float scales in a weight block (FACTS.md §2): halves, except Q8_K's f32. Tests set these
    /// to chosen values; every other byte may be anything.
    /// </summary>
    public static (int[] Halves, int Single) ScaleFields(GgmlType type) => type switch
    {
        GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q8_0 or GgmlType.IQ4_NL or GgmlType.IQ4_XS => ([0], -1),
        GgmlType.Q4_1 or GgmlType.Q5_1 or GgmlType.Q8_1 or GgmlType.Q4_K or GgmlType.Q5_K => ([0, 2], -1),
        GgmlType.Q2_K => ([80, 82], -1),
        GgmlType.Q3_K => ([108], -1),
        GgmlType.Q6_K => ([208], -1),
        GgmlType.Q8_K => ([], 0),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>
    /// <paramref name="blocks"/> weight blocks of random bytes whose float scales are random in ±[1/64, 1]
    /// (<paramref name="unitScales"/>: exactly 1).
    /// </summary>
    public static byte[] RandomWeights(IQuantFormat format, int blocks, Random rng, bool unitScales = false)
    {
        var bytes = new byte[blocks * format.BlockBytes];
        rng.NextBytes(bytes);
        SetScales(format, bytes, () => unitScales ? 1 : RandomScale(rng));
        return bytes;
    }

    /// <summary>Weight blocks filled with <paramref name="fill"/>, float scales <paramref name="scale"/>.</summary>
    public static byte[] FilledWeights(IQuantFormat format, int blocks, byte fill, float scale)
    {
        var bytes = new byte[blocks * format.BlockBytes];
        bytes.AsSpan().Fill(fill);
        SetScales(format, bytes, () => scale);
        return bytes;
    }

    /// <summary>
    /// An activation row for <paramref name="format"/>: Gaussian values with a non-zero mean and block-varying
    /// range, through the scalar activation quantizer.
    /// </summary>
    public static byte[] QuantizedActivations(IQuantFormat format, int elements, int seed)
    {
        var x = TestRows.Gaussian(elements, seed).Select(v => v + 0.3f).ToArray();
        var bytes = new byte[format.ActivationBytes(elements)];
        ((IPathFormat)QuantFormats.Get(format.DotType)).Quantize(KernelPath.Scalar, x, bytes);
        return bytes;
    }

    /// <summary>An activation row for any format, the float ones included (their dot type is their own).</summary>
    public static byte[] QuantizedActivationsFor(IQuantFormat format, int elements, int seed) =>
        format.BlockSize > 1 ? QuantizedActivations(format, elements, seed) : Quantized(format, TestRows.Gaussian(elements, seed));

    private static byte[] Quantized(IQuantFormat format, float[] x)
    {
        var bytes = new byte[format.ActivationBytes(x.Length)];
        format.QuantizeActivations(x, bytes);
        return bytes;
    }

    /// <summary>
    /// An activation row built code by code: scale 1 and <paramref name="code"/>(i) for element i, with the Q8_1
    /// sum and the Q8_K group sums filled in as the quantizers define them.
    /// </summary>
    public static byte[] CodedActivations(IQuantFormat format, int elements, Func<int, sbyte> code)
    {
        var dot = QuantFormats.Get(format.DotType);
        var bytes = new byte[dot.RowBytes(elements)];
        var codes = Enumerable.Range(0, elements).Select(code).ToArray(); // once each: the sums must match the codes
        for (int b = 0; b < elements / dot.BlockSize; b++)
        {
            var block = bytes.AsSpan(b * dot.BlockBytes, dot.BlockBytes);
            int first = b * dot.BlockSize;
            switch (dot.Type)
            {
                case GgmlType.Q8_0:
                    Fp16.Write(block, 0, (Half)1);
                    for (int j = 0; j < 32; j++)
                    {
                        block[2 + j] = (byte)codes[first + j];
                    }
                    break;
                case GgmlType.Q8_1:
                    Fp16.Write(block, 0, (Half)1);
                    int sum = 0;
                    for (int j = 0; j < 32; j++)
                    {
                        block[4 + j] = (byte)codes[first + j];
                        sum += codes[first + j];
                    }
                    Fp16.Write(block, 2, (Half)sum);
                    break;
                case GgmlType.Q8_K:
                    BinaryPrimitives.WriteSingleLittleEndian(block, 1);
                    for (int g = 0; g < 16; g++)
                    {
                        int groupSum = 0;
                        for (int j = 16 * g; j < 16 * g + 16; j++)
                        {
                            block[4 + j] = (byte)codes[first + j];
                            groupSum += codes[first + j];
                        }
                        BinaryPrimitives.WriteInt16LittleEndian(block.Slice(260 + 2 * g, 2), (short)groupSum);
                    }
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), dot.Type, "not a quantized activation type");
            }
        }
        return bytes;
    }

    /// <summary><c>Σ |w_i·a_i|</c> over the decoded rows: the scale of the float rounding in a dot product.</summary>
    public static double Magnitude(IQuantFormat format, byte[] weights, byte[] activations, int elements) =>
        DecodedProducts(format, weights, activations, elements).Magnitude;

    /// <summary>
    /// The decoded rows multiplied out in double, independently of any dot kernel: <c>Σ w_i·a_i</c> and
    /// <c>Σ |w_i·a_i|</c>.
    /// </summary>
    public static (double Sum, double Magnitude) DecodedProducts(IQuantFormat format, byte[] weights, byte[] activations, int elements)
    {
        var w = new float[elements];
        var a = new float[elements];
        format.Dequantize(weights, w);
        QuantFormats.Get(format.DotType).Dequantize(activations, a);
        double sum = 0, magnitude = 0;
        for (int i = 0; i < elements; i++)
        {
            double product = (double)w[i] * a[i];
            sum += product;
            magnitude += Math.Abs(product);
        }
        return (sum, magnitude);
    }

    private static float RandomScale(Random rng) => (rng.Next(2) == 0 ? 1 : -1) * (float)Math.Pow(2, -6 * rng.NextDouble());

    private static void SetScales(IQuantFormat format, byte[] bytes, Func<float> scale)
    {
        var (halves, single) = ScaleFields(format.Type);
        for (int b = 0; b < bytes.Length / format.BlockBytes; b++)
        {
            var block = bytes.AsSpan(b * format.BlockBytes, format.BlockBytes);
            foreach (int offset in halves)
            {
                Fp16.Write(block, offset, (Half)scale());
            }
            if (single >= 0)
            {
                BinaryPrimitives.WriteSingleLittleEndian(block[single..], scale());
            }
        }
    }
}
