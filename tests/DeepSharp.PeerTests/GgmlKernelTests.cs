using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Row by row, on the random blocks of our fixtures: our decoders, activation quantizers and dot products against
/// ggml's own CPU kernels (the ones llama.cpp's matrix products call).
/// </summary>
[Trait("Category", "Slow")]
public sealed class GgmlKernelTests
{
    public static TheoryData<GgmlType> BlockTypes => new(
        GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K,
        GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.IQ4_NL, GgmlType.IQ4_XS);

    [Theory]
    [MemberData(nameof(BlockTypes))]
    public void DecodeQuantizeAndDotEqualGgml(GgmlType type)
    {
        string path = PeerFixtures.Get("tiny-qwen2", type);
        using (LlamaCppReference.Load(path))
        {
            // Loading a model makes LLamaSharp map the native library variant the kernels come from.
        }
        var ggml = GgmlKernels.Load();
        var info = GgmlTypeInfo.Get(type);
        Assert.Equal((info.BlockSize, (long)info.BlockBytes), ggml.Geometry(type));
        var format = QuantFormats.Get(type);
        Assert.Equal(ggml.DotType(type), format.DotType);

        using var file = GgufFile.Open(path);
        var tensor = file.GetTensor("blk.0.ffn_down.weight");
        int n = (int)tensor.RowLength;
        var random = new Random(3);
        for (int r = 0; r < 32; r++)
        {
            var row = file.GetBytes(tensor).Slice(r * tensor.RowBytes, (int)tensor.RowBytes);
            var decoded = new float[n];
            format.Dequantize(row, decoded);
            Assert.Equal(ggml.Dequantize(type, row, n), decoded);

            float[] x = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            var ours = new byte[format.ActivationBytes(n)];
            format.QuantizeActivations(x, ours);
            var theirs = ggml.QuantizeActivations(format.DotType, x, ours.Length);
            Assert.Equal(theirs, ours);

            // Integer products are exact on both sides; only the order of the float block sums differs.
            float expected = ggml.Dot(type, row, theirs, n);
            float actual = format.Dot(row, theirs, n);
            double scale = Enumerable.Range(0, n).Sum(i => Math.Abs(decoded[i] * x[i]));
            Assert.True(Math.Abs(actual - expected) <= 1e-5 * scale, $"row {r}: ours {actual}, ggml {expected}");
        }
    }
}
