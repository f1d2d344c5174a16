using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary>
/// GPT-2's pattern: <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
/// (contractions are case-sensitive here).
/// </summary>
internal sealed class Gpt2Rule : SplitRule
{
    private const CharClass NotOther = CharClass.WhiteSpace | CharClass.Letter | CharClass.Number;

    public override int MatchAt(ReadOnlySpan<char> text, int pos)
    {
        int len0 = CharClassifier.Read(text, pos, out int cp0);
        var cls0 = CharClassifier.Classify(cp0);

        if (cp0 == '\'')
        {
            int e = MatchContraction(text, pos, ignoreCase: false);
            if (e > 0)
            {
                return e;
            }
        }

        // " ?X+" for X in letters, numbers, then everything else that is not white space.
        var next = cp0 == ' ' ? CharClassifier.ClassAt(text, pos + len0) : CharClass.None;
        foreach (var run in (ReadOnlySpan<CharClass>)[CharClass.Letter, CharClass.Number])
        {
            if ((next & run) != 0)
            {
                return RunEnd(text, pos + 1, run);
            }
            if ((cls0 & run) != 0)
            {
                return RunEnd(text, pos, run);
            }
        }
        if (cp0 == ' ' && pos + 1 < text.Length && (next & NotOther) == 0)
        {
            return RunEndExcluding(text, pos + 1, NotOther);
        }
        if ((cls0 & NotOther) == 0)
        {
            return RunEndExcluding(text, pos, NotOther);
        }

        return (cls0 & CharClass.WhiteSpace) != 0 ? MatchWhitespace(text, pos, lineBreakAlternative: false) : -1;
    }
}
