using DeepSharp.Cli;
using DeepSharp.Evaluation;
using DeepSharp.Inference;
using DeepSharp.Tests.Inference;

namespace DeepSharp.Tests.Evaluation;

public sealed class PerplexityTests
{
    [Fact]
    public void ChunksAreWholeNonOverlappingAndStartWithBos()
    {
        int[] tokens = Enumerable.Range(100, 23).ToArray();
        var chunks = Perplexity.Chunks(tokens, 10, bos: 1);
        Assert.Equal(2, chunks.Length); // the 3 tokens left over are dropped
        Assert.Equal([1, .. Enumerable.Range(101, 9)], chunks[0]);
        Assert.Equal([1, .. Enumerable.Range(111, 9)], chunks[1]);
        Assert.Equal(110, Perplexity.Chunks(tokens, 10, bos: null)[1][0]);
        Assert.Throws<ArgumentException>(() => Perplexity.Chunks(tokens, 24, bos: 1));
        Assert.Throws<ArgumentException>(() => Perplexity.Chunks(tokens, 2, bos: 1));
    }

    /// <summary>Uniform logits give a perplexity of exactly the vocabulary size; a sure next token gives 1.</summary>
    [Fact]
    public void ScoringFollowsTheDefinitionOnlyOverTheSecondHalf()
    {
        int[] chunk = [1, 2, 3, 4, 5, 6, 7, 8];
        var uniform = chunk.Select(_ => new float[50]).ToArray();
        var (nll, count) = Perplexity.ScoreChunk(uniform, chunk);
        Assert.Equal(3, count); // positions 4, 5, 6 predict tokens 6, 7, 8
        Assert.Equal(50, Math.Exp(nll / count), 9);

        var sure = chunk.Select((_, j) => { var row = new float[50]; row[chunk[Math.Min(j + 1, 7)]] = 1000; return row; }).ToArray();
        sure[0][chunk[1]] = -1000; // the first half is not scored, so a terrible guess there changes nothing
        Assert.Equal(0, Perplexity.ScoreChunk(sure, chunk).NegativeLogLikelihood, 9);
    }

    /// <summary>The whole run equals each chunk evaluated on its own fresh session and scored with a float softmax written here.</summary>
    [Fact]
    public void ComputeEqualsFreshPerChunkEvaluation()
    {
        using var model = TinyModels.Model();
        int[] tokens = Enumerable.Range(0, 70).Select(i => (i * 37 + 11) % 300).ToArray();
        var result = Perplexity.Compute(model, tokens, 32, bos: 7);

        double nll = 0;
        int count = 0;
        for (int start = 0; start + 32 <= tokens.Length; start += 32)
        {
            int[] chunk = [7, .. tokens[(start + 1)..(start + 32)]];
            var logits = new InferenceSession(model, new SessionOptions { ContextLength = 32 }).EvaluateAll(chunk);
            for (int j = 16; j < 31; j++)
            {
                float max = logits[j].Max();
                float sum = logits[j].Sum(v => MathF.Exp(v - max));
                nll -= Math.Log(MathF.Exp(logits[j][chunk[j + 1]] - max) / sum);
                count++;
            }
        }
        Assert.Equal(2, result.Chunks);
        Assert.Equal(count, result.ScoredTokens);
        Assert.Equal(Math.Exp(nll / count), result.Perplexity, 1e-3);
    }

    [Fact]
    public void TheCommandPrintsRunningAndFinalPerplexity()
    {
        string text = Path.GetTempFileName();
        try
        {
            File.WriteAllText(text, string.Concat(Enumerable.Range(0, 300).Select(i => $"word{i % 17} ")));
            var output = new StringWriter();
            Assert.Equal(0, PerplexityCommand.Run(Path.Combine(TestPaths.RepoRoot, "models", "tiny-random-qwen2.gguf"), text, 64, output));
            string printed = output.ToString();
            Assert.Contains("[1]", printed);
            Assert.Matches(@"perplexity: \d+\.\d{4} \(mean NLL", printed);
        }
        finally
        {
            File.Delete(text);
        }
    }
}
