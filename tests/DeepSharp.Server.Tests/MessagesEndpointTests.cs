using System.Net;
using System.Text.Json;
using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;
using static DeepSharp.Server.Tests.ApiAssert;
using DsChat = DeepSharp.Chat;

namespace DeepSharp.Server.Tests;

/// <summary><c>POST /v1/messages</c>, Anthropic's shape: thinking and text blocks, named stream events, Anthropic errors.</summary>
public sealed class MessagesEndpointTests(SharedServer shared)
{
    private const string Body = """{"model":"deepseek-reasoner","max_tokens":48,"temperature":0,"messages":[{"role":"user","content":"What is 12+34?"}]}""";

    private static Task<Reference> ExpectedAsync() =>
        Reference.ChatAsync([DsChat.ChatMessage.User("What is 12+34?")], new ChatRequestOptions { Sampling = SamplingOptions.Greedy, MaxTokens = 48 });

    [Fact]
    public async Task WholeReplyHasThinkingThenTextBlocks()
    {
        var expected = await ExpectedAsync();
        using var response = await shared.Http.PostAsync("v1/messages", Json(Body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var message = JsonDocument.Parse(text).RootElement;
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        var blocks = message.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["thinking", "text"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(expected.Reasoning, blocks[0].GetProperty("thinking").GetString());
        Assert.Equal(expected.Content, blocks[1].GetProperty("text").GetString());
        Assert.Equal("end_turn", message.GetProperty("stop_reason").GetString());
        var usage = message.GetProperty("usage");
        Assert.Equal(expected.Usage.PromptTokens, usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(expected.Usage.CompletionTokens, usage.GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task StreamIsAnthropicsEventSequence()
    {
        Curl.RequireInstalled();
        var expected = await ExpectedAsync();
        string raw = await Curl.PostAsync(new Uri(shared.BaseAddress, "v1/messages"), Body[..^1] + ""","stream":true}""");
        var events = raw.TrimEnd('\n').Split("\n\n").Select(e =>
        {
            var lines = e.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement;
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            return data;
        }).ToList();
        var types = events.Select(e => e.GetProperty("type").GetString()).Where(t => t != "ping").ToList();
        Assert.Equal("message_start", types[0]);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], types[^3..]);
        string Join(string deltaType, string field) => string.Concat(events
            .Where(e => e.GetProperty("type").GetString() == "content_block_delta" && e.GetProperty("delta").GetProperty("type").GetString() == deltaType)
            .Select(e => e.GetProperty("delta").GetProperty(field).GetString()));
        Assert.Equal(expected.Reasoning, Join("thinking_delta", "thinking"));
        Assert.Equal(expected.Content, Join("text_delta", "text"));
        Assert.Equal(2, types.Count(t => t == "content_block_start"));
        Assert.Equal("end_turn", events.Single(e => e.GetProperty("type").GetString() == "message_delta").GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest)]                            // no max_tokens
    [InlineData("""{"max_tokens":5,"messages":[{"role":"system","content":"hi"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"model":"claude-x","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.NotFound)]
    [InlineData("""{"max_tokens":5,"messages":[""", HttpStatusCode.BadRequest)]
    [InlineData("""{"max_tokens":5,"stop_sequences":["a",""],"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"max_tokens":5,"stop_sequences":["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17"],"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest)]
    public async Task ErrorsHaveAnthropicsShape(string body, HttpStatusCode status)
    {
        using var response = await shared.Http.PostAsync("v1/messages", Json(body));
        Assert.Equal(status, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal(status == HttpStatusCode.NotFound ? "not_found_error" : "invalid_request_error", root.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task XApiKeyHeaderIsAccepted()
    {
        await using var server = await TestModel.StartServerAsync(new DeepSharpServerOptions { ApiKey = "sk-ant" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using (var none = await http.PostAsync("v1/messages", Json(Body)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("authentication_error", JsonDocument.Parse(await none.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
        }
        http.DefaultRequestHeaders.Add("x-api-key", "sk-ant");
        using var ok = await http.PostAsync("v1/messages", Json(Body));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
