using System.CommandLine;
using System.Diagnostics;
using DeepSharp.Fixtures;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Cli;

/// <summary><c>deepsharp fixture --arch A --type T -o FILE</c>: writes a random-weight model.</summary>
internal static class FixtureCommand
{
    public static Command Create()
    {
        var arch = new Option<string?>("--arch") { Description = "llama, qwen2, qwen3 or deepseek2 (picks the tiny preset of that family)" };
        var preset = new Option<string?>("--preset") { Description = "A named shape: " + string.Join(", ", FixturePresets.Names) };
        var type = new Option<string>("--type") { Description = "Weight type, e.g. F32, Q8_0, Q4_K", DefaultValueFactory = _ => "F32" };
        var output = new Option<string>("--output", "-o") { Description = "File to write", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random weights", DefaultValueFactory = _ => 1 };
        var layers = new Option<int?>("--layers") { Description = "Override the number of layers" };
        var kvLayout = new Option<MlaKvLayout>("--kv-layout") { Description = "deepseek2: split (attn_k_b/attn_v_b) or merged (attn_kv_b)", DefaultValueFactory = _ => MlaKvLayout.Split };
        var vocab = new Option<string?>("--vocab-from") { Description = "Copy the tokenizer from this GGUF (its token count must equal the model's vocabulary)" };
        var template = new Option<string?>("--chat-template") { Description = "A Jinja chat template file to embed" };
        var command = new Command("fixture", "Write a random-weight GGUF model of a given architecture, shape and weight type")
        {
            arch, preset, type, output, seed, layers, kvLayout, vocab, template,
        };
        command.SetAction(r => CliErrors.Guard(() =>
        {
            string presetName = r.GetValue(preset) ?? (r.GetValue(arch) is { } a ? TinyPresetFor(a) : throw new ArgumentException("give --arch or --preset"));
            var config = FixturePresets.Get(presetName);
            if (r.GetValue(layers) is { } n)
            {
                config = config with { LayerCount = n };
            }
            if (!Enum.TryParse<GgmlType>(r.GetValue(type), ignoreCase: true, out var weightType))
            {
                throw new ArgumentException($"unknown weight type '{r.GetValue(type)}'");
            }
            var spec = new FixtureSpec(presetName, config, weightType, r.GetValue(seed))
            {
                KvLayout = r.GetValue(kvLayout),
                RouterBias = config.Moe?.Gating == ExpertGating.Sigmoid,
                VocabularyFrom = r.GetValue(vocab),
                ChatTemplate = r.GetValue(template) is { } t ? File.ReadAllText(t) : null,
            };
            string path = r.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            ModelFixtureWriter.Write(spec, path);
            Console.WriteLine($"wrote {path}: {presetName}, {weightType}, {new FileInfo(path).Length:N0} bytes in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        return command;
    }

    private static string TinyPresetFor(string arch) => arch.ToLowerInvariant() switch
    {
        "llama" or "qwen2" or "qwen3" => "tiny-" + arch.ToLowerInvariant(),
        "deepseek2" => "tiny-deepseek2-lite",
        _ => throw new ArgumentException($"unknown architecture '{arch}' (llama, qwen2, qwen3, deepseek2)"),
    };
}
