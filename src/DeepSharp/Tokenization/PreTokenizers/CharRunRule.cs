namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary>
/// <c>[set]{1,max}</c>: a run of members of a set, at most <c>max</c> code points long (for example
/// <c>\p{N}{1,3}</c>, <c>\p{N}+</c>, <c>[\r\n]</c> or a CJK range class with <c>+</c>).
/// </summary>
internal sealed class CharRunRule(CodePointSet set, int maxLength = int.MaxValue) : SplitRule
{
    public override int MatchAt(ReadOnlySpan<char> text, int pos)
    {
        int e = pos;
        for (int n = 0; n < maxLength && set.ContainsAt(text, e); n++)
        {
            e += char.IsHighSurrogate(text[e]) && e + 1 < text.Length && char.IsLowSurrogate(text[e + 1]) ? 2 : 1;
        }
        return e > pos ? e : -1;
    }
}
