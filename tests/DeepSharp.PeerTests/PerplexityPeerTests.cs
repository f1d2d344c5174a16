using DeepSharp.Evaluation;
using DeepSharp.Models;
using DeepSharp.Quantization;
using DeepSharp.Tokenization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Our perplexity equals llama.cpp's on a fixture: llama.cpp's per-position logits (F16 KV cache, as its perplexity
/// tool uses by default) scored here by llama.cpp's rules — chunks of n_ctx, BOS first, positions n_ctx/2 .. n_ctx−2
/// predicting the next token — written out independently of <see cref="Perplexity"/>.
/// </summary>
[Trait("Category", "Slow")]
public sealed class PerplexityPeerTests(ITestOutputHelper output)
{
    /// <summary>
    /// Tolerance 2e-4 relative on the perplexity. Measured: tiny-llama 2.6e-5 (1753.8067 vs 1753.8526), tiny-qwen2
    /// 2.1e-5 (1808.3735 vs 1808.3357); the F16 cache's roundings (about 1e-4 of the logit spread, DenseLogitTests)
    /// average out over the scored tokens. Scoring the first half too, or dropping BOS, moves it by far more.
    /// </summary>
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    public void PerplexityMatchesLlamaCpp(string preset)
    {
        const int context = 48;
        string path = PeerFixtures.Get(preset, GgmlType.F32);
        int[] tokens = PeerFixtures.Tokens(3 * context + 7);
        int bos = Tokenizer.Load(path).Vocabulary.BosId ?? 1;

        double referenceNll = 0;
        int referenceCount = 0;
        using (var llama = LlamaCppReference.Load(path))
        {
            for (int start = 0; start + context <= tokens.Length; start += context)
            {
                int[] chunk = tokens[start..(start + context)];
                chunk[0] = bos;
                float[][] logits = llama.Logits(chunk, kvF32: false);
                for (int j = context / 2; j < context - 1; j++)
                {
                    double max = logits[j].Max();
                    double logSum = Math.Log(logits[j].Sum(v => Math.Exp(v - max)));
                    referenceNll -= logits[j][tokens[start + j + 1]] - max - logSum;
                    referenceCount++;
                }
            }
        }
        double reference = Math.Exp(referenceNll / referenceCount);

        using var model = TransformerModel.Load(path);
        var ours = Perplexity.Compute(model, tokens, context, bos);
        output.WriteLine($"{preset}: ours {ours.Perplexity:0.000000}, llama.cpp {reference:0.000000}, relative {Math.Abs(ours.Perplexity / reference - 1):0.0e0}");
        Assert.Equal(3, ours.Chunks);
        Assert.Equal(referenceCount, ours.ScoredTokens);
        Assert.True(Math.Abs(ours.Perplexity / reference - 1) < 2e-4, $"ours {ours.Perplexity}, llama.cpp {reference}");
    }
}
