using System.Text.Json;

namespace DeepSharp.Server.Tests;

/// <summary>The raw server-sent-event framing, read with curl: <c>data:</c> events, <c>: keep-alive</c> comments, <c>data: [DONE]</c>.</summary>
public sealed class SseFramingTests(SharedServer shared)
{
    private Uri Chat => new(shared.BaseAddress, "v1/chat/completions");

    /// <summary>Splits a raw stream into its events (blank-line separated), checking every line is a data line or a comment.</summary>
    private static List<string> Events(string raw)
    {
        Assert.EndsWith("\n\n", raw);
        var events = raw[..^2].Split("\n\n");
        foreach (string e in events)
        {
            Assert.DoesNotContain('\n', e);   // one line per event: OpenAI's framing
            Assert.True(e.StartsWith("data: ", StringComparison.Ordinal) || e.StartsWith(':'), $"not an SSE data line or comment: '{e}'");
        }
        return [.. events];
    }

    [Fact]
    public async Task ChatStreamIsDataEventsThenDone()
    {
        Curl.RequireInstalled();
        string raw = await Curl.PostAsync(Chat, ApiAssert.ChatBody(extra: ""","stream":true,"stream_options":{"include_usage":true}"""));
        var events = Events(raw);
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.True(chunks.Count >= 4);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var finishes = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("finish_reason")).Where(f => f.ValueKind != JsonValueKind.Null).ToList();
        Assert.Equal("stop", Assert.Single(finishes).GetString());
        Assert.Contains(chunks, c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("reasoning_content", out _));
        // include_usage: the last chunk has no choices and the usage; all the others carry "usage": null.
        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        var usage = last.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
    }

    [Fact]
    public async Task TextCompletionStreamIsDataEventsThenDone()
    {
        Curl.RequireInstalled();
        string raw = await Curl.PostAsync(new Uri(shared.BaseAddress, "v1/completions"), """{"prompt":"12+34=","max_tokens":8,"temperature":0,"stream":true}""");
        var events = Events(raw);
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        Assert.NotEqual(JsonValueKind.Null, chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
    }

    [Fact]
    public async Task WaitingStreamGetsKeepAliveComments()
    {
        Curl.RequireInstalled();
        await using var server = await TestModel.StartServerAsync(new DeepSharpServerOptions { Parallel = 1, KeepAliveInterval = TimeSpan.FromMilliseconds(20) });
        var lease = server.State.Gate.TryEnter()!;   // hold the only slot, so the request must wait
        await lease.WaitAsync(TestContext.Current.CancellationToken);
        using var curl = Curl.StartPost(new Uri(server.BaseAddress, "v1/chat/completions"), ApiAssert.ChatBody(extra: ""","stream":true"""));
        var output = curl.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        while (server.State.Gate.Waiting == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        await Task.Delay(200, TestContext.Current.CancellationToken);
        lease.Dispose();
        string raw = await output.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var events = Events(raw);
        int firstKeepAlive = events.IndexOf(": keep-alive");
        int firstText = events.FindIndex(e => e.Contains("\"reasoning_content\"", StringComparison.Ordinal) || e.Contains("\"content\":\"", StringComparison.Ordinal) && !e.Contains("\"role\"", StringComparison.Ordinal));
        Assert.True(firstKeepAlive >= 0, "no keep-alive comment while the request waited");
        Assert.True(firstKeepAlive < firstText, "keep-alive came only after the text");
        Assert.Equal("data: [DONE]", events[^1]);
    }
}
