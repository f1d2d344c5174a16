using System.Text;

namespace DeepSharp.Chat.Templates;

/// <summary>
/// Python strings index by code point while .NET strings index by UTF-16 unit; these helpers give templates
/// Python's view (they take the fast path when a string has no surrogate pairs).
/// </summary>
internal static class CodePoints
{
    private static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    public static int Count(string s)
    {
        if (!HasSurrogates(s))
        {
            return s.Length;
        }
        int n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }
        return n;
    }

    /// <summary>The string's characters (code points) as one-character strings.</summary>
    public static List<object?> Split(string s)
    {
        var result = new List<object?>(s.Length);
        if (!HasSurrogates(s))
        {
            foreach (char c in s)
            {
                result.Add(c.ToString());
            }
            return result;
        }
        foreach (Rune r in s.EnumerateRunes())
        {
            result.Add(r.ToString());
        }
        return result;
    }

    /// <summary>The code points of a string as strings, for slicing; plain chars when there are no pairs.</summary>
    public static string[] ToArray(string s) => HasSurrogates(s)
        ? [.. s.EnumerateRunes().Select(r => r.ToString())]
        : [.. s.Select(c => c.ToString())];
}
