using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary><c>\s?[set]+</c>: an optional white-space character followed by a run of members of a set.</summary>
internal sealed class OptionalSpaceRunRule(CodePointSet set) : SplitRule
{
    public override int MatchAt(ReadOnlySpan<char> text, int pos)
    {
        if ((CharClassifier.ClassAt(text, pos) & CharClass.WhiteSpace) != 0 && set.ContainsAt(text, pos + 1))
        {
            return set.RunEnd(text, pos + 1); // white space is always one UTF-16 unit
        }
        return set.ContainsAt(text, pos) ? set.RunEnd(text, pos) : -1;
    }
}
