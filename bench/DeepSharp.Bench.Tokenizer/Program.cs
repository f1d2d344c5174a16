using System.Diagnostics;
using System.Runtime.InteropServices;
using DeepSharp.Tokenization;

// Encode throughput of DeepSharp's byte-level BPE against Hugging Face tokenizers (Rust, via
// Tokenizers.DotNet) on the same tokenizer.json and the same text. Both run single-threaded in this process.
//
//   dotnet run -c Release --project bench/DeepSharp.Bench.Tokenizer -- [TEXT_FILE] [--rounds N] [--tokenizers a,b]
//
// Three measurements per tokenizer:
//   cold  - a freshly loaded tokenizer encodes the whole text once (its word cache starts empty);
//   warm  - the whole text as one string, repeated (median of N rounds);
//   lines - every line as its own call, repeated (median of N rounds): many short calls.

string repo = FindRepoRoot();
string textPath = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !args[i - 1].StartsWith("--"))).FirstOrDefault()
    ?? Path.Combine(repo, "..", "shared", "data", "corpus", "austen.txt");
int rounds = Option("--rounds", 5);
string[] names = (OptionString("--tokenizers") ?? "deepseek_v3,qwen3,llama3_1").Split(',');

string text = File.ReadAllText(textPath);
string[] lines = text.Split('\n');
double megabytes = System.Text.Encoding.UTF8.GetByteCount(text) / 1e6;
Console.WriteLine($"text: {textPath} ({megabytes:F2} MB UTF-8, {lines.Length} lines), rounds: {rounds}");
Console.WriteLine($"machine: {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
Console.WriteLine($"cpu: {CpuName()}");
Console.WriteLine();
Console.WriteLine("| tokenizer | run | DeepSharp MB/s | HF tokenizers MB/s | ratio (DeepSharp / HF) |");
Console.WriteLine("|---|---|---:|---:|---:|");

foreach (string name in names)
{
    string folder = Path.Combine(repo, "..", "shared", "data", "tokenizers", name);
    string json = Path.Combine(folder, "tokenizer.json");

    var ours = Tokenizer.Load(folder);
    var hf = new Tokenizers.DotNet.Tokenizer(json);
    ours.Encode("JIT warm-up: Hello, world! 123", addSpecial: false, parseSpecial: true);
    hf.Encode("JIT warm-up: Hello, world! 123");

    // Cold: a freshly loaded instance (empty word cache) encodes the whole text once; loading is not timed.
    var oursFresh = Tokenizer.Load(folder);
    double oursCold = Once(() => oursFresh.Encode(text, addSpecial: false, parseSpecial: true).Length);
    var hfFresh = new Tokenizers.DotNet.Tokenizer(json);
    double hfCold = Once(() => hfFresh.Encode(text).Length);
    int[] oursIds = ours.Encode(text, addSpecial: false, parseSpecial: true);
    uint[] hfIds = hf.Encode(text);
    int hfPrefix = hf.Encode("").Length; // the post-processor's BOS, if any
    bool equal = oursIds.AsSpan().SequenceEqual(hfIds.Skip(hfPrefix).Select(i => (int)i).ToArray());

    double oursWarm = Median(rounds, () => ours.Encode(text, addSpecial: false, parseSpecial: true).Length);
    double hfWarm = Median(rounds, () => hf.Encode(text).Length);
    double oursLines = Median(rounds, () => { int n = 0; foreach (string l in lines) { n += ours.Encode(l, addSpecial: false, parseSpecial: true).Length; } return n; });
    double hfLines = Median(rounds, () => { int n = 0; foreach (string l in lines) { n += hf.Encode(l).Length; } return n; });

    Row(name, "cold, whole text", oursCold, hfCold);
    Row(name, "warm, whole text", oursWarm, hfWarm);
    Row(name, "warm, line by line", oursLines, hfLines);
    Console.Error.WriteLine($"{name}: {oursIds.Length} tokens, ids equal to HF: {equal}");
}

void Row(string name, string run, double oursSeconds, double hfSeconds) =>
    Console.WriteLine($"| {name} | {run} | {megabytes / oursSeconds:F1} | {megabytes / hfSeconds:F1} | {hfSeconds / oursSeconds:F2}× |");

static double Once(Func<int> action)
{
    var sw = Stopwatch.StartNew();
    action();
    return sw.Elapsed.TotalSeconds;
}

static double Median(int rounds, Func<int> action)
{
    action(); // warm-up: JIT and caches
    var times = new List<double>();
    for (int r = 0; r < rounds; r++)
    {
        var sw = Stopwatch.StartNew();
        action();
        times.Add(sw.Elapsed.TotalSeconds);
    }
    times.Sort();
    return times[times.Count / 2];
}

int Option(string name, int fallback) => OptionString(name) is { } v ? int.Parse(v) : fallback;

string? OptionString(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string CpuName()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown";
    }
    catch (IOException)
    {
        return "unknown";
    }
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DeepSharp.sln")))
    {
        dir = dir.Parent;
    }
    return dir?.FullName ?? throw new InvalidOperationException("cannot find DeepSharp.sln above the benchmark");
}
