using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary>
/// The GPT-4 style pattern of Llama-3 and Qwen2 (and Qwen3.5 when marks join letters):
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,k}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>.
/// With <c>marksJoinLetters</c> the letter runs are <c>[\p{L}\p{M}]+</c> and marks leave the symbol runs.
/// <c>unicodeCaseFolding</c> selects Hugging Face's <c>(?i:…)</c> over llama.cpp's <c>'[sS]</c> form of the contractions.
/// </summary>
internal sealed class Gpt4StyleRule(int maxDigits, bool marksJoinLetters, bool unicodeCaseFolding) : SplitRule
{
    private readonly CharClass _word = marksJoinLetters ? CharClass.Letter | CharClass.Mark : CharClass.Letter;
    private readonly CharClass _notOther = CharClass.WhiteSpace | CharClass.Letter | CharClass.Number
        | (marksJoinLetters ? CharClass.Mark : CharClass.None);

    public override int MatchAt(ReadOnlySpan<char> text, int pos)
    {
        int len0 = CharClassifier.Read(text, pos, out int cp0);
        var cls0 = CharClassifier.Classify(cp0);

        if (cp0 == '\'')
        {
            int e = MatchContraction(text, pos, ignoreCase: true, longS: unicodeCaseFolding);
            if (e > 0)
            {
                return e;
            }
        }

        // [^\r\n\p{L}\p{N}]?\p{L}+
        bool mayLead = cp0 is not ('\r' or '\n') && (cls0 & (CharClass.Letter | CharClass.Number)) == 0;
        if (mayLead && (CharClassifier.ClassAt(text, pos + len0) & _word) != 0)
        {
            return RunEnd(text, pos + len0, _word);
        }
        if ((cls0 & _word) != 0)
        {
            return RunEnd(text, pos, _word);
        }

        // \p{N}{1,k}
        if ((cls0 & CharClass.Number) != 0)
        {
            int e = pos;
            for (int n = 0; n < maxDigits && e < text.Length; n++)
            {
                int len = CharClassifier.Read(text, e, out int cp);
                if ((CharClassifier.Classify(cp) & CharClass.Number) == 0)
                {
                    break;
                }
                e += len;
            }
            return e;
        }

        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        int start = -1;
        if (cp0 == ' ')
        {
            if (pos + 1 < text.Length && (CharClassifier.ClassAt(text, pos + 1) & _notOther) == 0)
            {
                start = pos + 1;
            }
        }
        else if ((cls0 & _notOther) == 0)
        {
            start = pos;
        }
        if (start >= 0)
        {
            return LineBreaksEnd(text, RunEndExcluding(text, start, _notOther));
        }

        return (cls0 & CharClass.WhiteSpace) != 0 ? MatchWhitespace(text, pos, lineBreakAlternative: true) : -1;
    }
}
