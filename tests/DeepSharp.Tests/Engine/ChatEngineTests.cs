using DeepSharp.Chat;
using DeepSharp.Engine;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Tests.Engine;

public sealed class ChatEngineTests
{
    private static readonly ChatMessage[] s_question = [ChatMessage.System("Be brief."), ChatMessage.User("What is 2+3?")];

    /// <summary>
    /// The reference: the lower layers wired by hand — template render, encode, greedy generation on a fresh session,
    /// one-shot decode, split at &lt;/think&gt; — gives the same reasoning, answer and counts as the engine's stream.
    /// </summary>
    [Fact]
    public async Task GreedyChatMatchesTheLayersWiredByHand()
    {
        using var engine = EngineFixture.Load();
        var updates = await EngineFixture.CollectAsync(engine.ChatAsync(s_question, EngineFixture.Greedy(24)));

        string rendered = ChatTemplate.Parse(DefaultChatTemplate.Source).Render(new ChatTemplateContext
        {
            Messages = s_question, AddGenerationPrompt = true, BosToken = "<｜begin▁of▁sentence｜>",
        });
        Assert.EndsWith("<｜Assistant｜><think>\n", rendered);
        int[] ids = engine.Tokenizer.Encode(rendered, addSpecial: false, parseSpecial: true);
        Assert.Equal(1, ids.Count(id => id == engine.Tokenizer.Vocabulary.BosId)); // the template wrote BOS; none added twice
        var steps = TokenGenerator.Generate(new InferenceSession(engine.Model), ids,
            new GenerationOptions { MaxTokens = 24, Sampling = SamplingOptions.Greedy, StopTokens = engine.Tokenizer.Vocabulary.EndOfGenerationIds }).ToArray();
        int[] generated = steps.Where(s => s.Finish != FinishReason.StopToken).Select(s => s.Token).ToArray();
        string text = engine.Tokenizer.Decode(generated);
        foreach (string stop in DefaultChatTemplate.StopStrings)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            text = at >= 0 ? text[..at] : text;
        }
        int close = text.IndexOf("</think>", StringComparison.Ordinal);
        string reasoning = close >= 0 ? text[..close] : text;
        string answer = close >= 0 ? text[(close + "</think>".Length)..] : "";

        Assert.Equal(reasoning.Trim(), EngineFixture.Text(updates, ChatUpdateKind.Reasoning).Trim());
        Assert.Equal(answer.Trim(), EngineFixture.Text(updates, ChatUpdateKind.Content).Trim());
        var last = updates[^1];
        Assert.Equal(ChatUpdateKind.Finished, last.Kind);
        Assert.Equal(ids.Length, last.Usage!.Value.PromptTokens);
        Assert.Equal(steps.Length, last.Usage.Value.CompletionTokens);
        Assert.Single(updates, u => u.Kind == ChatUpdateKind.Finished);
        // Every sampled token counts once: all of them are reasoning while the think block stays open.
        Assert.InRange(last.Usage.Value.ReasoningTokens, 0, last.Usage.Value.CompletionTokens);
        if (close < 0)
        {
            Assert.Equal(last.Usage.Value.CompletionTokens, last.Usage.Value.ReasoningTokens);
        }
    }

    /// <summary>A second turn that extends the first reuses the cached prefix and still answers exactly like a fresh engine.</summary>
    [Fact]
    public async Task ASecondTurnReusesTheCachedPrefixWithoutChangingTheReply()
    {
        using var engine = EngineFixture.Load();
        var first = await EngineFixture.CollectAsync(engine.ChatAsync(s_question, EngineFixture.Greedy(12)));
        ChatMessage[] second = [.. s_question, ChatMessage.Assistant(EngineFixture.Text(first, ChatUpdateKind.Content)), ChatMessage.User("And 4+4?")];
        var reused = await EngineFixture.CollectAsync(engine.ChatAsync(second, EngineFixture.Greedy(12)));

        using var fresh = EngineFixture.Load();
        var expected = await EngineFixture.CollectAsync(fresh.ChatAsync(second, EngineFixture.Greedy(12)));

        Assert.Equal(expected.Select(u => (u.Kind, u.Text)), reused.Select(u => (u.Kind, u.Text)));
        Assert.Equal(0, expected[^1].Usage!.Value.CachedPromptTokens);
        int firstPrompt = first[^1].Usage!.Value.PromptTokens;
        Assert.InRange(reused[^1].Usage!.Value.CachedPromptTokens, firstPrompt - 3, reused[^1].Usage!.Value.PromptTokens - 1);
    }

    [Fact]
    public async Task AStopStringEndsTheReplyAndIsNotShown()
    {
        using var engine = EngineFixture.Load();
        var options = EngineFixture.Greedy(20) with { Thinking = false };
        var free = await EngineFixture.CollectAsync(engine.ChatAsync(s_question, options));
        string answer = EngineFixture.Text(free, ChatUpdateKind.Content);
        Assert.True(answer.Length > 8, $"need some answer text to cut: '{answer}'");
        string stop = answer.Substring(4, 3);
        int cut = answer.IndexOf(stop, StringComparison.Ordinal);

        var stopped = await EngineFixture.CollectAsync(engine.ChatAsync(s_question, options with { StopStrings = [stop] }));
        Assert.Equal(answer[..cut].TrimEnd(), EngineFixture.Text(stopped, ChatUpdateKind.Content).TrimEnd());
        Assert.Equal(FinishReason.StopString, stopped[^1].FinishReason);
    }

    /// <summary>
    /// With a budget of N, the first N sampled tokens are reasoning, then the engine feeds "\n&lt;/think&gt;\n\n" and the
    /// model answers; the answer equals greedy generation on a fresh session after prompt + those N tokens + the tag.
    /// </summary>
    [Fact]
    public async Task ASpentReasoningBudgetClosesTheThinkBlockAndTheModelAnswers()
    {
        using var engine = EngineFixture.Load();
        const int budget = 5;
        var updates = await EngineFixture.CollectAsync(engine.ChatAsync(s_question, EngineFixture.Greedy(15) with { ReasoningBudget = budget }));
        var usage = updates[^1].Usage!.Value;
        Assert.Equal(budget, usage.ReasoningTokens);
        Assert.Equal(15, usage.CompletionTokens);

        int[] prompt = engine.Prompt.Encode(engine.Prompt.Render(s_question, thinking: true));
        var session = new InferenceSession(engine.Model);
        var thinking = TokenGenerator.Generate(session, prompt, new GenerationOptions { MaxTokens = budget, Sampling = SamplingOptions.Greedy }).Select(s => s.Token).ToArray();
        int[] close = engine.Tokenizer.Encode("\n</think>\n\n", addSpecial: false, parseSpecial: true);
        var answer = TokenGenerator.Generate(new InferenceSession(engine.Model), [.. prompt, .. thinking, .. close],
            new GenerationOptions { MaxTokens = 15 - budget, Sampling = SamplingOptions.Greedy }).Select(s => s.Token).ToArray();

        Assert.Equal(engine.Tokenizer.Decode(thinking).Trim(), EngineFixture.Text(updates, ChatUpdateKind.Reasoning).Trim());
        Assert.Equal(engine.Tokenizer.Decode(answer).Trim(), EngineFixture.Text(updates, ChatUpdateKind.Content).Trim());
    }

    [Fact]
    public async Task ThinkingOffRendersAClosedThinkBlockAndTheReplyIsAllContent()
    {
        using var engine = EngineFixture.Load();
        string prompt = engine.Prompt.Render(s_question, thinking: false);
        Assert.EndsWith("<｜Assistant｜><think>\n\n</think>\n\n", prompt);
        var updates = await EngineFixture.CollectAsync(engine.ChatAsync(s_question, EngineFixture.Greedy(10) with { Thinking = false }));
        Assert.DoesNotContain(updates, u => u.Kind == ChatUpdateKind.Reasoning);
        Assert.Equal(0, updates[^1].Usage!.Value.ReasoningTokens);
    }

    [Fact]
    public void TemplatesWithAThinkingSwitchGetItTurnedOff()
    {
        using var engine = EngineFixture.Load();
        const string qwen3Like = "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}" +
            "{% if add_generation_prompt %}<|im_start|>assistant\n{% if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>\n\n{% endif %}{% endif %}";
        var renderer = new ChatPromptRenderer(ChatTemplate.Parse(qwen3Like), engine.Tokenizer);
        Assert.EndsWith("<|im_start|>assistant\n", renderer.Render([ChatMessage.User("hi")], thinking: true));
        Assert.EndsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n", renderer.Render([ChatMessage.User("hi")], thinking: false));
        // No BOS in this template: the encoder adds the one the vocabulary asks for, once.
        int[] ids = renderer.Encode(renderer.Render([ChatMessage.User("hi")], thinking: true));
        Assert.Equal(engine.Tokenizer.Vocabulary.BosId, ids[0]);
        Assert.Equal(1, ids.Count(id => id == engine.Tokenizer.Vocabulary.BosId));
    }

    /// <summary>Cancelling mid-reply throws, and the engine's next request answers exactly like a fresh engine.</summary>
    [Fact]
    public async Task CancellingMidReplyLeavesTheEngineUsable()
    {
        using var engine = EngineFixture.Load();
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in engine.ChatAsync(s_question, EngineFixture.Greedy(40), cancel.Token))
            {
                if (++seen == 3)
                {
                    cancel.Cancel();
                }
            }
        });
        ChatMessage[] other = [ChatMessage.User("Name a colour.")];
        var after = await EngineFixture.CollectAsync(engine.ChatAsync(other, EngineFixture.Greedy(10)));
        using var fresh = EngineFixture.Load();
        var expected = await EngineFixture.CollectAsync(fresh.ChatAsync(other, EngineFixture.Greedy(10)));
        Assert.Equal(expected.Select(u => (u.Kind, u.Text)), after.Select(u => (u.Kind, u.Text)));
    }

    [Fact]
    public async Task RawCompletionContinuesTheTextWithBos()
    {
        using var engine = EngineFixture.Load();
        var updates = await EngineFixture.CollectAsync(engine.CompleteAsync("Once upon", EngineFixture.Greedy(8)));
        int[] ids = engine.Tokenizer.Encode("Once upon");
        Assert.Equal(engine.Tokenizer.Vocabulary.BosId, ids[0]);
        var steps = TokenGenerator.Generate(new InferenceSession(engine.Model), ids,
            new GenerationOptions { MaxTokens = 8, Sampling = SamplingOptions.Greedy, StopTokens = engine.Tokenizer.Vocabulary.EndOfGenerationIds })
            .Where(s => s.Finish != FinishReason.StopToken).Select(s => s.Token).ToArray();
        Assert.Equal(engine.Tokenizer.Decode(steps), EngineFixture.Text(updates, ChatUpdateKind.Content));
        Assert.DoesNotContain(updates, u => u.Kind == ChatUpdateKind.Reasoning);
    }

    [Fact]
    public void AMissingModelFileIsAClearError()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ChatEngine.Load("/nonexistent/model.gguf"));
        Assert.Contains("/nonexistent/model.gguf", e.Message);
    }

    [Fact]
    public async Task TheGgufsOwnChatTemplateIsUsedWhenPresent()
    {
        string path = Path.Combine(Path.GetTempPath(), $"deepsharp-template-{Guid.NewGuid():N}.gguf");
        try
        {
            const string template = "{% for m in messages %}[{{ m['role'] }}]{{ m['content'] }}{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}";
            DeepSharp.Fixtures.ModelFixtureWriter.Write(new DeepSharp.Fixtures.FixtureSpec("templated", Tests.Inference.TinyModels.Config(), DeepSharp.Quantization.GgmlType.F32) { ChatTemplate = template }, path);
            using var engine = ChatEngine.Load(path);
            Assert.False(engine.UsesDefaultTemplate);
            Assert.Equal("[user]hi[assistant]", engine.Prompt.Render([ChatMessage.User("hi")], thinking: true));
            // No think tags in this template: thinking off changes nothing, and the reply is all content.
            Assert.Equal("[user]hi[assistant]", engine.Prompt.Render([ChatMessage.User("hi")], thinking: false));
            var updates = await EngineFixture.CollectAsync(engine.ChatAsync([ChatMessage.User("hi")], EngineFixture.Greedy(5)));
            Assert.Equal(ChatUpdateKind.Finished, updates[^1].Kind);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
