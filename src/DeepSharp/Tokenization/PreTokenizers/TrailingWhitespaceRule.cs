using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary><c>\s+$</c>: the white space at the end of a piece (found from the end, so long runs stay linear).</summary>
internal sealed class TrailingWhitespaceRule : SplitRule
{
    public override int MatchAt(ReadOnlySpan<char> text, int pos) =>
        pos < TrailingStart(text) || pos >= text.Length ? -1 : text.Length;

    public override bool FindNext(ReadOnlySpan<char> text, int from, out int start, out int end)
    {
        start = Math.Max(from, TrailingStart(text));
        end = text.Length;
        return start < end;
    }

    private static int TrailingStart(ReadOnlySpan<char> text)
    {
        int i = text.Length;
        while (i > 0 && (CharClassifier.ClassAt(text, i - 1) & CharClass.WhiteSpace) != 0)
        {
            i--; // white space is BMP-only; a low surrogate classifies as U+FFFD, not white space
        }
        return i;
    }
}
