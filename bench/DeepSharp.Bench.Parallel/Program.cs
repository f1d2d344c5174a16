// Aggregate decode throughput of N concurrent streams on one ChatEngine against one stream.
//
//   dotnet run -c Release --project bench/DeepSharp.Bench.Parallel -- MODEL.gguf [--parallel 1,8] [--tokens 32] [--rounds 3] [--threads N]
//   dotnet run -c Release --project bench/DeepSharp.Bench.Parallel -- --write-fixture MODEL.gguf [--type Q8_0]
//
// Each round runs every parallelism once, alternating, so slow phases of a shared machine hit all of them alike; the
// report gives per-round figures and the median. A run submits N raw completions of distinct short prompts at once
// (greedy, end-of-generation tokens banned so every stream decodes exactly --tokens tokens) and measures wall time
// from the moment every stream has its first token to the last token: decode tokens/s = N × (tokens − 1) / that time.
using System.Diagnostics;
using System.Globalization;
using DeepSharp.Compute;
using DeepSharp.Engine;
using DeepSharp.Fixtures;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;
using DeepSharp.Models;
using DeepSharp.Quantization;

var options = ParseArguments(args);
if (options.TryGetValue("write-fixture", out string? fixturePath))
{
    var type = Enum.Parse<GgmlType>(options.GetValueOrDefault("type", "Q8_0"), ignoreCase: true);
    // Qwen2-0.5B's shape (FACTS.md: 24 layers, width 896, 14 heads over 2 KV heads, FFN 4864, vocabulary 151,936, tied head).
    var config = FixturePresets.Get("qwen2-1.5b") with { EmbeddingLength = 896, LayerCount = 24, FeedForwardLength = 4864, HeadCount = 14, KeyLength = 64, ValueLength = 64, RopeDimensionCount = 64 };
    var clock = Stopwatch.StartNew();
    ModelFixtureWriter.Write(new FixtureSpec("qwen2-0.5b-shaped", config, type), fixturePath);
    Console.WriteLine($"wrote {fixturePath} ({new FileInfo(fixturePath).Length / 1e6:0} MB, {type}) in {clock.Elapsed.TotalSeconds:0} s");
    return 0;
}
string model = options.GetValueOrDefault("model") ?? throw new ArgumentException("give a model path");
int[] parallel = options.GetValueOrDefault("parallel", "1,8").Split(',').Select(int.Parse).ToArray();
int tokens = int.Parse(options.GetValueOrDefault("tokens", "32"), CultureInfo.InvariantCulture);
int rounds = int.Parse(options.GetValueOrDefault("rounds", "3"), CultureInfo.InvariantCulture);
int threads = int.Parse(options.GetValueOrDefault("threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

using var pool = new ComputePool(threads);
var meters = parallel.ToDictionary(n => n, _ => new ForwardMeter());
var engines = parallel.ToDictionary(n => n, n => ChatEngine.Load(model, new EngineOptions
{
    ParallelSlots = n, PrefixCacheTokens = 0, Session = new SessionOptions { ContextLength = 256, BatchSize = 512, Pool = pool, Meter = meters[n] },
}));
var first = engines.Values.First();
var ban = first.Tokenizer.Vocabulary.EndOfGenerationIds.ToDictionary(id => id, _ => float.NegativeInfinity);
var request = new ChatRequestOptions { MaxTokens = tokens, Sampling = SamplingOptions.Greedy with { LogitBias = ban } };
Console.WriteLine($"model {Path.GetFileName(model)} ({new FileInfo(model).Length / 1e6:0} MB), {threads} threads, {tokens} tokens per stream, {rounds} rounds, {Environment.ProcessorCount} processors");

// Warm-up: one short run per engine (JIT, page cache).
foreach (var (n, engine) in engines)
{
    await RunAsync(engine, n, request with { MaxTokens = 3 });
}
var results = parallel.ToDictionary(n => n, _ => new List<double>());
foreach (var meter in meters.Values)
{
    meter.Reset();
}
for (int round = 0; round < rounds; round++)
{
    foreach (int n in round % 2 == 0 ? parallel : parallel.Reverse())
    {
        double rate = await RunAsync(engines[n], n, request);
        results[n].Add(rate);
        Console.WriteLine($"round {round + 1}: {n} stream(s): {rate:0.00} decode tokens/s");
    }
}
double baseline = Median(results[parallel[0]]);
foreach (int n in parallel)
{
    double median = Median(results[n]);
    // The meter adds each product's matrix bytes once per pass, however many rows it serves: bytes per sampled token.
    double bytesPerToken = (double)meters[n].WeightBytes / (rounds * n * tokens);
    Console.WriteLine($"{n} stream(s): median {median:0.00} tokens/s ({median / baseline:0.00}× {parallel[0]} stream(s)); runs {string.Join(", ", results[n].Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; weights read per token {bytesPerToken / 1e6:0} MB");
}
foreach (var engine in engines.Values)
{
    engine.Dispose();
}
return 0;

static async Task<double> RunAsync(ChatEngine engine, int streams, ChatRequestOptions request)
{
    var firstToken = new long[streams];
    var lastToken = new long[streams];
    var completion = new int[streams];
    await Task.WhenAll(Enumerable.Range(0, streams).Select(async s =>
    {
        await foreach (var update in engine.CompleteAsync($"Stream {s}: the story of the number {s * 7 + 3} begins", request))
        {
            long now = Stopwatch.GetTimestamp();
            if (firstToken[s] == 0)
            {
                firstToken[s] = now;
            }
            lastToken[s] = now;
            if (update.Usage is { } usage)
            {
                completion[s] = usage.CompletionTokens;
            }
        }
    }));
    if (completion.Any(c => c != request.MaxTokens))
    {
        throw new InvalidOperationException($"a stream stopped early: {string.Join(", ", completion)}");
    }
    double seconds = Stopwatch.GetElapsedTime(firstToken.Max(), lastToken.Max()).TotalSeconds;
    return streams * (request.MaxTokens - 1.0) / Math.Max(seconds, 1e-9);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>();
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal))
        {
            result[args[i][2..]] = i + 1 < args.Length ? args[++i] : "";
        }
        else
        {
            result["model"] = args[i];
        }
    }
    return result;
}
