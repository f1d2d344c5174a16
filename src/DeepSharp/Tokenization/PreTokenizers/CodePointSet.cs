using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary>A regex character class: code points in some classes and/or in explicit inclusive ranges.</summary>
internal sealed class CodePointSet
{
    private readonly CharClass _classes;
    private readonly int[] _ranges; // first, last, first, last, ... sorted and disjoint

    public CodePointSet(CharClass classes, params (int First, int Last)[] ranges)
    {
        _classes = classes;
        var sorted = ranges.OrderBy(r => r.First).ToArray();
        _ranges = new int[sorted.Length * 2];
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Last < sorted[i].First || (i > 0 && sorted[i].First <= sorted[i - 1].Last))
            {
                throw new ArgumentException($"range {sorted[i].First:X4}-{sorted[i].Last:X4} is empty or overlaps its neighbour", nameof(ranges));
            }
            _ranges[2 * i] = sorted[i].First;
            _ranges[2 * i + 1] = sorted[i].Last;
        }
    }

    public bool Contains(int codePoint)
    {
        if (_classes != CharClass.None && (CharClassifier.Classify(codePoint) & _classes) != 0)
        {
            return true;
        }
        int lo = 0, hi = _ranges.Length / 2 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (codePoint < _ranges[2 * mid])
            {
                hi = mid - 1;
            }
            else if (codePoint > _ranges[2 * mid + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>End of the run of members from <paramref name="pos"/>.</summary>
    public int RunEnd(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length)
        {
            int len = CharClassifier.Read(text, pos, out int cp);
            if (!Contains(cp))
            {
                break;
            }
            pos += len;
        }
        return pos;
    }

    /// <summary>True when the code point at <paramref name="pos"/> is a member.</summary>
    public bool ContainsAt(ReadOnlySpan<char> text, int pos)
    {
        if (pos >= text.Length)
        {
            return false;
        }
        CharClassifier.Read(text, pos, out int cp);
        return Contains(cp);
    }
}
