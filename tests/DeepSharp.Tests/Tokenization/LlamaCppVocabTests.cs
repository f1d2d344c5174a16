using System.Text;
using DeepSharp.Tests.Formats;

namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// llama.cpp's own tokenizer tests: each vocabulary-only GGUF with its inputs (.inp) and the ids llama.cpp
/// produced (.out). llama.cpp's test tokenizes with add_special = false and parse_special = false, so the
/// expected ids carry no BOS.
/// </summary>
public sealed class LlamaCppVocabTests
{
    [Theory]
    [MemberData(nameof(GgufVocabFileTests.VocabFiles), MemberType = typeof(GgufVocabFileTests))]
    public void IdsEqualLlamaCpp(string fileName)
    {
        var tokenizer = TokenizerFixtures.Gguf(fileName);
        var (inputs, expected) = ReadCases(fileName);
        var failures = new StringBuilder();
        for (int i = 0; i < inputs.Length; i++)
        {
            int[] ids = tokenizer.Encode(inputs[i], addSpecial: false, parseSpecial: false);
            if (!ids.SequenceEqual(expected[i]))
            {
                failures.AppendLine($"case {i} {Escape(inputs[i])}: expected [{string.Join(' ', expected[i])}] got [{string.Join(' ', ids)}]");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Theory]
    [MemberData(nameof(GgufVocabFileTests.VocabFiles), MemberType = typeof(GgufVocabFileTests))]
    public void BosFollowsTheFile(string fileName)
    {
        var tokenizer = TokenizerFixtures.Gguf(fileName);
        int[] plain = tokenizer.Encode("Hello world", addSpecial: false);
        int[] special = tokenizer.Encode("Hello world", addSpecial: true);
        // deepseek-coder/-llm say add_bos_token = true; llama-bpe has no key but llama.cpp turns BOS on for
        // the Llama-3 family; gpt-2 and the Qwen files neither.
        bool expectBos = fileName.Contains("deepseek") || fileName.Contains("llama-bpe");
        Assert.Equal(expectBos, tokenizer.Vocabulary.AddBos);
        Assert.Equal(expectBos ? [tokenizer.Vocabulary.BosId!.Value, .. plain] : plain, special);
    }

    internal static (string[] Inputs, int[][] Expected) ReadCases(string fileName)
    {
        string inp = File.ReadAllText(TestPaths.Shared("llamacpp-vocab", fileName + ".inp"), Encoding.UTF8);
        string[] inputs = inp.Split("\n__ggml_vocab_test__\n");
        Assert.Equal("", inputs[^1]); // the file ends with a separator
        inputs = inputs[..^1];
        string[] lines = File.ReadAllLines(TestPaths.Shared("llamacpp-vocab", fileName + ".out"));
        Assert.Equal(inputs.Length, lines.Length);
        int[][] expected = lines
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())
            .ToArray();
        return (inputs, expected);
    }

    private static string Escape(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
