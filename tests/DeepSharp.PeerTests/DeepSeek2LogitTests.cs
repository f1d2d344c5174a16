using DeepSharp.Compute;
using DeepSharp.Fixtures;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Our deepseek2 forward pass (MLA + DeepSeekMoE) gives llama.cpp's logits on random-weight fixtures: a V2-Lite-like
/// model (27 layers, plain query projection, softmax routing) and a V3-like one (compressed queries, sigmoid routing
/// with selection bias, expert groups, normalised and scaled weights), each with split and merged KV up-projections.
/// 40 tokens in batches of 16 (later batches attend to cached earlier ones), logits of every position compared.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DeepSeek2LogitTests(ITestOutputHelper output)
{
    /// <summary>
    /// F32 weights and cache: the same arithmetic up to summation order. Measured max differences 1.9e-6 to 7.7e-6 of the
    /// logit spread; dropping the mscale² from the softmax scale gives 0.6, scoring expert groups by their best
    /// member instead of the top-two sum 0.66 (V3), so the bound sees such slips.
    /// </summary>
    [Theory]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Merged)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Merged)]
    public void F32LogitsMatchLlamaCpp(string preset, MlaKvLayout layout)
    {
        var (ours, reference) = Evaluate(preset, GgmlType.F32, layout, KvCacheType.F32);
        AssertClose(ours, reference, 1e-4f);
    }

    /// <summary>
    /// The F16 cache (llama.cpp's default): both sides round the latent, the absorbed query and the attention weights
    /// to F16, and a rounding that lands on the other side of a tie differs. Measured on the 3-layer V3-like model:
    /// 1.1e-3 (split) and 1.9e-3 (merged, where llama.cpp caches expanded F16 keys instead of the latent) of the spread.
    /// On the 27-layer V2-Lite-like model the same noise compounds to about 3e-2, with an occasional router flip, so
    /// that model is compared with an F32 cache only.
    /// </summary>
    [Theory]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Merged)]
    public void F16CacheMatchesLlamaCpp(string preset, MlaKvLayout layout)
    {
        var (ours, reference) = Evaluate(preset, GgmlType.F32, layout, KvCacheType.F16);
        AssertClose(ours, reference, 5e-3f);
    }

    /// <summary>
    /// Quantized weights. Activations are rounded to 8 bits before every product, so a 1e-6 difference upstream (F32
    /// summation order) now and then moves a code by one step, and these random-weight MoE models amplify that: a
    /// changed expert choice, then 27 layers. Bit-level agreement is therefore not the measure; instead both engines
    /// are held against the exact model, the same file with every weight decoded to F32 and run by llama.cpp:
    /// our rounding error must be no larger than llama.cpp's own, and we must be closer to llama.cpp than either is
    /// to the exact model. Measured RMS logit errors against the exact model (ours / llama.cpp): Q8_0 lite 0.405 /
    /// 0.391 split, 0.475 / 0.496 merged; V3 0.278 / 0.278, 0.380 / 0.380. Q4_K lite 0.758 / 0.767, 0.856 / 0.812;
    /// V3 0.536 / 0.538, 0.621 / 0.649.
    /// </summary>
    [Theory]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Split, GgmlType.Q8_0)]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Merged, GgmlType.Q8_0)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Split, GgmlType.Q8_0)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Merged, GgmlType.Q8_0)]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Split, GgmlType.Q4_K)]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Merged, GgmlType.Q4_K)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Split, GgmlType.Q4_K)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Merged, GgmlType.Q4_K)]
    public void QuantizedLogitsAreAsCloseToTheExactModelAsLlamaCpps(string preset, MlaKvLayout layout, GgmlType type)
    {
        var (ours, reference) = Evaluate(preset, type, layout, KvCacheType.F32);
        string path = PeerFixtures.DeepSeek2(preset, type, layout);
        string exactPath = path + ".decoded.gguf";
        DequantizedCopy.Write(path, exactPath);
        float[][] exact;
        using (var llama = LlamaCppReference.Load(exactPath))
        {
            exact = llama.Logits(PeerFixtures.Tokens(40));
        }
        double oursError = Rms(ours, exact), llamaError = Rms(reference, exact), between = Rms(ours, reference);
        output.WriteLine($"RMS logit error against the exact model: ours {oursError:G3}, llama.cpp {llamaError:G3}; ours against llama.cpp {between:G3}");
        Assert.True(llamaError > 0.01, "quantization changed nothing; the comparison would prove little");
        Assert.True(oursError < 1.25 * llamaError, $"our rounding error {oursError:G3} exceeds llama.cpp's {llamaError:G3}");
        Assert.True(between < llamaError, $"we are {between:G3} from llama.cpp, which is only {llamaError:G3} from the exact model");
    }

    private (float[][] Ours, float[][] Reference) Evaluate(string preset, GgmlType type, MlaKvLayout layout, KvCacheType kv)
    {
        var (ours, reference) = LogitComparison.Evaluate(PeerFixtures.DeepSeek2(preset, type, layout), PeerFixtures.Tokens(40), kv);
        output.WriteLine($"{preset} {layout} {type}, KV {kv}: {LogitComparison.Of(ours, reference)}");
        return (ours, reference);
    }

    private static void AssertClose(float[][] ours, float[][] reference, float relativeTolerance)
    {
        var c = LogitComparison.Of(ours, reference);
        Assert.True(c.RelativeMaxDiff < relativeTolerance, c.ToString());
        Assert.Equal(0, c.Top1Mismatches);
        Assert.Equal(0, c.Top10RealMismatches);
    }

    private static double Rms(float[][] a, float[][] b) =>
        Math.Sqrt(a.Zip(b).Average(p => p.First.Zip(p.Second).Average(q => (double)(q.First - q.Second) * (q.First - q.Second))));
}
