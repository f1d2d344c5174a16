using DeepSharp.Tokenization;

namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// Pre-tokenizer splits that follow from the regular expressions read over code points. The astral cases are
/// the ones .NET's UTF-16 Regex would get wrong (it sees a surrogate pair as two category-Cs units).
/// </summary>
public sealed class PreTokenizerTests
{
    [Fact]
    public void UnknownNameIsAnError()
    {
        var e = Assert.Throws<NotSupportedException>(() => PreTokenizer.ForName("deepseek-v4"));
        Assert.Contains("'deepseek-v4'", e.Message);
        Assert.Contains("deepseek-v3", e.Message); // the message lists what is supported
    }

    [Fact]
    public void NamesTheIssueAsksForAreSupported()
    {
        foreach (string name in new[] { "deepseek-v3", "deepseek-llm", "deepseek-coder", "qwen2", "deepseek-r1-qwen", "llama-bpe", "gpt-2" })
        {
            Assert.Contains(name, PreTokenizer.SupportedNames);
            Assert.NotNull(PreTokenizer.ForName(name));
        }
    }

    [Theory]
    // Digits: runs of one to three code points for DeepSeek-V3 and Llama-3, single digits for Qwen2.
    [InlineData("deepseek-v3", "1234567", new[] { "123", "456", "7" })]
    [InlineData("llama-bpe", "𝟙𝟚𝟛𝟜", new[] { "𝟙𝟚𝟛", "𝟜" })] // math digits are Nd outside the BMP
    [InlineData("qwen2", "123", new[] { "1", "2", "3" })]
    [InlineData("gpt-2", "a 123", new[] { "a", " 123" })]
    // Letters outside the BMP are letters.
    [InlineData("qwen2", "𝐀𝐁c 𐐀𐐁", new[] { "𝐀𝐁c", " 𐐀𐐁" })]
    [InlineData("deepseek-v3", "x𠀀𠮷y", new[] { "x𠀀𠮷y" })]
    // Emoji are symbols: one run of punctuation and symbols, apart from the letters.
    [InlineData("deepseek-v3", "🚀abc😀😃!", new[] { "🚀", "abc", "😀😃!" })]
    [InlineData("llama-bpe", "abc 😀😃!", new[] { "abc", " 😀😃!" })]
    [InlineData("gpt-2", "hi 😀😀", new[] { "hi", " 😀😀" })]
    // White space: the last space starts the next word, line breaks end a run.
    [InlineData("llama-bpe", "a   b", new[] { "a", "  ", " b" })]
    [InlineData("llama-bpe", "a \r\n  b", new[] { "a", " \r\n", " ", " b" })]
    [InlineData("qwen2", "x\t\ty  ", new[] { "x", "\t", "\ty", "  " })]
    [InlineData("deepseek-v3", "end.\n\nNext", new[] { "end", ".\n\n", "Next" })]
    // Contractions, case-insensitive in the Llama-3 and Qwen pattern, case-sensitive in GPT-2's.
    [InlineData("llama-bpe", "I'M he'll", new[] { "I", "'M", " he", "'ll" })]
    [InlineData("gpt-2", "I'M he'll", new[] { "I", "'", "M", " he", "'ll" })]
    // DeepSeek-V3: ASCII punctuation glued to ASCII words; CJK and kana runs cut out first.
    [InlineData("deepseek-v3", "x.NET _y", new[] { "x", ".NET", " _", "y" })]
    [InlineData("deepseek-v3", "我们ひらがなabc", new[] { "我们ひらがな", "abc" })]
    // DeepSeek LLM / Coder: line breaks alone, trailing white space apart (LLM), single digits (Coder).
    [InlineData("deepseek-llm", "ab\ncd  ", new[] { "ab", "\n", "cd", "  " })]
    [InlineData("deepseek-coder", "x12 y", new[] { "x", "1", "2", " y" })]
    public void SplitsByCodePoints(string name, string text, string[] expected) =>
        Assert.Equal(expected, PreTokenizer.ForName(name).Split(text));

    [Fact]
    public void LoneSurrogatesReadAsReplacementCharacters()
    {
        // Not valid text, but it must not crash: like UTF-8 conversion, a lone surrogate is U+FFFD (a symbol).
        var tokenizer = TokenizerFixtures.Hf("llama3_1");
        int[] lone = tokenizer.Encode("a\uD83Db", addSpecial: false);
        int[] replaced = tokenizer.Encode("a\uFFFDb", addSpecial: false);
        Assert.Equal(replaced, lone);
    }

    [Fact]
    public void LongRunsStayLinear()
    {
        // 200k spaces before a word and a trailing run: the DeepSeek-LLM '\s+$' split and the '\s+(?!\S)'
        // back-off must not rescan the run from every position.
        string text = new string(' ', 200_000) + "x" + new string(' ', 200_000);
        var pieces = PreTokenizer.ForName("deepseek-llm").Split(text);
        Assert.Equal(text, string.Concat(pieces));
        Assert.Equal(text, string.Concat(PreTokenizer.ForName("llama-bpe").Split(text)));
    }
}
