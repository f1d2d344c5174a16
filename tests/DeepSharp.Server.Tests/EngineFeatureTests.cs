using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;
using OpenAI;
using OpenAI.Chat;
using static DeepSharp.Server.Tests.ApiAssert;
using DsChat = DeepSharp.Chat;

namespace DeepSharp.Server.Tests;

/// <summary>What the batching engine adds, seen through HTTP: parallel slots, log-probabilities, a prompt cache that survives a restart, 429 from the engine's queue.</summary>
public sealed class EngineFeatureTests
{
    private static ChatClient Client(DeepSharpServer server) =>
        new("deepseek-reasoner", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });

    [Fact]
    public async Task ConcurrentRequestsOnParallelSlotsAnswerAsTheyWouldAlone()
    {
        string[] questions = ["What is 12+34?", "What is 7+8?", "What is 120+5?", "What is 99+1?"];
        var options = new ChatRequestOptions { Sampling = SamplingOptions.Greedy, MaxTokens = 40 };
        var expected = new List<Reference>();
        foreach (string q in questions)
        {
            expected.Add(await Reference.ChatAsync([DsChat.ChatMessage.User(q)], options));
        }
        using var engine = TestModel.Load(new EngineOptions { ParallelSlots = 4 });
        await using var server = await TestModel.StartServerAsync(engine: engine);
        var client = Client(server);
        var replies = await Task.WhenAll(questions.Select(q => client.CompleteChatAsync([new UserChatMessage(q)], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 40 })));
        for (int i = 0; i < questions.Length; i++)
        {
            ChatCompletion reply = replies[i];
            Assert.Equal(expected[i].Content, reply.Content[0].Text);
            Assert.True(reply.Patch.TryGetValue("$.choices[0].message.reasoning_content"u8, out string? reasoning));
            // A reply that closes its think block at once has no reasoning: the API writes null for it.
            Assert.Equal(expected[i].Reasoning.Length == 0 ? null : expected[i].Reasoning, reasoning);
        }
        Assert.Equal(0, engine.Statistics.ActiveSlots);
    }

    [Fact]
    public async Task LogprobsComeBackThroughTheOpenAiClient()
    {
        using var engine = TestModel.Load();
        await using var server = await TestModel.StartServerAsync(engine: engine);
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 40, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };
        ChatCompletion reply = await Client(server).CompleteChatAsync([new UserChatMessage("What is 12+34?")], options);
        var tokens = reply.ContentTokenLogProbabilities;
        Assert.NotEmpty(tokens);
        Assert.Equal(reply.Content[0].Text, string.Concat(tokens.Select(t => t.Token)));
        foreach (var token in tokens)
        {
            Assert.True(token.LogProbability <= 0);
            Assert.Equal(3, token.TopLogProbabilities.Count);
            // Greedy: the chosen token is the most likely one, and the alternatives come most likely first.
            Assert.Equal(token.TopLogProbabilities[0].LogProbability, token.LogProbability, 1e-5f);
            Assert.True(token.TopLogProbabilities.Zip(token.TopLogProbabilities.Skip(1)).All(p => p.First.LogProbability >= p.Second.LogProbability));
            Assert.Equal(Encoding.UTF8.GetBytes(token.Token), token.Utf8Bytes?.ToArray());
        }
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        string body = await (await http.PostAsync("v1/completions", Json("""{"prompt":"12+34=","max_tokens":4,"temperature":0,"logprobs":2}"""))).Content.ReadAsStringAsync();
        var legacy = JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("logprobs");
        int count = legacy.GetProperty("tokens").GetArrayLength();
        Assert.InRange(count, 1, 4);
        Assert.Equal(count, legacy.GetProperty("token_logprobs").GetArrayLength());
        Assert.All(legacy.GetProperty("top_logprobs").EnumerateArray(), t => Assert.InRange(t.EnumerateObject().Count(), 1, 2));
    }

    [Fact]
    public async Task PromptCacheOnDiskIsHitAfterARestart()
    {
        string folder = Directory.CreateTempSubdirectory("deepsharp-prefix-").FullName;
        try
        {
            string system = "You are a careful calculator. Think step by step, check every carry, and answer with the number only. " + string.Concat(Enumerable.Repeat("Be exact. ", 6));
            var messages = new List<OpenAI.Chat.ChatMessage> { new SystemChatMessage(system), new UserChatMessage("What is 12+34?") };
            var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 24 };
            var log = new List<string>();
            var engineOptions = new EngineOptions { PrefixCacheDirectory = folder, MinPrefixTokens = 8, Log = log.Add };
            using (var engine = TestModel.Load(engineOptions))
            {
                await using var server = await TestModel.StartServerAsync(engine: engine);
                ChatCompletion first = await Client(server).CompleteChatAsync(messages, options);
                Assert.Equal(0, first.Usage.InputTokenDetails.CachedTokenCount);
            }
            Assert.True(Directory.GetFiles(folder).Length > 0, "no cache file: " + string.Join("; ", log));
            using (var engine = TestModel.Load(engineOptions))
            {
                Assert.True(engine.Statistics.RetainedPrefixes > 0, string.Join("; ", log));
                await using var server = await TestModel.StartServerAsync(engine: engine);
                messages[1] = new UserChatMessage("What is 7+8?");
                ChatCompletion second = await Client(server).CompleteChatAsync(messages, options);
                Assert.True(second.Usage.InputTokenDetails.CachedTokenCount > 20, $"only {second.Usage.InputTokenDetails.CachedTokenCount} prompt tokens came from the cache written before the restart");
                using var http = new HttpClient { BaseAddress = server.BaseAddress };
                string metrics = await http.GetStringAsync("metrics");
                Assert.Matches("deepsharp_prompt_cache_hit_tokens_total [1-9]", metrics);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task FullEngineQueueIs429()
    {
        using var engine = TestModel.Load(new EngineOptions { ParallelSlots = 1, QueueLimit = 0 });
        // The server lets two requests through, so the second meets the engine's own full queue.
        await using var server = await TestModel.StartServerAsync(new DeepSharpServerOptions { Parallel = 2 }, engine);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        string banEnd = string.Join(",", engine.Tokenizer.Vocabulary.EndOfGenerationIds.Select(id => $"\"{id}\":-100"));
        using var longRequest = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json(ChatBody(extra: $$""","stream":true,"logit_bias":{{{banEnd}}}""", maxTokens: 480)) };
        using var running = await http.SendAsync(longRequest, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await running.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is string line && !line.Contains("reasoning_content", StringComparison.Ordinal))
        {
        }
        using var busy = await http.PostAsync("v1/chat/completions", Json(ChatBody()), TestContext.Current.CancellationToken);
        await ErrorAsync(busy, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.NotNull(busy.Headers.RetryAfter);
    }
}
