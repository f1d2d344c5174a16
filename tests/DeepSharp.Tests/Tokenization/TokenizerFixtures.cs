using DeepSharp.Formats.Gguf;
using DeepSharp.Tokenization;

namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// Tokenizers built once per test run from the shared data (loading a 10 MB tokenizer.json takes a moment),
/// and the matching Hugging Face tokenizers (Rust, through Tokenizers.DotNet) used as the reference.
/// </summary>
internal static class TokenizerFixtures
{
    /// <summary>The tokenizer.json folders under shared/data/tokenizers.</summary>
    public static readonly string[] HfNames = ["deepseek_v3", "qwen3", "llama3_1"];

    /// <summary><see cref="HfNames"/> as theory data.</summary>
    public static TheoryData<string> HfNameData() => new(HfNames);

    private static readonly Dictionary<string, Lazy<Tokenizer>> s_hf = HfNames.ToDictionary(
        n => n, n => new Lazy<Tokenizer>(() => Tokenizer.Load(TestPaths.Shared("tokenizers", n))));

    private static readonly Dictionary<string, Lazy<HfOracle>> s_oracles = HfNames.ToDictionary(
        n => n, n => new Lazy<HfOracle>(() => new HfOracle(TestPaths.Shared("tokenizers", n, "tokenizer.json"))));

    private static readonly Dictionary<string, Lazy<Tokenizer>> s_gguf = new();

    /// <summary>Ours, loaded from tokenizer.json + tokenizer_config.json.</summary>
    public static Tokenizer Hf(string name) => s_hf[name].Value;

    /// <summary>Hugging Face tokenizers for the same tokenizer.json.</summary>
    public static HfOracle Oracle(string name) => s_oracles[name].Value;

    /// <summary>Ours, loaded from one of llama.cpp's vocabulary-only GGUF files.</summary>
    public static Tokenizer Gguf(string fileName)
    {
        Lazy<Tokenizer> lazy;
        lock (s_gguf)
        {
            if (!s_gguf.TryGetValue(fileName, out lazy!))
            {
                lazy = new Lazy<Tokenizer>(() =>
                {
                    using var file = GgufFile.Open(TestPaths.Shared("llamacpp-vocab", fileName));
                    return Tokenizer.FromGguf(file);
                });
                s_gguf[fileName] = lazy;
            }
        }
        return lazy.Value;
    }
}
