using System.Text.RegularExpressions;

namespace DeepSharp.Training.Tokenization;

/// <summary>
/// Splits text into pre-tokens with the Qwen2 regex (GGUF <c>tokenizer.ggml.pre = "qwen2"</c>, FACTS.md §4.2).
/// It puts every digit in a pre-token of its own, so numbers are always spelled digit by digit: the
/// arithmetic the tiny model learns then sees one token per digit.
/// </summary>
public static partial class PreTokenizer
{
    /// <summary>The GGUF name of this pre-tokenizer.</summary>
    public const string GgufName = "qwen2";

    [GeneratedRegex(@"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The pre-tokens of <paramref name="text"/>, in order; their concatenation is the text.</summary>
    public static IEnumerable<string> Split(string text)
    {
        int at = 0;
        foreach (Match m in Pattern().Matches(text))
        {
            if (m.Index > at)
            {
                yield return text[at..m.Index];
            }
            yield return m.Value;
            at = m.Index + m.Length;
        }
        if (at < text.Length)
        {
            yield return text[at..];
        }
    }
}
