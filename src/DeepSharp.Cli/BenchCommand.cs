using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using DeepSharp.Compute;
using DeepSharp.Models;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp bench MODEL [--prompt N] [--tokens N] [--context N] [--fill] [--threads N] [--kv-f32]</c>: prompt and
/// decode speed, weight bytes read per decoded token, experts chosen, KV-cache size and the process's memory. With
/// <c>--fill</c> the cache is filled to the end of the context (the prompt's cached rows repeated) and decoding
/// happens there, so every position is resident and attended to.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path to a GGUF file" };
        var prompt = new Option<int>("--prompt") { Description = "Prompt tokens, evaluated in batches of 64", DefaultValueFactory = _ => 16 };
        var tokens = new Option<int>("--tokens") { Description = "Tokens to decode one at a time (greedy)", DefaultValueFactory = _ => 8 };
        var context = new Option<int>("--context") { Description = "Positions to allocate in the KV cache (default: prompt + tokens)" };
        var fill = new Option<bool>("--fill") { Description = "Fill the cache up to the end of the context before decoding" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all processors)" };
        var kvF32 = new Option<bool>("--kv-f32") { Description = "Keep the KV cache in F32 instead of F16" };
        var command = new Command("bench", "Measure prompt and decode speed, weight bytes read per token and memory")
        {
            model, prompt, tokens, context, fill, threads, kvF32,
        };
        command.SetAction(r => CliErrors.Guard(() => Run(
            new Settings(r.GetValue(model)!, r.GetValue(prompt), r.GetValue(tokens), r.GetValue(context), r.GetValue(fill), r.GetValue(threads), r.GetValue(kvF32)),
            Console.Out)));
        return command;
    }

    public static int Run(Settings s, TextWriter o)
    {
        if (s.Prompt < 1 || s.Tokens < 1)
        {
            throw new ArgumentException("--prompt and --tokens must be at least 1");
        }
        var clock = Stopwatch.StartNew();
        using var model = TransformerModel.Load(s.Model);
        var c = model.Config;
        int contextLength = Math.Max(s.Context, s.Prompt + s.Tokens);
        if (contextLength > c.ContextLength)
        {
            throw new ArgumentException($"--context {contextLength} exceeds the model's trained context {c.ContextLength}");
        }
        o.WriteLine($"model:    {Path.GetFileName(s.Model)}: {c.Architecture.ToGgufName()}, {c.LayerCount} layers, {Gib(new FileInfo(s.Model).Length)} on disk, loaded in {Seconds(clock)}");
        o.WriteLine($"memory:   {ProcessMemory.Read()} after loading");

        var kvType = s.KvF32 ? KvCacheType.F32 : KvCacheType.F16;
        var cache = model.CreateCache(contextLength, kvType);
        o.WriteLine($"KV cache: {contextLength} positions × {cache.Bytes / contextLength:N0} B = {Gib(cache.Bytes)} ({kvType})");

        using var pool = new ComputePool(s.Threads > 0 ? s.Threads : Environment.ProcessorCount);
        var meter = new ForwardMeter();
        var context = new ForwardContext(new Workspace(), pool) { Meter = meter };
        var logits = new float[model.VocabSize];
        var random = new Random(1);
        int[] promptTokens = Enumerable.Range(0, s.Prompt).Select(_ => random.Next(model.VocabSize)).ToArray();

        clock.Restart();
        for (int start = 0; start < s.Prompt; start += 64)
        {
            int n = Math.Min(64, s.Prompt - start);
            model.Forward(context, promptTokens.AsSpan(start, n), start, cache, allPositions: false, logits);
        }
        double promptSeconds = clock.Elapsed.TotalSeconds;
        o.WriteLine($"prompt:   {s.Prompt} tokens in {promptSeconds:0.00} s = {s.Prompt / promptSeconds:0.00} tokens/s");

        int position = s.Prompt;
        if (s.Fill)
        {
            position = contextLength - s.Tokens;
            clock.Restart();
            Repeat(cache, s.Prompt, position);
            o.WriteLine($"filled:   positions {s.Prompt}..{position - 1} with the prompt's cached rows in {Seconds(clock)}");
        }
        o.WriteLine($"memory:   {ProcessMemory.Read()} with {position} positions cached");

        meter.Reset();
        clock.Restart();
        int token = TensorPrimitives.IndexOfMax<float>(logits);
        for (int i = 0; i < s.Tokens; i++)
        {
            model.Forward(context, [token], position + i, cache, allPositions: false, logits);
            token = TensorPrimitives.IndexOfMax<float>(logits);
        }
        double decodeSeconds = clock.Elapsed.TotalSeconds;
        o.WriteLine($"decode:   {s.Tokens} tokens at positions {position}..{position + s.Tokens - 1} in {decodeSeconds:0.00} s = {s.Tokens / decodeSeconds:0.00} tokens/s");
        o.WriteLine($"weights:  {Gib(meter.WeightBytes / s.Tokens)} read per token ({meter.WeightBytes / s.Tokens:N0} B)");
        var experts = meter.ExpertSelections();
        if (experts.Count > 0)
        {
            double perLayer = experts.Values.Average(counts => counts.Sum()) / s.Tokens;
            int distinct = experts.Values.Sum(counts => counts.Count(n => n > 0));
            o.WriteLine($"experts:  {perLayer:0.##} chosen per token in each of {experts.Count} MoE layers; {distinct} distinct (layer, expert) pairs over {s.Tokens} tokens");
        }
        o.WriteLine($"memory:   {ProcessMemory.Read()} at the end");
        return 0;
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

    private static string Seconds(Stopwatch clock) => clock.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.000", CultureInfo.InvariantCulture) + " GiB";

    /// <summary>What <c>bench</c> runs.</summary>
    internal sealed record Settings(string Model, int Prompt, int Tokens, int Context, bool Fill, int Threads, bool KvF32);
}
