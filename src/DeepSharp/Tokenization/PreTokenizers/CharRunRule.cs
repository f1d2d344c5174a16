using System.Buffers;
using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary>
/// <c>[set]{1,max}</c>: a run of members of a set, at most <c>max</c> code points long (for example
/// <c>\p{N}{1,3}</c>, <c>\p{N}+</c>, <c>[\r\n]</c> or a CJK range class with <c>+</c>).
/// </summary>
internal sealed class CharRunRule : SplitRule
{
    private readonly CodePointSet _set;
    private readonly int _maxLength;
    // Every BMP member plus all surrogates: a vectorised search skips the text no match can start in.
    private readonly SearchValues<char> _candidates;

    public CharRunRule(CodePointSet set, int maxLength = int.MaxValue)
    {
        _set = set;
        _maxLength = maxLength;
        var chars = new List<char>();
        for (int c = 0; c < 0x10000; c++)
        {
            if (char.IsSurrogate((char)c) || set.Contains(c))
            {
                chars.Add((char)c);
            }
        }
        _candidates = SearchValues.Create(chars.ToArray());
    }

    public override int MatchAt(ReadOnlySpan<char> text, int pos)
    {
        int e = pos;
        for (int n = 0; n < _maxLength && _set.ContainsAt(text, e); n++)
        {
            e += char.IsHighSurrogate(text[e]) && e + 1 < text.Length && char.IsLowSurrogate(text[e + 1]) ? 2 : 1;
        }
        return e > pos ? e : -1;
    }

    public override bool FindNext(ReadOnlySpan<char> text, int from, out int start, out int end)
    {
        int pos = from;
        while (pos < text.Length)
        {
            int found = text[pos..].IndexOfAny(_candidates);
            if (found < 0)
            {
                break;
            }
            pos += found;
            int e = MatchAt(text, pos);
            if (e > pos)
            {
                start = pos;
                end = e;
                return true;
            }
            pos += CharClassifier.Read(text, pos, out _); // an astral character that is not a member
        }
        start = end = text.Length;
        return false;
    }
}
