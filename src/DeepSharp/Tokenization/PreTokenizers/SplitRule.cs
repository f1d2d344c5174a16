using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary>
/// One split step of a pre-tokenizer: a hand-written matcher equivalent to one regular expression, run over
/// code points (not UTF-16 units). Like a Hugging Face <c>Split</c> with behaviour <c>Isolated</c>, every
/// match becomes a piece and so does the text between matches.
/// </summary>
internal abstract class SplitRule
{
    /// <summary>The end (exclusive) of the match that starts exactly at <paramref name="pos"/>, or -1 when none does.</summary>
    /// <remarks>The span is the whole piece being split: look-ahead and <c>$</c> stop at its end.</remarks>
    public abstract int MatchAt(ReadOnlySpan<char> text, int pos);

    /// <summary>Finds the leftmost match that starts at or after <paramref name="from"/>.</summary>
    public virtual bool FindNext(ReadOnlySpan<char> text, int from, out int start, out int end)
    {
        for (int pos = from; pos < text.Length;)
        {
            int e = MatchAt(text, pos);
            if (e > pos)
            {
                start = pos;
                end = e;
                return true;
            }
            pos += CharClassifier.Read(text, pos, out _);
        }
        start = end = text.Length;
        return false;
    }

    /// <summary>End of the run of code points whose class intersects <paramref name="mask"/>, from <paramref name="pos"/>.</summary>
    protected static int RunEnd(ReadOnlySpan<char> text, int pos, CharClass mask)
    {
        while (pos < text.Length)
        {
            int len = CharClassifier.Read(text, pos, out int cp);
            if ((CharClassifier.Classify(cp) & mask) == 0)
            {
                break;
            }
            pos += len;
        }
        return pos;
    }

    /// <summary>End of the run of code points not in <paramref name="excluded"/>, from <paramref name="pos"/>.</summary>
    protected static int RunEndExcluding(ReadOnlySpan<char> text, int pos, CharClass excluded)
    {
        while (pos < text.Length)
        {
            int len = CharClassifier.Read(text, pos, out int cp);
            if ((CharClassifier.Classify(cp) & excluded) != 0)
            {
                break;
            }
            pos += len;
        }
        return pos;
    }

    /// <summary>End of a run of <c>\r</c> and <c>\n</c> from <paramref name="pos"/>.</summary>
    protected static int LineBreaksEnd(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length && text[pos] is '\r' or '\n')
        {
            pos++;
        }
        return pos;
    }

    /// <summary>
    /// The three whitespace alternatives that close the GPT-4 style patterns, at a white-space position:
    /// <c>\s*[\r\n]+|\s+(?!\S)|\s+</c>. White-space code points are all in the BMP, one UTF-16 unit each.
    /// </summary>
    protected static int MatchWhitespace(ReadOnlySpan<char> text, int pos, bool lineBreakAlternative)
    {
        int q = pos;
        int afterLastLineBreak = -1;
        while (q < text.Length && (CharClassifier.ClassAt(text, q) & CharClass.WhiteSpace) != 0)
        {
            if (text[q] is '\r' or '\n')
            {
                afterLastLineBreak = q + 1;
            }
            q++;
        }
        if (lineBreakAlternative && afterLastLineBreak > 0)
        {
            return afterLastLineBreak; // \s*[\r\n]+ backs off to the last line break of the run
        }
        if (q == text.Length || q - pos == 1)
        {
            return q; // \s+(?!\S) at the end of the piece, or \s+ for a single character
        }
        return q - 1; // \s+(?!\S) leaves the last space to start the next word
    }

    /// <summary>
    /// Matches <c>'s|'t|'re|'ve|'m|'ll|'d</c> at an apostrophe; returns the end or -1. With
    /// <paramref name="ignoreCase"/> ASCII case is ignored; <paramref name="longS"/> also lets U+017F ſ stand
    /// for s, as Unicode case folding in Oniguruma's <c>(?i:…)</c> does (llama.cpp's unrolled form does not).
    /// </summary>
    protected static int MatchContraction(ReadOnlySpan<char> text, int pos, bool ignoreCase, bool longS = false)
    {
        if (pos + 1 >= text.Length || text[pos] != '\'')
        {
            return -1;
        }
        char a = longS && text[pos + 1] == '\u017F' ? 's' : Fold(text[pos + 1], ignoreCase);
        if (a is 's' or 't' or 'm' or 'd')
        {
            return pos + 2;
        }
        if (pos + 2 < text.Length)
        {
            char b = Fold(text[pos + 2], ignoreCase);
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
            {
                return pos + 3;
            }
        }
        return -1;
    }

    private static char Fold(char c, bool ignoreCase) => ignoreCase && c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
}
