using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;
using DeepSharp.Tokenization;
using Microsoft.Extensions.AI;

namespace DeepSharp.Tests.Engine;

/// <summary>The IChatClient adapter, exercised through Microsoft.Extensions.AI's own helpers and middleware.</summary>
public sealed class ChatClientTests
{
    private static readonly ChatOptions s_greedy = new() { Temperature = 0, MaxOutputTokens = 16 };

    [Fact]
    public async Task StreamingAndNonStreamingGiveTheSameGreedyReply()
    {
        using var engine = EngineFixture.Load();
        using IChatClient client = engine.AsChatClient();
        ChatMessage[] question = [new(ChatRole.User, "What is 2+3?")];

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(question, s_greedy))
        {
            updates.Add(update);
        }
        var streamed = updates.ToChatResponse();
        var whole = await client.GetResponseAsync(question, s_greedy);

        Assert.Equal(streamed.Text, whole.Text);
        Assert.Equal(Reasoning(streamed), Reasoning(whole));
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.All(updates[..^1], u => Assert.Null(u.FinishReason));
        Assert.Equal(ChatFinishReason.Length, whole.FinishReason);
        Assert.Equal(16, whole.Usage!.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount + 16, whole.Usage.TotalTokenCount);

        // The same text the engine streams on its own.
        using var reference = EngineFixture.Load();
        var native = await EngineFixture.CollectAsync(reference.ChatAsync([DeepSharp.Chat.ChatMessage.User("What is 2+3?")], EngineFixture.Greedy(16)));
        Assert.Equal(EngineFixture.Text(native, ChatUpdateKind.Content), whole.Text);
        Assert.Equal(EngineFixture.Text(native, ChatUpdateKind.Reasoning), Reasoning(whole));
    }

    [Fact]
    public async Task OptionsAreMappedOntoTheEngine()
    {
        using var engine = EngineFixture.Load();
        using IChatClient client = engine.AsChatClient();
        ChatMessage[] question = [new(ChatRole.User, "Hi")];

        // Instructions become a system message; thinking off via AdditionalProperties: all content, no reasoning.
        var options = new ChatOptions
        {
            Temperature = 0, MaxOutputTokens = 8, Instructions = "Be brief.",
            AdditionalProperties = new() { ["thinking"] = false },
        };
        var response = await client.GetResponseAsync(question, options);
        using var reference = EngineFixture.Load();
        var native = await EngineFixture.CollectAsync(reference.ChatAsync([DeepSharp.Chat.ChatMessage.System("Be brief."), DeepSharp.Chat.ChatMessage.User("Hi")],
            EngineFixture.Greedy(8) with { Thinking = false }));
        Assert.Equal(EngineFixture.Text(native, ChatUpdateKind.Content), response.Text);
        Assert.Equal("", Reasoning(response));
        Assert.Equal(0, response.Usage!.ReasoningTokenCount);

        // Seeded sampling: the same seed repeats, and matches the engine with the same sampling settings.
        var seeded = new ChatOptions { Temperature = 1.2f, TopK = 50, TopP = 0.9f, Seed = 7, MaxOutputTokens = 10, AdditionalProperties = new() { ["min_p"] = 0.0 } };
        var a = await client.GetResponseAsync(question, seeded);
        var b = await client.GetResponseAsync(question, seeded);
        Assert.Equal(a.Text + Reasoning(a), b.Text + Reasoning(b));
        var sampling = new SamplingOptions { Temperature = 1.2f, TopK = 50, TopP = 0.9f, Seed = 7, MinP = 0 };
        var nativeSeeded = await EngineFixture.CollectAsync(reference.ChatAsync([DeepSharp.Chat.ChatMessage.User("Hi")], new ChatRequestOptions { Sampling = sampling, MaxTokens = 10 }));
        Assert.Equal(EngineFixture.Text(nativeSeeded, ChatUpdateKind.Reasoning), Reasoning(a));

        // A raw ChatRequestOptions wins over the mapped fields.
        var raw = new ChatOptions { MaxOutputTokens = 100, RawRepresentationFactory = _ => EngineFixture.Greedy(3) };
        Assert.Equal(3, (await client.GetResponseAsync(question, raw)).Usage!.OutputTokenCount);

        Assert.Throws<ArgumentException>(() => client.GetStreamingResponseAsync(question, new ChatOptions { AdditionalProperties = new() { ["thinking"] = "maybe" } }).GetAsyncEnumerator().MoveNextAsync().AsTask().GetAwaiter().GetResult());
    }

    [Fact]
    public void GetServiceAnswersMetadataAndTheEngineParts()
    {
        using var engine = EngineFixture.Load();
        using IChatClient client = engine.AsChatClient();
        var metadata = client.GetService<ChatClientMetadata>();
        Assert.Equal("deepsharp", metadata!.ProviderName);
        Assert.Equal(engine.ModelId, metadata.DefaultModelId);
        Assert.Same(engine, client.GetService<ChatEngine>());
        Assert.Same(engine.Tokenizer, client.GetService<Tokenizer>());
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Null(client.GetService<ChatEngine>("some key"));
        Assert.Null(client.GetService<string>());
    }

    /// <summary>Middleware from Microsoft.Extensions.AI composes over the adapter.</summary>
    [Fact]
    public async Task TheClientWorksUnderChatClientBuilderMiddleware()
    {
        using var engine = EngineFixture.Load();
        int calls = 0;
        using var client = new ChatClientBuilder(engine.AsChatClient())
            .Use(async (messages, options, next, cancellationToken) =>
            {
                calls++;
                await next(messages, options, cancellationToken);
            })
            .Build();
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], s_greedy);
        Assert.Equal(1, calls);
        Assert.Equal(16, response.Usage!.OutputTokenCount);
    }

    private static string Reasoning(ChatResponse response) =>
        string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(c => c.Text));
}
