using CsCheck;
using DeepSharp.Tokenization;

namespace DeepSharp.Tests.Tokenization;

/// <summary>Streaming decode: never half a character, and the pieces add up to the whole-sequence decode.</summary>
public sealed class IncrementalDetokenizerTests
{
    [Fact]
    public void HoldsBackAnEmojiSplitOverTokens()
    {
        var tokenizer = TokenizerFixtures.Hf("deepseek_v3");
        int[] ids = tokenizer.Encode("🫨", addSpecial: false);
        Assert.True(ids.Length > 1, "the emoji should need several byte tokens in this vocabulary");
        var detokenizer = tokenizer.CreateDetokenizer();
        var pieces = ids.Select(detokenizer.Append).ToList();
        Assert.All(pieces[..^1], p => Assert.Equal("", p));
        Assert.Equal("🫨", pieces[^1]);
        Assert.False(detokenizer.HasPendingBytes);
    }

    [Fact]
    public void FlushReplacesAnUnfinishedCharacter()
    {
        var tokenizer = TokenizerFixtures.Hf("deepseek_v3");
        int[] ids = tokenizer.Encode("a🫨", addSpecial: false);
        var detokenizer = tokenizer.CreateDetokenizer();
        string text = string.Concat(ids[..^1].Select(detokenizer.Append));
        Assert.Equal("a", text);
        Assert.True(detokenizer.HasPendingBytes);
        Assert.Equal("\uFFFD", detokenizer.Flush());
        Assert.Equal(tokenizer.Decode(ids[..^1]), text + "\uFFFD");
    }

    [Fact]
    public void SkipsSpecialTokensWhenAsked()
    {
        var tokenizer = TokenizerFixtures.Hf("qwen3");
        int[] ids = tokenizer.Encode("<|im_start|>user\nHi<|im_end|>", addSpecial: false, parseSpecial: true);
        var detokenizer = tokenizer.CreateDetokenizer(skipSpecial: true);
        Assert.Equal("user\nHi", string.Concat(ids.Select(detokenizer.Append)) + detokenizer.Flush());
    }

    [Theory]
    [InlineData("deepseek_v3")]
    [InlineData("llama3_1")]
    public void PiecesConcatenateToTheWholeDecode(string name)
    {
        var tokenizer = TokenizerFixtures.Hf(name);
        // Random id sequences, so pieces of characters meet in every order, valid or not.
        Gen.Int[0, tokenizer.Vocabulary.Count - 1].Array[0, 30].Sample(ids =>
        {
            var detokenizer = tokenizer.CreateDetokenizer();
            var pieces = ids.Select(detokenizer.Append).ToList();
            string streamed = string.Concat(pieces) + detokenizer.Flush();
            Assert.Equal(tokenizer.Decode(ids), streamed);
            // No piece ends inside a character: a trailing high surrogate would mean half of one.
            Assert.All(pieces, p => Assert.False(p.Length > 0 && char.IsHighSurrogate(p[^1])));
        }, seed: "4Jb8yQ0FsdN1", iter: 3000, threads: 1);
    }

    [Theory]
    [InlineData(new byte[] { 0xE4, 0xB8 }, 2)]       // first two bytes of 中
    [InlineData(new byte[] { 0x61, 0xF0, 0x9F }, 2)] // a + half an emoji
    [InlineData(new byte[] { 0xF0 }, 1)]
    [InlineData(new byte[] { 0x61 }, 0)]
    [InlineData(new byte[] { 0xE4, 0xB8, 0xAD }, 0)] // complete 中
    [InlineData(new byte[] { 0xC0 }, 0)]             // never valid: decoded as U+FFFD at once
    [InlineData(new byte[] { 0xE0, 0x80 }, 0)]       // overlong prefix: invalid
    [InlineData(new byte[] { 0xED, 0xA0 }, 0)]       // surrogate prefix: invalid
    [InlineData(new byte[] { 0xF4, 0x90 }, 0)]       // beyond U+10FFFF: invalid
    [InlineData(new byte[] { 0xF4, 0x8F, 0xBF }, 3)]
    public void FindsTheIncompleteTail(byte[] bytes, int expected) =>
        Assert.Equal(expected, IncrementalDetokenizer.IncompleteTailLength(bytes));
}
