using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DeepSharp.Engine;
using DeepSharp.Inference;
using static DeepSharp.Server.Tests.ApiAssert;

namespace DeepSharp.Server.Tests;

[CollectionDefinition(DisableParallelization = true)]
public sealed class LoadCollection;

/// <summary>
/// A bounded load test: 200 requests, 16 at a time, mixing streamed and whole replies, text completions, clients that
/// hang up mid-stream and malformed requests. The server must answer every one without a 5xx, leave no request
/// hanging, free every slot, and give its memory back. Runs alone so the memory reading is its own.
/// </summary>
[Collection(nameof(LoadCollection))]
[Trait("Category", "Slow")]
public sealed partial class LoadTests
{
    private const int Requests = 200;
    private const int Concurrency = 16;
    private const int MaxTokens = 12;
    private static readonly TimeSpan PerRequestTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ManyMixedRequestsLeaveTheServerCleanAndWhole()
    {
        var ct = TestContext.Current.CancellationToken;
        // Paced at 2 ms a forward pass: unpaced, the tiny model can write a hang-up request's whole 400-token reply into
        // the socket buffers before a slow (loaded) client reads its third event, and then nothing is cancelled.
        using var engine = TestModel.Load(new EngineOptions { ParallelSlots = 4, Session = new SessionOptions { ActivationSink = new PacedSteps(2) } });
        await using var server = await TestModel.StartServerAsync(new DeepSharpServerOptions { QueueCapacity = 64, KeepAliveInterval = TimeSpan.FromMilliseconds(100) }, engine);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        string banEnd = string.Join(",", engine.Tokenizer.Vocabulary.EndOfGenerationIds.Select(id => $"\"{id}\":-100"));

        for (int i = 0; i < 8; i++)
        {
            await RunOneAsync(http, i, banEnd, ct);   // warm-up: JIT, pools, caches
        }
        long baseline = SettledMemory();

        var statuses = new ConcurrentBag<int>();
        int hung = 0;
        int next = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) <= Requests)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(PerRequestTimeout);
                try
                {
                    statuses.Add(await RunOneAsync(http, index, banEnd, timeout.Token));
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref hung);
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;

        Assert.Equal(0, hung);
        Assert.Equal(Requests, statuses.Count);
        Assert.DoesNotContain(statuses, s => s >= 500);
        Assert.Contains(statuses, s => s == 400);                         // the malformed ones were refused…
        Assert.True(statuses.Count(s => s == 200) > Requests / 2);        // …and the rest were served

        // Every slot comes back, including those of clients that hung up mid-stream.
        string metrics = "";
        for (int i = 0; i < 100 && !(Gauge(metrics, "deepsharp_requests_running") == 0 && Gauge(metrics, "deepsharp_requests_waiting") == 0); i++)
        {
            await Task.Delay(50, ct);
            metrics = await http.GetStringAsync("metrics", ct);
        }
        Assert.Equal(0, Gauge(metrics, "deepsharp_requests_running"));
        Assert.Equal(0, Gauge(metrics, "deepsharp_requests_waiting"));
        Assert.Equal(4, Gauge(metrics, "deepsharp_slots_free"));
        Assert.True(Gauge(metrics, "deepsharp_requests_cancelled_total") > 0, "no request was cancelled mid-stream");
        Assert.DoesNotMatch("status=\"5\\d\\d\"", metrics);
        Assert.Equal(0, server.State.Gate.Running);
        var statistics = engine.Statistics;
        Assert.Equal((0, 0, 0L), (statistics.ActiveSlots, statistics.QueuedRequests, statistics.KvPositionsUsed));
        Assert.Equal(0, statistics.RequestsFailed);
        Assert.True(statistics.RequestsCancelled > 0);

        long after = SettledMemory();
        Assert.True(after - baseline < 16 << 20, $"managed memory grew from {baseline >> 20} MiB to {after >> 20} MiB");
        TestContext.Current.SendDiagnosticMessage($"{Requests} requests in {elapsed.TotalSeconds:0.0} s; memory {baseline >> 20} → {after >> 20} MiB");
    }

    /// <summary>One request of a kind chosen by its index; returns the status the client saw (499 for a hang-up).</summary>
    private static async Task<int> RunOneAsync(HttpClient http, int index, string banEnd, CancellationToken ct)
    {
        string question = $"What is {index % 97}+{index % 13}?";
        switch (index % 10)
        {
            case 0:
            case 1:
            case 2:
            case 3:
                return await StreamAsync(http, "v1/chat/completions", ChatBody(question, $$""","stream":true,"seed":{{index}}""", MaxTokens, temperature: index % 3 * 0.5), ct);
            case 4:
            case 5:
                return await PostAsync(http, "v1/chat/completions", ChatBody(question, maxTokens: MaxTokens), ct);
            case 6:
                return await PostAsync(http, "v1/completions", $$"""{"prompt":"{{index}}+1=","max_tokens":{{MaxTokens}},"temperature":0.7,"stream":{{(index % 20 == 6 ? "true" : "false")}}}""", ct);
            case 7:
                // A client that hangs up mid-stream: the end token is banned, so the reply would run long.
                return await HangUpAsync(http, ChatBody(question, $$""","stream":true,"logit_bias":{{{banEnd}}}""", maxTokens: 400), ct);
            case 8:
                return await PostAsync(http, "v1/chat/completions", Malformed(index), ct);
            default:
                return await PostAsync(http, "v1/chat/completions", ChatBody(question, ""","response_format":{"type":"json_object"}""", MaxTokens), ct);
        }
    }

    private static string Malformed(int index) => (index / 10 % 5) switch
    {
        0 => """{"messages":[{"role":"user","content":""",
        1 => """{"messages":[{"role":"user","content":"hi"}],"temperature":-1}""",
        2 => """{"messages":[{"role":"robot","content":"hi"}]}""",
        3 => "\u0000\u0001garbage",
        _ => """{"messages":[{"role":"user","content":"hi"}],"max_tokens":"many"}""",
    };

    private static async Task<int> PostAsync(HttpClient http, string path, string body, CancellationToken ct)
    {
        using var response = await http.PostAsync(path, Json(body), ct);
        await response.Content.ReadAsStringAsync(ct);
        return (int)response.StatusCode;
    }

    private static async Task<int> StreamAsync(HttpClient http, string path, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.EndsWith("data: [DONE]\n\n", text);
        }
        return (int)response.StatusCode;
    }

    private static async Task<int> HangUpAsync(HttpClient http, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        int events = 0;
        while (events < 3 && await reader.ReadLineAsync(ct) is string line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events++;
            }
        }
        return 499;   // disposing the response now closes the connection under the running reply
    }

    private static long SettledMemory()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long Gauge(string metrics, string name)
    {
        var match = Regex.Match(metrics, $"^{name} (\\d+)$", RegexOptions.Multiline);
        return match.Success ? long.Parse(match.Groups[1].Value) : -1;
    }
}
