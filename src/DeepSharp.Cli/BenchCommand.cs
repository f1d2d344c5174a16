using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using DeepSharp.Compute;
using DeepSharp.Models;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp bench MODEL [--prompt N] [--gen M] [--threads T] [--repetitions R] [--json] [--context N] [--fill]
/// [--batch B] [--kv-f32] [--bandwidth]</c>: prompt (prefill) and decode speed as the median of repetitions after one warm-up,
/// time to first token, weight bytes read per decoded token, experts chosen, KV-cache size, collections during
/// decoding and the process's memory. <c>--tokens</c> is an alias of <c>--gen</c>. With <c>--fill</c> the cache
/// is filled to the end of the context (the prompt's cached rows repeated) before decoding, so every position is
/// resident and attended to. With <c>--bandwidth</c> a probe reads a 512 MiB buffer on the same threads before and
/// after every measured repetition, and decode is also given as a share of the bound that rate sets (weight bytes
/// per token ÷ bytes per second). With <c>--json</c> the result is one JSON object on standard output.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path to a GGUF file" };
        var prompt = new Option<int>("--prompt") { Description = "Prompt tokens (random ids), evaluated in batches of --batch", DefaultValueFactory = _ => 512 };
        var gen = new Option<int>("--gen", "--tokens") { Description = "Tokens to decode one at a time (greedy)", DefaultValueFactory = _ => 128 };
        var context = new Option<int>("--context") { Description = "Positions to allocate in the KV cache (default: prompt + gen)" };
        var fill = new Option<bool>("--fill") { Description = "Fill the cache up to the end of the context before decoding" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all processors)" };
        var repetitions = new Option<int>("--repetitions") { Description = "Measured repetitions (after one warm-up); speeds are their medians", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Prompt tokens per forward pass", DefaultValueFactory = _ => 512 };
        var kvF32 = new Option<bool>("--kv-f32") { Description = "Keep the KV cache in F32 instead of F16" };
        var json = new Option<bool>("--json") { Description = "Write one JSON object instead of text" };
        var bandwidth = new Option<bool>("--bandwidth")
        {
            Description = "Measure memory bandwidth on the same threads around every repetition and give decode as a share of the bound it sets (allocates 512 MiB more)",
        };
        var command = new Command("bench", "Measure prompt and decode speed, time to first token, weight bytes read per token and memory")
        {
            model, prompt, gen, context, fill, threads, repetitions, batch, kvF32, json, bandwidth,
        };
        command.SetAction(r => CliErrors.Guard(() => Run(
            new Settings(r.GetValue(model)!, r.GetValue(prompt), r.GetValue(gen), r.GetValue(context), r.GetValue(fill), r.GetValue(threads), r.GetValue(kvF32))
            {
                Repetitions = r.GetValue(repetitions), Batch = r.GetValue(batch), Json = r.GetValue(json), Bandwidth = r.GetValue(bandwidth),
            },
            Console.Out)));
        return command;
    }

    public static int Run(Settings s, TextWriter o)
    {
        if (s.Prompt < 1 || s.Tokens < 1 || s.Repetitions < 1 || s.Batch < 1)
        {
            throw new ArgumentException("--prompt, --gen, --repetitions and --batch must be at least 1");
        }
        var text = s.Json ? TextWriter.Null : o;
        var clock = Stopwatch.StartNew();
        using var model = TransformerModel.Load(s.Model);
        var c = model.Config;
        int contextLength = Math.Max(s.Context, s.Prompt + s.Tokens);
        if (contextLength > c.ContextLength)
        {
            throw new ArgumentException($"--context {contextLength} exceeds the model's trained context {c.ContextLength}");
        }
        double loadSeconds = clock.Elapsed.TotalSeconds;
        text.WriteLine($"model:    {Path.GetFileName(s.Model)}: {c.Architecture.ToGgufName()}, {c.LayerCount} layers, {Gib(new FileInfo(s.Model).Length)} on disk, loaded in {Seconds(loadSeconds)}");
        text.WriteLine($"memory:   {ProcessMemory.Read()} after loading");

        var kvType = s.KvF32 ? KvCacheType.F32 : KvCacheType.F16;
        var cache = model.CreateCache(contextLength, kvType);
        text.WriteLine($"KV cache: {contextLength} positions × {cache.Bytes / contextLength:N0} B = {Gib(cache.Bytes)} ({kvType})");

        int threadCount = s.Threads > 0 ? s.Threads : Environment.ProcessorCount;
        using var pool = new ComputePool(threadCount);
        var meter = new ForwardMeter();
        // Only decoding is metered: the bytes and experts per token are those of one decode step.
        var prefillContext = new ForwardContext(new Workspace(), pool);
        var run = new Runner(model, cache, prefillContext, prefillContext with { Meter = meter }, s, contextLength);

        var warmUp = run.Once(text, warmUp: true);
        text.WriteLine($"warm-up:  prompt {warmUp.PrefillPerSecond:0.00} tokens/s, decode {warmUp.DecodePerSecond:0.00} tokens/s (not counted)");
        var results = new List<Repetition>();
        using var probe = s.Bandwidth ? new MemoryBandwidthProbe(s.BandwidthBytes) : null;
        meter.Reset();
        for (int r = 0; r < s.Repetitions; r++)
        {
            double before = probe?.Measure(pool) ?? 0;
            var result = run.Once(text, warmUp: false);
            // The host's bandwidth moves with other tenants: the rate read just before and just after the run.
            result = result with { BytesPerSecond = probe is null ? 0 : (before + probe.Measure(pool)) / 2 };
            results.Add(result);
            text.WriteLine($"run {r + 1}:    prompt {s.Prompt} tokens {result.PrefillPerSecond:0.00} tokens/s, first token after {result.FirstTokenSeconds * 1000:0} ms, " +
                $"decode {s.Tokens} tokens at positions {result.DecodeStart}..{result.DecodeStart + s.Tokens - 1} {result.DecodePerSecond:0.00} tokens/s, {result.Collections} collections while decoding" +
                (probe is null ? "" : $", memory {result.BytesPerSecond / 1e9:0.0} GB/s"));
        }
        var summary = new Summary(
            Median(results.Select(x => x.PrefillPerSecond)), Median(results.Select(x => x.DecodePerSecond)), Median(results.Select(x => x.FirstTokenSeconds)),
            meter.WeightBytes / ((long)s.Tokens * s.Repetitions), ProcessMemory.Read(), PrivateBytes());
        text.WriteLine($"prompt:   {summary.PrefillPerSecond:0.00} tokens/s (median of {s.Repetitions}, batches of {Math.Min(s.Batch, s.Prompt)})");
        text.WriteLine($"first:    {summary.FirstTokenSeconds * 1000:0} ms to the first token (median)");
        text.WriteLine($"decode:   {summary.DecodePerSecond:0.00} tokens/s (median of {s.Repetitions})");
        text.WriteLine($"weights:  {Gib(summary.WeightBytesPerToken)} read per token ({summary.WeightBytesPerToken:N0} B)");
        if (probe is not null)
        {
            var bound = Bound.Of(results, summary.WeightBytesPerToken);
            text.WriteLine($"bound:    {bound.BytesPerSecond / 1e9:0.0} GB/s read by {threadCount} thread(s) (median of the probes around each run) ÷ " +
                $"{summary.WeightBytesPerToken:N0} B per token = {bound.TokensPerSecond:0.00} tokens/s; decode reached {bound.Share:P1} of it (median of the runs' shares)");
        }
        var experts = meter.ExpertSelections();
        if (experts.Count > 0)
        {
            int decoded = s.Tokens * s.Repetitions;
            double perLayer = experts.Values.Average(counts => counts.Sum()) / decoded;
            int distinct = experts.Values.Sum(counts => counts.Count(n => n > 0));
            text.WriteLine($"experts:  {perLayer:0.##} chosen per token in each of {experts.Count} MoE layers; {distinct} distinct (layer, expert) pairs over {decoded} tokens");
        }
        text.WriteLine($"memory:   {summary.Memory} at the end; private {Gib(summary.PrivateBytes)}");
        if (s.Json)
        {
            WriteJson(o, s, model, threadCount, loadSeconds, cache.Bytes, results, summary);
        }
        return 0;
    }

    private static void WriteJson(TextWriter o, Settings s, TransformerModel model, int threads, double loadSeconds, long cacheBytes, List<Repetition> results, Summary summary)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", Path.GetFileName(s.Model));
            w.WriteString("architecture", model.Config.Architecture.ToGgufName());
            w.WriteNumber("threads", threads);
            w.WriteNumber("prompt_tokens", s.Prompt);
            w.WriteNumber("gen_tokens", s.Tokens);
            w.WriteNumber("batch", Math.Min(s.Batch, s.Prompt));
            w.WriteNumber("repetitions", s.Repetitions);
            w.WriteString("kv_cache_type", s.KvF32 ? "F32" : "F16");
            w.WriteNumber("prefill_tokens_per_second", summary.PrefillPerSecond);
            w.WriteNumber("decode_tokens_per_second", summary.DecodePerSecond);
            w.WriteNumber("time_to_first_token_ms", summary.FirstTokenSeconds * 1000);
            w.WriteNumber("load_seconds", loadSeconds);
            w.WriteNumber("weight_bytes_per_token", summary.WeightBytesPerToken);
            w.WriteNumber("kv_cache_bytes", cacheBytes);
            w.WriteNumber("peak_working_set_bytes", summary.Memory.Peak ?? summary.Memory.Resident);
            w.WriteNumber("private_bytes", summary.PrivateBytes);
            w.WriteNumber("resident_bytes", summary.Memory.Resident);
            if (s.Bandwidth)
            {
                var bound = Bound.Of(results, summary.WeightBytesPerToken);
                w.WriteNumber("memory_bandwidth_bytes_per_second", bound.BytesPerSecond);
                w.WriteNumber("decode_bound_tokens_per_second", bound.TokensPerSecond);
                w.WriteNumber("decode_share_of_bound", bound.Share);
            }
            w.WriteStartArray("runs");
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteNumber("prefill_tokens_per_second", r.PrefillPerSecond);
                w.WriteNumber("decode_tokens_per_second", r.DecodePerSecond);
                w.WriteNumber("time_to_first_token_ms", r.FirstTokenSeconds * 1000);
                w.WriteNumber("decode_collections", r.Collections);
                if (s.Bandwidth)
                {
                    w.WriteNumber("memory_bandwidth_bytes_per_second", r.BytesPerSecond);
                    w.WriteNumber("decode_share_of_bound", r.DecodePerSecond * summary.WeightBytesPerToken / r.BytesPerSecond);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long PrivateBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PrivateMemorySize64;
    }

    /// <summary>Copies the rows of positions 0..<paramref name="source"/>−1 cyclically into positions up to <paramref name="end"/>.</summary>
    private static void Repeat(KvCache cache, int source, int end)
    {
        for (int layer = 0; layer < cache.LayerCount; layer++)
        {
            foreach (var plane in cache.Layer(layer))
            {
                var row = new float[plane.Width];
                for (int p = source; p < end; p++)
                {
                    plane.Read(p % source, 0, row);
                    plane.Write(p, row);
                }
            }
        }
    }

    private static string Seconds(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.000", CultureInfo.InvariantCulture) + " GiB";

    /// <summary>What <c>bench</c> runs. <see cref="Tokens"/> is <c>--gen</c>.</summary>
    internal sealed record Settings(string Model, int Prompt, int Tokens, int Context, bool Fill, int Threads, bool KvF32)
    {
        /// <summary>Measured repetitions after the warm-up.</summary>
        public int Repetitions { get; init; } = 1;

        /// <summary>Prompt tokens per forward pass.</summary>
        public int Batch { get; init; } = 512;

        /// <summary>Write JSON instead of text.</summary>
        public bool Json { get; init; }

        /// <summary>Measure memory bandwidth around every repetition (<see cref="MemoryBandwidthProbe"/>).</summary>
        public bool Bandwidth { get; init; }

        /// <summary>Bytes of the bandwidth probe's buffer.</summary>
        public long BandwidthBytes { get; init; } = 512L << 20;
    }

    /// <summary>One measured prompt + decode, and the memory bandwidth measured around it (0 without the probe).</summary>
    private sealed record Repetition(double PrefillPerSecond, double FirstTokenSeconds, double DecodePerSecond, int DecodeStart, int Collections)
    {
        public double BytesPerSecond { get; init; }
    }

    /// <summary>The bandwidth bound of decoding: the median probe rate, the token rate it allows, and the median share reached.</summary>
    private sealed record Bound(double BytesPerSecond, double TokensPerSecond, double Share)
    {
        public static Bound Of(List<Repetition> results, long bytesPerToken)
        {
            double bytesPerSecond = Median(results.Select(r => r.BytesPerSecond));
            return new Bound(bytesPerSecond, bytesPerSecond / bytesPerToken, Median(results.Select(r => r.DecodePerSecond * bytesPerToken / r.BytesPerSecond)));
        }
    }

    /// <summary>The medians and the memory.</summary>
    private sealed record Summary(double PrefillPerSecond, double DecodePerSecond, double FirstTokenSeconds, long WeightBytesPerToken, ProcessMemory Memory, long PrivateBytes);

    /// <summary>Runs one prompt and its decoding on the same cache each time (positions are overwritten from 0).</summary>
    private sealed class Runner(TransformerModel model, KvCache cache, ForwardContext prefillContext, ForwardContext decodeContext, Settings s, int contextLength)
    {
        private readonly float[] _logits = new float[model.VocabSize];
        private readonly int[] _token = new int[1];
        private int _seed = 1;

        public Repetition Once(TextWriter text, bool warmUp)
        {
            var random = new Random(_seed++);
            int[] prompt = Enumerable.Range(0, s.Prompt).Select(_ => random.Next(model.VocabSize)).ToArray();
            var clock = Stopwatch.StartNew();
            for (int start = 0; start < s.Prompt; start += s.Batch)
            {
                int n = Math.Min(s.Batch, s.Prompt - start);
                model.Forward(prefillContext, prompt.AsSpan(start, n), start, cache, allPositions: false, _logits);
            }
            double prefill = clock.Elapsed.TotalSeconds;
            _token[0] = TensorPrimitives.IndexOfMax<float>(_logits);
            double firstToken = clock.Elapsed.TotalSeconds;

            int position = s.Prompt;
            if (s.Fill)
            {
                position = contextLength - s.Tokens;
                Repeat(cache, s.Prompt, position);
                if (warmUp)
                {
                    text.WriteLine($"filled:   positions {s.Prompt}..{position - 1} with the prompt's cached rows; {ProcessMemory.Read()}");
                }
            }
            int collections = GC.CollectionCount(0);
            clock.Restart();
            for (int i = 0; i < s.Tokens; i++)
            {
                model.Forward(decodeContext, _token, position + i, cache, allPositions: false, _logits);
                _token[0] = TensorPrimitives.IndexOfMax<float>(_logits);
            }
            double decode = clock.Elapsed.TotalSeconds;
            return new Repetition(s.Prompt / prefill, firstToken, s.Tokens / decode, position, GC.CollectionCount(0) - collections);
        }
    }
}
