using System.Text;

namespace DeepSharp.Inference;

/// <summary>
/// Watches generated UTF-8 text for stop strings across token boundaries, keeping only as many trailing bytes as
/// the longest stop string needs.
/// </summary>
public sealed class StopStringMatcher
{
    private readonly byte[][] _stops;
    private readonly byte[] _tail;
    private int _tailLength;

    /// <summary>Watches for <paramref name="stopStrings"/> (empty strings are ignored).</summary>
    public StopStringMatcher(IEnumerable<string> stopStrings)
    {
        _stops = stopStrings.Where(s => s.Length > 0).Select(Encoding.UTF8.GetBytes).ToArray();
        int longest = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length);
        _tail = new byte[Math.Max(0, longest - 1)];
    }

    /// <summary>
    /// Appends <paramref name="bytes"/> and returns the index of a stop string that now occurs in the text
    /// (ending within the new bytes), or −1.
    /// </summary>
    public int Append(ReadOnlySpan<byte> bytes)
    {
        if (_stops.Length == 0)
        {
            return -1;
        }
        // Search the kept tail followed by the new bytes, so a stop string split across tokens is found.
        Span<byte> window = bytes.Length + _tailLength <= 256 ? stackalloc byte[bytes.Length + _tailLength] : new byte[bytes.Length + _tailLength];
        _tail.AsSpan(0, _tailLength).CopyTo(window);
        bytes.CopyTo(window[_tailLength..]);
        for (int i = 0; i < _stops.Length; i++)
        {
            if (window.IndexOf(_stops[i]) >= 0)
            {
                return i;
            }
        }
        int keep = Math.Min(_tail.Length, window.Length);
        window[^keep..].CopyTo(_tail);
        _tailLength = keep;
        return -1;
    }
}
