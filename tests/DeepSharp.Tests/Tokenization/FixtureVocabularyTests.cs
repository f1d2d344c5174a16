using DeepSharp.Tests.Inference;
using DeepSharp.Tokenization;

namespace DeepSharp.Tests.Tokenization;

/// <summary>The random-weight fixture models carry a synthetic byte-level vocabulary; the tokenizer must load it.</summary>
public sealed class FixtureVocabularyTests
{
    [Theory]
    [InlineData("tiny-llama", "llama-bpe")]
    [InlineData("tiny-qwen2", "qwen2")]
    [InlineData("tiny-qwen3", "qwen2")]
    public void LoadsFixtureVocabularies(string preset, string preTokenizer)
    {
        using var file = TinyModels.File(TinyModels.Config(preset));
        var tokenizer = Tokenizer.FromGguf(file);
        Assert.Equal(preTokenizer, tokenizer.PreTokenizer.Name);
        const string text = "Hello, world! 123 😀 straße";
        int[] ids = tokenizer.Encode(text, addSpecial: true);
        Assert.Equal(tokenizer.Vocabulary.BosId, ids[0]);
        Assert.All(ids, id => Assert.InRange(id, 0, tokenizer.Vocabulary.Count - 1));
        Assert.Equal(text, tokenizer.Decode(ids, skipSpecial: true));
    }
}
