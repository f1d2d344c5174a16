using DeepSharp.Chat;
using DeepSharp.Engine;
using DeepSharp.Inference;

namespace DeepSharp.Tests.Engine;

/// <summary>
/// Continuous batching through <see cref="ChatEngine"/>: requests served together in one batched pass per step get
/// exactly the greedy text the lower layers give each of them alone (<see cref="EngineFixture.Reference"/>), however
/// they join and leave; the queue, cancellation and statistics behave.
/// </summary>
public sealed class SchedulerTests
{
    private static readonly string[] s_prompts =
    [
        "Once upon a time", "The quick brown fox jumps over the lazy dog and", "In the beginning", "Once upon a midnight dreary,",
        "1, 2, 3, 4,", "She sells sea shells by the sea shore", "To be or not to be", "The quick brown fox",
    ];

    [Fact]
    public async Task EightConcurrentRequestsGetTheTextEachGetsAlone()
    {
        using var engine = EngineFixture.Load(new EngineOptions { ParallelSlots = 8 });
        var options = EngineFixture.Greedy(16);
        var results = await Task.WhenAll(s_prompts.Select(p => EngineFixture.CollectAsync(engine.CompleteAsync(p, options))));

        for (int i = 0; i < s_prompts.Length; i++)
        {
            var (text, tokens) = EngineFixture.Reference(engine, engine.Tokenizer.Encode(s_prompts[i]), 16);
            Assert.Equal(text, EngineFixture.Text(results[i], ChatUpdateKind.Content));
            Assert.Equal(tokens, results[i][^1].Usage!.Value.CompletionTokens);
        }
        var stats = engine.Statistics;
        Assert.True(stats.CompletionTokens > 8 * 4, "the requests should have generated tokens");
        AssertIdle(stats, requests: 8);
        Assert.Equal(results.Sum(r => (long)r[^1].Usage!.Value.PromptTokens), stats.PromptTokens);
        Assert.Equal(results.Sum(r => (long)r[^1].Usage!.Value.CompletionTokens), stats.CompletionTokens);
        Assert.Equal(results.Sum(r => (long)r[^1].Usage!.Value.CachedPromptTokens), stats.CachedPromptTokens);
    }

    /// <summary>Requests join a running one mid-stream and leave before it ends; every text is still the one it gets alone.</summary>
    [Fact]
    public async Task RequestsJoinAndLeaveMidStream()
    {
        using var step = new StepControl();
        using var engine = EngineFixture.Load(new EngineOptions { ParallelSlots = 3, Session = new SessionOptions { ActivationSink = step } });
        step.Close();
        var longer = EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[1], EngineFixture.Greedy(40)));
        await step.WaitUntilHeldAsync(); // the long request's prompt pass
        var joined = EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[4], EngineFixture.Greedy(5)));
        var third = EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[6], EngineFixture.Greedy(12)));
        step.HoldAfter(8);
        step.Open();
        await step.WaitUntilHeldAsync();
        // Eight passes on: the short one has come and gone, the long one and the third still decode.
        var midway = engine.Statistics;
        Assert.Equal(1, midway.RequestsFinished);
        Assert.Equal(2, midway.ActiveSlots);
        var fourth = EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[2], EngineFixture.Greedy(8)));
        step.Open();
        var all = await Task.WhenAll(longer, joined, third, fourth);

        string[] prompts = [s_prompts[1], s_prompts[4], s_prompts[6], s_prompts[2]];
        int[] limits = [40, 5, 12, 8];
        for (int i = 0; i < prompts.Length; i++)
        {
            var (text, tokens) = EngineFixture.Reference(engine, engine.Tokenizer.Encode(prompts[i]), limits[i]);
            Assert.Equal(text, EngineFixture.Text(all[i], ChatUpdateKind.Content));
            Assert.Equal(tokens, all[i][^1].Usage!.Value.CompletionTokens);
        }
        Assert.Equal(40, all[0][^1].Usage!.Value.CompletionTokens); // the long one ran all the while
        Assert.True(step.Passes < 40 + 12, $"the requests should have shared passes ({step.Passes})");
        AssertIdle(engine.Statistics, requests: 4);
    }

    [Fact]
    public async Task CancellingARunningRequestFreesItsSlotAndKv()
    {
        using var step = new StepControl { DelayMilliseconds = 5 }; // 100 steps leave the reader half a second to cancel
        using var engine = EngineFixture.Load(new EngineOptions { ParallelSlots = 2, Session = new SessionOptions { ActivationSink = step } });
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in engine.CompleteAsync(s_prompts[1], EngineFixture.Greedy(400), cancel.Token))
            {
                if (++seen == 3)
                {
                    Assert.Equal(1, engine.Statistics.ActiveSlots);
                    Assert.True(engine.Statistics.KvPositionsUsed > 0);
                    cancel.Cancel();
                }
            }
        });
        await EngineFixture.EventuallyAsync(() => engine.Statistics is { ActiveSlots: 0, KvPositionsUsed: 0 }, "the cancelled request kept its slot");
        Assert.Equal(1, engine.Statistics.RequestsCancelled);
        Assert.True(engine.Statistics.CompletionTokens < 100, "generation went on after the cancellation");

        // A caller that just stops reading frees the slot too.
        await foreach (var _ in engine.CompleteAsync(s_prompts[3], EngineFixture.Greedy(400)))
        {
            break;
        }
        await EngineFixture.EventuallyAsync(() => engine.Statistics.ActiveSlots == 0, "an abandoned request kept its slot");

        var after = await EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[0], EngineFixture.Greedy(10)));
        Assert.Equal(EngineFixture.Reference(engine, engine.Tokenizer.Encode(s_prompts[0]), 10).Text, EngineFixture.Text(after, ChatUpdateKind.Content));
        Assert.Equal(0, engine.Statistics.KvPositionsUsed);
    }

    [Fact]
    public async Task AFullQueueRefusesAndAQueuedRequestCanBeCancelled()
    {
        using var step = new StepControl();
        using var engine = EngineFixture.Load(new EngineOptions { ParallelSlots = 1, QueueLimit = 1, Session = new SessionOptions { ActivationSink = step } });
        step.Close();
        var running = EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[0], EngineFixture.Greedy(6)));
        await step.WaitUntilHeldAsync();
        using var cancelQueued = new CancellationTokenSource();
        var queued = EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[2], EngineFixture.Greedy(6)), cancelQueued.Token);
        Assert.Equal(1, engine.Statistics.QueuedRequests);

        var busy = await Assert.ThrowsAsync<EngineBusyException>(() => EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[3], EngineFixture.Greedy(6))));
        Assert.True(busy.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(1, busy.Queued);
        Assert.Equal(1, engine.Statistics.RequestsRejected);

        cancelQueued.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(0, engine.Statistics.QueuedRequests);
        step.Open();
        var done = await running;
        Assert.Equal(EngineFixture.Reference(engine, engine.Tokenizer.Encode(s_prompts[0]), 6).Text, EngineFixture.Text(done, ChatUpdateKind.Content));
        var stats = engine.Statistics;
        Assert.Equal(1, stats.RequestsCancelled);
        Assert.Equal(1, stats.RequestsFinished);
        Assert.Equal(0, stats.ActiveSlots);
    }

    [Fact]
    public async Task ChatRequestsTogetherMatchChatRequestsAlone()
    {
        ChatMessage[][] conversations =
        [
            [ChatMessage.System("Be brief."), ChatMessage.User("What is 2+3?")],
            [ChatMessage.User("Name a colour.")],
            [ChatMessage.System("Be brief."), ChatMessage.User("And 4+4?")],
        ];
        var options = EngineFixture.Greedy(12) with { ReasoningBudget = 4 };
        using var together = EngineFixture.Load(new EngineOptions { ParallelSlots = 3 });
        var concurrent = await Task.WhenAll(conversations.Select(c => EngineFixture.CollectAsync(together.ChatAsync(c, options))));
        using var alone = EngineFixture.Load();
        foreach (var (conversation, result) in conversations.Zip(concurrent))
        {
            alone.Reset();
            var expected = await EngineFixture.CollectAsync(alone.ChatAsync(conversation, options));
            Assert.Equal(expected.Select(u => (u.Kind, u.Text)), result.Select(u => (u.Kind, u.Text)));
        }
    }

    /// <summary>Each slot holds its own context: a prompt longer than it is refused, and a reply that reaches its end finishes with ContextFull.</summary>
    [Fact]
    public async Task ASlotsContextBoundsEachRequest()
    {
        using var engine = EngineFixture.Load(new EngineOptions { ParallelSlots = 2, Session = new SessionOptions { ContextLength = 64 } });
        Assert.Equal(64, engine.ContextLength);
        string tooLong = string.Join(" ", Enumerable.Repeat("word", 80));
        await Assert.ThrowsAsync<ContextFullException>(() => EngineFixture.CollectAsync(engine.CompleteAsync(tooLong, EngineFixture.Greedy(4))));

        int[] prompt = engine.Tokenizer.Encode(s_prompts[1]);
        var options = EngineFixture.Greedy(100) with
        {
            Sampling = EngineFixture.Greedy(1).Sampling with { LogitBias = engine.Tokenizer.Vocabulary.EndOfGenerationIds.ToDictionary(id => id, _ => float.NegativeInfinity) },
        };
        var results = await Task.WhenAll(EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[1], options)), EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[0], options)));
        // The last sampled token is not evaluated, so a reply fills the context and one more.
        Assert.Equal(FinishReason.ContextFull, results[0][^1].FinishReason);
        Assert.Equal(64 - prompt.Length + 1, results[0][^1].Usage!.Value.CompletionTokens);
        Assert.Equal(FinishReason.ContextFull, results[1][^1].FinishReason);

        var none = await EngineFixture.CollectAsync(engine.CompleteAsync(s_prompts[0], EngineFixture.Greedy(0)));
        Assert.Equal((ChatUpdateKind.Finished, FinishReason.Length, 0), (none.Single().Kind, none[0].FinishReason, none[0].Usage!.Value.CompletionTokens));
        AssertIdle(engine.Statistics, requests: 2);
    }

    private static void AssertIdle(EngineStatistics stats, int requests)
    {
        Assert.Equal(0, stats.ActiveSlots);
        Assert.Equal(0, stats.QueuedRequests);
        Assert.Equal(0, stats.KvPositionsUsed);
        Assert.Equal(requests, stats.RequestsFinished);
        Assert.Equal(0, stats.RequestsFailed);
    }
}
