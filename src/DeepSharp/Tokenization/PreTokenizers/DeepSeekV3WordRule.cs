using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary>
/// The third split of DeepSeek-V3/R1:
/// <c>[!"#$%&amp;'()*+,\-./:;&lt;=&gt;?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>.
/// </summary>
internal sealed class DeepSeekV3WordRule : SplitRule
{
    private const CharClass Word = CharClass.Letter | CharClass.Mark;
    private const CharClass PunctOrSymbol = CharClass.Punctuation | CharClass.Symbol;

    public override int MatchAt(ReadOnlySpan<char> text, int pos)
    {
        int len0 = CharClassifier.Read(text, pos, out int cp0);
        var cls0 = CharClassifier.Classify(cp0);

        // ASCII punctuation glued to an ASCII word, e.g. ".NET" or "_name".
        if (cp0 < 0x80 && char.IsAsciiLetter((char)LetterAfter(text, pos)) && IsAsciiPunctuation(cp0))
        {
            int e = pos + 1;
            while (e < text.Length && char.IsAsciiLetter(text[e]))
            {
                e++;
            }
            return e;
        }

        // [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+
        bool mayLead = cp0 is not ('\r' or '\n') && (cls0 & (CharClass.Letter | PunctOrSymbol)) == 0;
        if (mayLead && (CharClassifier.ClassAt(text, pos + len0) & Word) != 0)
        {
            return RunEnd(text, pos + len0, Word);
        }
        if ((cls0 & Word) != 0)
        {
            return RunEnd(text, pos, Word);
        }

        //  ?[\p{P}\p{S}]+[\r\n]*
        int start = -1;
        if (cp0 == ' ')
        {
            if ((CharClassifier.ClassAt(text, pos + 1) & PunctOrSymbol) != 0)
            {
                start = pos + 1;
            }
        }
        else if ((cls0 & PunctOrSymbol) != 0)
        {
            start = pos;
        }
        if (start >= 0)
        {
            return LineBreaksEnd(text, RunEnd(text, start, PunctOrSymbol));
        }

        return (cls0 & CharClass.WhiteSpace) != 0 ? MatchWhitespace(text, pos, lineBreakAlternative: true) : -1;
    }

    private static int LetterAfter(ReadOnlySpan<char> text, int pos) => pos + 1 < text.Length ? text[pos + 1] : 0;

    // The 32 ASCII punctuation characters of the first alternative.
    private static bool IsAsciiPunctuation(int c) =>
        c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~');
}
