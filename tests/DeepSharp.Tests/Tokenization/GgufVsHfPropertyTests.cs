using CsCheck;

namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// llama.cpp's Llama-3 and Qwen2 vocabulary files hold the same BPE vocabulary and merges as the Llama-3.1 and
/// Qwen3 tokenizer.json files, so on plain text (no added tokens) the GGUF path must give Hugging Face's ids
/// too. This checks the GGUF loader and the llama.cpp-named pre-tokenizers on random text against the
/// independent reference. Two known, documented differences are kept out of the text: added tokens (the
/// vocabularies differ there) and "'ſ", which Hugging Face's case-insensitive regex reads as the contraction
/// "'s" and llama.cpp does not.
/// </summary>
public sealed class GgufVsHfPropertyTests
{
    [Theory]
    [InlineData("ggml-vocab-llama-bpe.gguf", "llama3_1")]
    [InlineData("ggml-vocab-qwen2.gguf", "qwen3")]
    public void PlainTextMatchesHuggingFace(string ggufFile, string hfName)
    {
        var gguf = TokenizerFixtures.Gguf(ggufFile);
        var oracle = TokenizerFixtures.Oracle(hfName);
        RandomText.Strings.Sample(raw =>
        {
            string text = raw.Replace("<", "").Replace("ſ", "");
            // Qwen3's tokenizer.json normalises to NFC and llama.cpp does not: give both the normalised text.
            text = oracle.DecodeSkippingSpecial(oracle.Encode(text));
            int[] expected = oracle.Encode(text);
            int[] actual = gguf.Encode(text, addSpecial: false, parseSpecial: false);
            Assert.True(expected.SequenceEqual(actual),
                $"{RandomText.Describe(text)}\n  expected [{string.Join(' ', expected)}]\n  actual   [{string.Join(' ', actual)}]");
        }, seed: "1Hb4o8cDZ3Q2", iter: 1000, threads: 1, print: RandomText.Describe);
    }
}
