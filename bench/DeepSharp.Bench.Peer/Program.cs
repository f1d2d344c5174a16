using System.Globalization;
using System.Text.Json;
using DeepSharp.Bench.Peer;

// DeepSharp against llama.cpp on the same GGUF files: the same random prompt (ids drawn from the vocabulary) evaluated
// in one batch, then the same number of greedy decode steps, the same threads. The engines alternate (A B, B A, ...)
// after one warm-up run each, so load from other processes falls on both; speeds are medians of the repetitions.
//
//   dotnet run -c Release --project bench/DeepSharp.Bench.Peer -- [--prompt 512] [--gen 64] [--threads 2]
//       [--repetitions 5] [--no-repack] [--out results.json] MODEL.gguf...
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var models = new List<string>();
bool repack = true;
const string Usage = "usage: DeepSharp.Bench.Peer [--prompt N] [--gen N] [--threads N] [--repetitions N] [--no-repack] [--out FILE] MODEL.gguf...";
for (int i = 0; i < args.Length; i++)
{
    if (args[i] is "--help" or "-h")
    {
        Console.WriteLine(Usage);
        return 0;
    }
    if (args[i] == "--no-repack")
    {
        repack = false;
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i]] = args[++i];
    }
    else
    {
        models.Add(args[i]);
    }
}
int Option(string name, int fallback) => options.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
int promptLength = Option("--prompt", 512), generate = Option("--gen", 64), threads = Option("--threads", 2), repetitions = Option("--repetitions", 5);
if (models.Count == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}
if (models.FirstOrDefault(m => !File.Exists(m)) is { } missing)
{
    Console.Error.WriteLine($"no such model file: {missing}");
    return 2;
}

var report = new List<object>();
foreach (string path in models)
{
    Console.WriteLine($"{Path.GetFileName(path)}: prompt {promptLength}, gen {generate}, {threads} threads, {repetitions} repetitions, llama.cpp repacking {(repack ? "on" : "off")}");
    using var deepSharp = new DeepSharpEngine(path, threads);
    using var llama = new LlamaCppEngine(path, threads, repack);
    IEngine[] engines = [deepSharp, llama];
    var random = new Random(1);
    int[] NewPrompt() => Enumerable.Range(0, promptLength).Select(_ => random.Next(Math.Min(deepSharp.VocabSize, llama.VocabSize))).ToArray();

    var warmUp = NewPrompt();
    foreach (var engine in engines)
    {
        var m = engine.Run(warmUp, generate);
        Console.WriteLine($"  warm-up {engine.Name,-9}: prefill {m.PrefillPerSecond,7:0.00} tok/s, decode {m.DecodePerSecond,6:0.00} tok/s");
    }
    var results = engines.ToDictionary(e => e.Name, _ => new List<Measurement>());
    for (int r = 0; r < repetitions; r++)
    {
        var prompt = NewPrompt();
        foreach (var engine in r % 2 == 0 ? engines : engines.Reverse())
        {
            var m = engine.Run(prompt, generate);
            results[engine.Name].Add(m);
            Console.WriteLine($"  run {r + 1} {engine.Name,-9}: prefill {m.PrefillPerSecond,7:0.00} tok/s, decode {m.DecodePerSecond,6:0.00} tok/s  (load {Load()})");
        }
    }
    double Median(string engine, Func<Measurement, double> value)
    {
        var sorted = results[engine].Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
    double dsPrefill = Median(deepSharp.Name, m => m.PrefillPerSecond), dsDecode = Median(deepSharp.Name, m => m.DecodePerSecond);
    double llPrefill = Median(llama.Name, m => m.PrefillPerSecond), llDecode = Median(llama.Name, m => m.DecodePerSecond);
    Console.WriteLine($"  median    DeepSharp: prefill {dsPrefill,7:0.00} tok/s, decode {dsDecode,6:0.00} tok/s");
    Console.WriteLine($"  median    llama.cpp: prefill {llPrefill,7:0.00} tok/s, decode {llDecode,6:0.00} tok/s");
    Console.WriteLine($"  ratio DeepSharp / llama.cpp: prefill {dsPrefill / llPrefill:0.00}, decode {dsDecode / llDecode:0.00}");
    report.Add(new
    {
        model = Path.GetFileName(path), prompt_tokens = promptLength, gen_tokens = generate, threads, repetitions, llama_repack = repack,
        deepsharp = new { prefill_tokens_per_second = dsPrefill, decode_tokens_per_second = dsDecode, runs = results[deepSharp.Name] },
        llama_cpp = new { prefill_tokens_per_second = llPrefill, decode_tokens_per_second = llDecode, runs = results[llama.Name] },
        prefill_ratio = dsPrefill / llPrefill, decode_ratio = dsDecode / llDecode,
    });
    // Written after every model, so a later failure keeps the finished results.
    if (options.TryGetValue("--out", out string? output))
    {
        File.WriteAllText(output, JsonSerializer.Serialize(new { date = DateTime.UtcNow.ToString("u"), machine = Environment.ProcessorCount + " logical CPUs", results = report }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"wrote {output}");
    }
}
return 0;

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
