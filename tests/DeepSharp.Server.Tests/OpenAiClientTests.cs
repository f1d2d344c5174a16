using System.ClientModel;
using System.Text;
using System.Text.Json;
using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;
using OpenAI;
using OpenAI.Chat;
using DsChat = DeepSharp.Chat;

namespace DeepSharp.Server.Tests;

/// <summary>The official OpenAI .NET client (2.x), unmodified, against the server: what it reads must be what the engine wrote.</summary>
public sealed class OpenAiClientTests(SharedServer shared)
{
    private const string Question = "What is 12+34?";
    private const int MaxTokens = 64;

    private ChatClient Client(string model = "deepseek-reasoner") =>
        new(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(shared.BaseAddress, "v1") });

    private static ChatCompletionOptions Greedy() => new() { Temperature = 0, MaxOutputTokenCount = MaxTokens };

    private static Task<Reference> ExpectedAsync(bool thinking = true) =>
        Reference.ChatAsync([DsChat.ChatMessage.User(Question)], new ChatRequestOptions { Sampling = SamplingOptions.Greedy, MaxTokens = MaxTokens, Thinking = thinking });

    [Fact]
    public async Task NonStreamingReplyCarriesReasoningContentAndUsage()
    {
        var expected = await ExpectedAsync();
        Assert.NotEmpty(expected.Reasoning);   // the bundled model reasons before it answers

        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage(Question)], Greedy());

        Assert.Equal(expected.Content, Assert.Single(completion.Content).Text);
        Assert.True(completion.Patch.TryGetValue("$.choices[0].message.reasoning_content"u8, out string? reasoning));
        Assert.Equal(expected.Reasoning, reasoning);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("deepseek-reasoner", completion.Model);
        Assert.Equal(expected.Usage.PromptTokens, completion.Usage.InputTokenCount);
        Assert.Equal(expected.Usage.CompletionTokens, completion.Usage.OutputTokenCount);
        Assert.Equal(expected.Usage.TotalTokens, completion.Usage.TotalTokenCount);
        Assert.Equal(expected.Usage.ReasoningTokens, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
        int hits = completion.Usage.InputTokenDetails.CachedTokenCount;
        Assert.True(completion.Usage.Patch.TryGetValue("$.prompt_cache_hit_tokens"u8, out int deepSeekHits));
        Assert.True(completion.Usage.Patch.TryGetValue("$.prompt_cache_miss_tokens"u8, out int deepSeekMisses));
        Assert.Equal(hits, deepSeekHits);
        Assert.Equal(completion.Usage.InputTokenCount, deepSeekHits + deepSeekMisses);
    }

    [Fact]
    public async Task StreamingDeltasAddUpToTheEngineReply()
    {
        var expected = await ExpectedAsync();
        var content = new StringBuilder();
        var reasoning = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        int updates = 0;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage(Question)], Greedy()))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                content.Append(part.Text);
            }
            if (update.Patch.TryGetValue("$.choices[0].delta.reasoning_content"u8, out string? piece))
            {
                reasoning.Append(piece);
            }
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }
        Assert.True(updates > 3, $"only {updates} updates: the reply was not streamed");
        Assert.Equal(expected.Content, content.ToString());
        Assert.Equal(expected.Reasoning, reasoning.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(expected.Usage.PromptTokens, usage.InputTokenCount);
        Assert.Equal(expected.Usage.CompletionTokens, usage.OutputTokenCount);
        Assert.Equal(expected.Usage.ReasoningTokens, usage.OutputTokenDetails.ReasoningTokenCount);
    }

    [Fact]
    public async Task DeepSeekChatAliasAnswersWithoutThinking()
    {
        var expected = await ExpectedAsync(thinking: false);
        ChatCompletion completion = await Client("deepseek-chat").CompleteChatAsync([new UserChatMessage(Question)], Greedy());
        Assert.Equal(expected.Content, Assert.Single(completion.Content).Text);
        Assert.Equal(0, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
    }

    [Fact]
    public async Task LengthLimitEndsTheReplyWithFinishReasonLength()
    {
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage(Question)], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 3 });
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task JsonModeReplyIsOneValidJsonObject()
    {
        var options = new ChatCompletionOptions
        {
            Temperature = 0.8f,
            Seed = 7,
            MaxOutputTokenCount = 200,
            ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(),
        };
        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("Reply in JSON: what is 3+4?")], options);
        string text = Assert.Single(completion.Content).Text;
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        using var document = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public async Task RepeatedConversationHitsThePromptCache()
    {
        using var engine = TestModel.Load();
        await using var server = await TestModel.StartServerAsync(engine: engine);
        var client = new ChatClient("deepseek-reasoner", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });
        ChatCompletion first = await client.CompleteChatAsync([new UserChatMessage(Question)], Greedy());
        ChatCompletion second = await client.CompleteChatAsync([new UserChatMessage(Question)], Greedy());
        Assert.Equal(0, first.Usage.InputTokenDetails.CachedTokenCount);
        Assert.True(second.Usage.InputTokenDetails.CachedTokenCount > 0, "the second, identical prompt was evaluated again");
        Assert.True(second.Usage.InputTokenDetails.CachedTokenCount < second.Usage.InputTokenCount);
        Assert.Equal(first.Content[0].Text, second.Content[0].Text);
    }
}
