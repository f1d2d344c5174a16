namespace DeepSharp.Engine;

/// <summary>
/// Cuts streamed text at the first stop string. Text that might be the beginning of a stop string is held back
/// until the next piece decides, so the caller never sees any part of a stop string.
/// </summary>
internal sealed class StopTextFilter
{
    private readonly string[] _stops;
    private readonly int _holdBack;
    private string _pending = "";

    public StopTextFilter(IReadOnlyList<string> stops)
    {
        if (stops.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("stop strings must not be empty", nameof(stops));
        }
        _stops = [.. stops];
        _holdBack = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length) - 1;
    }

    /// <summary>True once a stop string was found; later pieces are ignored.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds a piece and returns the text that is certainly not part of a stop string.</summary>
    public string Push(string piece)
    {
        if (Stopped)
        {
            return "";
        }
        string text = _pending + piece;
        int cut = -1;
        foreach (string stop in _stops)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
            }
        }
        if (cut >= 0)
        {
            Stopped = true;
            _pending = "";
            return text[..cut];
        }
        int keep = Math.Min(_holdBack, text.Length);
        // Hold back only a tail that could still grow into a stop string.
        while (keep > 0 && !_stops.Any(s => s.AsSpan().StartsWith(text.AsSpan(text.Length - keep), StringComparison.Ordinal)))
        {
            keep--;
        }
        _pending = text[(text.Length - keep)..];
        return text[..(text.Length - keep)];
    }

    /// <summary>Releases held-back text at the end of the stream.</summary>
    public string Flush()
    {
        string rest = Stopped ? "" : _pending;
        _pending = "";
        return rest;
    }
}
