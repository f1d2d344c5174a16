using System.Text;

namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// Pre-tokens longer than the short-word merge path (128 bytes) take the heap-based merge; both must give
/// Hugging Face's ids.
/// </summary>
public sealed class LongWordTests
{
    [Theory]
    [MemberData(nameof(TokenizerFixtures.HfNameData), MemberType = typeof(TokenizerFixtures))]
    public void LongPreTokensMatchHuggingFace(string name)
    {
        var random = new Random(1234);
        string letters = string.Concat(Enumerable.Range(0, 3000).Select(_ => (char)('a' + random.Next(26))));
        string base64 = Convert.ToBase64String(Enumerable.Range(0, 3000).Select(_ => (byte)random.Next(256)).ToArray());
        string emoji = string.Concat(Enumerable.Range(0, 400).Select(_ => char.ConvertFromUtf32(0x1F600 + random.Next(80))));
        string cjk = string.Concat(Enumerable.Range(0, 600).Select(_ => (char)(0x4E00 + random.Next(0x5000))));
        string texts = new StringBuilder()
            .Append(letters).Append(' ').Append(base64).Append('\n').Append(emoji).Append(cjk)
            .Append(new string(' ', 5000)).Append("x").Append(new string('\n', 300)).Append(new string('!', 700))
            .ToString();
        var ours = TokenizerFixtures.Hf(name);
        var oracle = TokenizerFixtures.Oracle(name);
        foreach (string text in new[] { letters, base64, emoji, cjk, texts, new string('a', 129), new string('a', 4096) })
        {
            Assert.Equal(oracle.Encode(text), ours.Encode(text, addSpecial: false));
        }
    }
}
