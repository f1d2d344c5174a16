using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;
using DsChat = DeepSharp.Chat;

namespace DeepSharp.Server.Tests;

/// <summary>The official Anthropic .NET client, unmodified, against <c>/v1/messages</c>: thinking and text blocks, streamed and not.</summary>
public sealed class AnthropicClientTests(SharedServer shared)
{
    private AnthropicClient Client() => new(new ClientOptions { ApiKey = "unused", BaseUrl = shared.BaseAddress.ToString().TrimEnd('/'), MaxRetries = 0 });

    /// <summary>
    /// A request built with the client's types. This client version has no temperature setting, so greedy decoding
    /// (to compare with the engine) is asked for with a raw body field, as the client allows for unknown fields.
    /// </summary>
    private static MessageCreateParams Request()
    {
        var typed = new MessageCreateParams
        {
            Model = "deepseek-reasoner",
            MaxTokens = 48,
            Messages = [new UserMessageParam("What is 12+34?")],
        };
        var body = new Dictionary<string, JsonElement>(typed.RawBodyData) { ["temperature"] = JsonSerializer.SerializeToElement(0) };
        return MessageCreateParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body);
    }

    private static Task<Reference> ExpectedAsync() =>
        Reference.ChatAsync([DsChat.ChatMessage.User("What is 12+34?")], new ChatRequestOptions { Sampling = SamplingOptions.Greedy, MaxTokens = 48 });

    [Fact]
    public async Task MessageHasThinkingAndTextBlocks()
    {
        var expected = await ExpectedAsync();
        using var client = Client();
        Message message = await client.Messages.Create(Request(), TestContext.Current.CancellationToken);
        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.Equal(expected.Reasoning, thinking!.Thinking);
        Assert.True(message.Content[1].TryPickText(out var text));
        Assert.Equal(expected.Content, text!.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal(expected.Usage.CompletionTokens, message.Usage.OutputTokens);
        Assert.Equal(expected.Usage.PromptTokens, message.Usage.InputTokens + (message.Usage.CacheReadInputTokens ?? 0));
    }

    [Fact]
    public async Task StreamedDeltasAddUpToTheEngineReply()
    {
        var expected = await ExpectedAsync();
        using var client = Client();
        var thinking = new StringBuilder();
        var text = new StringBuilder();
        bool stopped = false;
        await foreach (var e in client.Messages.CreateStreaming(Request(), TestContext.Current.CancellationToken))
        {
            if (e.TryPickContentBlockDelta(out var delta))
            {
                if (delta!.Delta.TryPickThinking(out var t))
                {
                    thinking.Append(t!.Thinking);
                }
                else if (delta.Delta.TryPickText(out var x))
                {
                    text.Append(x!.Text);
                }
            }
            stopped |= e.TryPickStop(out _);
        }
        Assert.True(stopped);
        Assert.Equal(expected.Reasoning, thinking.ToString());
        Assert.Equal(expected.Content, text.ToString());
    }
}
