using System.Text;
using System.Text.Json;

namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// Our tokenizer.json loading and encoding against Hugging Face tokenizers on a multilingual corpus: exact
/// id equality, no tolerance, and decoding back to the text.
/// </summary>
public sealed class HfOracleCorpusTests
{
    [Theory]
    [MemberData(nameof(TokenizerFixtures.HfNameData), MemberType = typeof(TokenizerFixtures))]
    public void IdsEqualHuggingFace(string name)
    {
        var ours = TokenizerFixtures.Hf(name);
        var oracle = TokenizerFixtures.Oracle(name);
        var failures = new StringBuilder();
        foreach (string text in MultilingualCorpus.Texts)
        {
            int[] expected = oracle.Encode(text);
            int[] actual = ours.Encode(text, addSpecial: false, parseSpecial: true);
            if (!actual.SequenceEqual(expected))
            {
                failures.AppendLine($"{JsonSerializer.Serialize(text)}\n  expected [{string.Join(' ', expected)}]\n  actual   [{string.Join(' ', actual)}]");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Theory]
    [MemberData(nameof(TokenizerFixtures.HfNameData), MemberType = typeof(TokenizerFixtures))]
    public void DecodesLikeHuggingFace(string name)
    {
        var ours = TokenizerFixtures.Hf(name);
        var oracle = TokenizerFixtures.Oracle(name);
        foreach (string text in MultilingualCorpus.Texts)
        {
            int[] ids = ours.Encode(text, addSpecial: false, parseSpecial: true);
            Assert.Equal(oracle.DecodeSkippingSpecial(ids), ours.Decode(ids, skipSpecial: true));
            if (ours.Normalization == DeepSharp.Tokenization.TextNormalization.None)
            {
                Assert.Equal(text, ours.Decode(ids)); // byte-level BPE loses nothing without a normaliser
            }
        }
    }
}
