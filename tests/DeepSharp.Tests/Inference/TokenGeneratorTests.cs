using System.Text;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Tests.Inference;

public sealed class TokenGeneratorTests
{
    private static readonly int[] s_prompt = [5, 17, 200, 31, 8];

    /// <summary>Greedy generation recomputed by hand: arg-max of the full-sequence logits, one token at a time.</summary>
    [Fact]
    public void GreedyGenerationFollowsTheArgMaxOfFreshEvaluations()
    {
        using var model = TinyModels.Model();
        var steps = TokenGenerator.Generate(new InferenceSession(model), s_prompt, new GenerationOptions { MaxTokens = 6, Sampling = SamplingOptions.Greedy }).ToArray();
        var sequence = s_prompt.ToList();
        foreach (var step in steps)
        {
            // A fresh session over the whole sequence so far: no cache reuse on this side.
            var logits = new InferenceSession(model).Evaluate(sequence.ToArray());
            Assert.Equal(ArgMax(logits), step.Token);
            sequence.Add(step.Token);
        }
        Assert.Equal(6, steps.Length);
        Assert.Equal(FinishReason.Length, steps[^1].Finish);
        Assert.All(steps[..^1], s => Assert.Null(s.Finish));
    }

    [Fact]
    public void AStopTokenEndsGeneration()
    {
        using var model = TinyModels.Model();
        var free = TokenGenerator.Generate(new InferenceSession(model), s_prompt, new GenerationOptions { MaxTokens = 8, Sampling = SamplingOptions.Greedy }).ToArray();
        int stop = free[3].Token;
        int firstStop = Array.FindIndex(free, s => s.Token == stop);
        var steps = TokenGenerator.Generate(new InferenceSession(model), s_prompt,
            new GenerationOptions { MaxTokens = 8, Sampling = SamplingOptions.Greedy, StopTokens = new HashSet<int> { stop } }).ToArray();
        Assert.Equal(firstStop + 1, steps.Length);
        Assert.Equal(stop, steps[^1].Token);
        Assert.Equal(FinishReason.StopToken, steps[^1].Finish);
    }

    [Fact]
    public void AStopStringEndsGenerationAcrossTokens()
    {
        using var model = TinyModels.Model();
        var free = TokenGenerator.Generate(new InferenceSession(model), s_prompt, new GenerationOptions { MaxTokens = 8, Sampling = SamplingOptions.Greedy }).ToArray();
        // Give each token a two-letter text, and stop on the end of token 2's text plus the start of token 3's.
        ReadOnlySpan<byte> Bytes(int token) => Encoding.ASCII.GetBytes($"{(char)('a' + token % 26)}{(char)('A' + token / 26 % 26)}");
        string stop = Encoding.ASCII.GetString(Bytes(free[2].Token))[1..] + Encoding.ASCII.GetString(Bytes(free[3].Token))[..1];
        var steps = TokenGenerator.Generate(new InferenceSession(model), s_prompt,
            new GenerationOptions { MaxTokens = 8, Sampling = SamplingOptions.Greedy, StopStrings = [stop], TokenBytes = Bytes }).ToArray();
        Assert.Equal(FinishReason.StopString, steps[^1].Finish);
        Assert.True(steps.Length <= 4);
    }

    [Fact]
    public void TheEndOfTheContextEndsGeneration()
    {
        using var model = TinyModels.Model();
        var session = new InferenceSession(model, new SessionOptions { ContextLength = 8 });
        var steps = TokenGenerator.Generate(session, s_prompt, new GenerationOptions { MaxTokens = 50, Sampling = SamplingOptions.Greedy }).ToArray();
        // Five prompt tokens, then tokens until the eighth position is filled, plus one final token not evaluated.
        Assert.Equal(4, steps.Length);
        Assert.Equal(FinishReason.ContextFull, steps[^1].Finish);
        Assert.Equal(8, session.Position);
    }

    [Fact]
    public void CancellationStopsGeneration()
    {
        using var model = TinyModels.Model();
        using var cts = new CancellationTokenSource();
        var steps = new List<GenerationStep>();
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var step in TokenGenerator.Generate(new InferenceSession(model), s_prompt, new GenerationOptions { MaxTokens = 50 }, cts.Token))
            {
                steps.Add(step);
                if (steps.Count == 3)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(3, steps.Count);
    }

    [Fact]
    public void SeededSamplingIsReproducible()
    {
        using var model = TinyModels.Model();
        int[] Run(ulong seed) => TokenGenerator.Generate(new InferenceSession(model), s_prompt,
            new GenerationOptions { MaxTokens = 10, Sampling = new SamplingOptions { Temperature = 1.5f, TopK = 0, TopP = 1, MinP = 0, Seed = seed } })
            .Select(s => s.Token).ToArray();
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void BadArgumentsAreRejectedUpFront()
    {
        using var model = TinyModels.Model();
        var session = new InferenceSession(model);
        Assert.Throws<ArgumentException>(() => TokenGenerator.Generate(session, [], new GenerationOptions()));
        Assert.Throws<ArgumentException>(() => TokenGenerator.Generate(session, [1], new GenerationOptions { StopStrings = ["x"] }));
        Assert.Throws<ContextFullException>(() => TokenGenerator.Generate(new InferenceSession(model, new SessionOptions { ContextLength = 4 }), s_prompt, new GenerationOptions()).ToArray());
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }
}
