using DeepSharp.Compute;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Our quantized products round activations exactly as ggml's CPU backend does, ties included: a weight row times
/// an activation row full of exact half steps equals ggml's vec_dot over ggml's own activation conversion, and
/// <see cref="QuantFormats.QuantizeActivations"/> writes ggml's bytes. The reference Q8 quantizer (ties away from
/// zero) gives other codes on such rows, which the same bound detects.
/// </summary>
[Trait("Category", "Slow")]
public sealed class GgmlActivationRoundingTests
{
    [Theory]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q5_0)]
    [InlineData(GgmlType.Q4_1)]
    public void ProductsOnTiedActivationsEqualGgml(GgmlType type)
    {
        string path = PeerFixtures.Get("tiny-llama", type);
        using (LlamaCppReference.Load(path))
        {
            // Loading a model makes LLamaSharp map the native library variant the kernels come from.
        }
        var ggml = GgmlKernels.Load();
        using var file = GgufFile.Open(path);
        var tensor = file.GetTensor("blk.0.ffn_down.weight");
        var matrix = WeightMatrix.FromTensor(file, tensor);
        var format = QuantFormats.Get(type);
        int n = matrix.Columns;
        var random = new Random(7);
        int referenceMismatches = 0;
        for (int trial = 0; trial < 20; trial++)
        {
            // Each block's largest value is 127 steps, the others whole steps plus one half: every code is a tie.
            float step = (float)Math.Pow(10, random.NextDouble() * 4 - 2);
            var x = new float[n];
            for (int j = 0; j < n; j++)
            {
                x[j] = j % 32 == 0 ? 127 * step : (random.Next(-120, 120) + 0.5f) * step;
            }
            var ours = new float[matrix.Rows];
            matrix.MatMul(x, 1, ours, ComputePool.Shared);
            var theirs = ggml.QuantizeActivations(format.DotType, x, format.ActivationBytes(n));
            var activations = new byte[theirs.Length];
            format.QuantizeActivations(x, activations);
            Assert.Equal(theirs, activations);
            var reference = new byte[theirs.Length];
            QuantFormats.Get(format.DotType).Quantize(x, reference);
            for (int r = 0; r < matrix.Rows; r++)
            {
                var row = file.GetBytes(tensor).Slice(r * tensor.RowBytes, (int)tensor.RowBytes);
                float expected = ggml.Dot(type, row, theirs, n);
                // Integer products are exact on both sides; the float sums of the block results run in another order.
                var decoded = new float[n];
                format.Dequantize(row, decoded);
                float bound = 1e-5f * Enumerable.Range(0, n).Sum(i => Math.Abs(decoded[i] * x[i]));
                Assert.True(Math.Abs(ours[r] - expected) <= bound, $"row {r}: ours {ours[r]}, ggml {expected}");
                if (Math.Abs(format.Dot(row, reference, n) - expected) > bound)
                {
                    referenceMismatches++;
                }
            }
        }
        Assert.True(referenceMismatches > 0, "ties away from zero would have passed too; the rows test nothing");
    }
}
