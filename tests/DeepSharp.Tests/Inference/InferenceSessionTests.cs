using DeepSharp.Compute;
using DeepSharp.Inference;
using DeepSharp.Models;

namespace DeepSharp.Tests.Inference;

public sealed class InferenceSessionTests
{
    private static readonly int[] s_prompt = Enumerable.Range(0, 30).Select(i => i * 37 % 290).ToArray();

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    [InlineData("tiny-qwen3")]
    public void BatchSizeDoesNotChangeTheLogits(string preset)
    {
        // Token by token, in uneven batches and all at once must agree: the causal mask, positions and KV cache
        // reads are right only if every split gives the same result.
        using var model = TinyModels.Model(preset);
        float[][] Run(int batch) => new InferenceSession(model, new SessionOptions { BatchSize = batch, KvCacheType = KvCacheType.F32 }).EvaluateAll(s_prompt);
        var whole = Run(64);
        foreach (int batch in new[] { 1, 7 })
        {
            var split = Run(batch);
            for (int t = 0; t < s_prompt.Length; t++)
            {
                Assert.Equal(whole[t], split[t], (a, b) => Math.Abs(a - b) < 1e-4f);
            }
        }
    }

    [Fact]
    public void EvaluateReturnsTheLastRowOfEvaluateAll()
    {
        using var model = TinyModels.Model();
        var all = new InferenceSession(model).EvaluateAll(s_prompt);
        var session = new InferenceSession(model);
        var last = session.Evaluate(s_prompt).ToArray();
        Assert.Equal(all[^1], last, (a, b) => Math.Abs(a - b) < 1e-4f);
        Assert.Equal(s_prompt.Length, session.Position);
    }

    [Fact]
    public void RewindingAndReplayingGivesTheSameLogits()
    {
        using var model = TinyModels.Model();
        var session = new InferenceSession(model);
        session.Evaluate(s_prompt[..20]);
        var first = session.Evaluate(s_prompt[20..]).ToArray();
        session.Rewind(20);
        session.Evaluate([1, 2, 3]);
        session.Rewind(20);
        var again = session.Evaluate(s_prompt[20..]).ToArray();
        Assert.Equal(first, again);
    }

    [Fact]
    public void AFullContextIsAnExplicitError()
    {
        using var model = TinyModels.Model();
        var session = new InferenceSession(model, new SessionOptions { ContextLength = 32 });
        session.Evaluate(s_prompt);
        var error = Assert.Throws<ContextFullException>(() => session.Evaluate([1, 2, 3]));
        Assert.Equal(30, error.Position);
        Assert.Equal(32, error.ContextLength);
        Assert.Equal(30, session.Position);
        session.Evaluate([1, 2]);
        Assert.Throws<ContextFullException>(() => session.Evaluate([1]));
    }

    [Fact]
    public void ContextBeyondTheTrainedOneIsRejected()
    {
        using var model = TinyModels.Model();
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceSession(model, new SessionOptions { ContextLength = 97 }));
        Assert.Equal(96, new InferenceSession(model).ContextLength);
    }

    [Fact]
    public void TokenIdsOutsideTheVocabularyAreRejected()
    {
        using var model = TinyModels.Model();
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceSession(model).Evaluate([5, 300]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceSession(model).Evaluate([-1]));
    }

    [Fact]
    public void TheActivationSinkSeesEveryLayer()
    {
        using var model = TinyModels.Model();
        var sink = new RecordingSink();
        new InferenceSession(model, new SessionOptions { ActivationSink = sink }).Evaluate([1, 2, 3]);
        Assert.Contains((0, "attn_norm", 3), sink.Seen);
        Assert.Contains((1, "l_out", 3), sink.Seen);
        Assert.Contains((-1, "result_output", 1), sink.Seen);
    }

    [Fact]
    public void DecodingAllocatesNothingOnceWarm()
    {
        using var model = TinyModels.Model("tiny-qwen3");
        // One thread: all work runs on this thread, where allocations are counted.
        using var pool = new ComputePool(1);
        var session = new InferenceSession(model, new SessionOptions { Pool = pool });
        session.Evaluate(s_prompt);
        Assert.Equal(0, SteadyStateAllocations.OfDecoding(session, 290));
    }

    private sealed class RecordingSink : IActivationSink
    {
        public List<(int, string, int)> Seen { get; } = [];

        public void Report(int layer, string name, int tokens, ReadOnlySpan<float> values) => Seen.Add((layer, name, tokens));
    }
}
