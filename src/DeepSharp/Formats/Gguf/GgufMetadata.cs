using System.Diagnostics.CodeAnalysis;

namespace DeepSharp.Formats.Gguf;

/// <summary>
/// The key/value metadata of a GGUF file, in file order, with typed look-ups that name the key
/// when a value is missing or of the wrong type.
/// </summary>
public sealed class GgufMetadata
{
    private readonly Dictionary<string, GgufValue> _byKey;
    private readonly List<KeyValuePair<string, GgufValue>> _ordered;

    /// <summary>Creates metadata from pairs in file order; keys must be unique.</summary>
    public GgufMetadata(IEnumerable<KeyValuePair<string, GgufValue>> pairs)
    {
        _ordered = pairs.ToList();
        _byKey = new Dictionary<string, GgufValue>(_ordered.Count, StringComparer.Ordinal);
        foreach (var (key, value) in _ordered)
        {
            if (!_byKey.TryAdd(key, value))
            {
                throw new ArgumentException($"duplicate metadata key '{key}'", nameof(pairs));
            }
        }
    }

    /// <summary>The pairs in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Pairs => _ordered;

    /// <summary>Number of keys.</summary>
    public int Count => _ordered.Count;

    /// <summary>The value of a key, which must exist.</summary>
    public GgufValue this[string key] =>
        _byKey.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"metadata key '{key}' is missing");

    /// <summary>True if the key exists.</summary>
    public bool Contains(string key) => _byKey.ContainsKey(key);

    /// <summary>Looks up a key.</summary>
    public bool TryGetValue(string key, [NotNullWhen(true)] out GgufValue? value) => _byKey.TryGetValue(key, out value);

    /// <summary>A string value, or null when the key is absent.</summary>
    public string? GetStringOrNull(string key) => TryGetValue(key, out var v) ? Typed(key, v.AsString) : null;

    /// <summary>An integer value of any width, or <paramref name="fallback"/> when the key is absent.</summary>
    public long GetInt64(string key, long fallback) => TryGetValue(key, out var v) ? Typed(key, v.AsInt64) : fallback;

    /// <summary>An integer value of any width that must be present.</summary>
    public long GetInt64(string key) => Typed(key, this[key].AsInt64);

    /// <summary>A numeric value, or <paramref name="fallback"/> when the key is absent.</summary>
    public double GetDouble(string key, double fallback) => TryGetValue(key, out var v) ? Typed(key, v.AsDouble) : fallback;

    /// <summary>A bool value, or <paramref name="fallback"/> when the key is absent.</summary>
    public bool GetBool(string key, bool fallback) => TryGetValue(key, out var v) ? Typed(key, v.AsBool) : fallback;

    /// <summary>A string array, or null when the key is absent.</summary>
    public string[]? GetStringArrayOrNull(string key) =>
        TryGetValue(key, out var v) ? Typed(key, () => v.AsArray().AsStrings()) : null;

    private static T Typed<T>(string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"metadata key '{key}': {e.Message}", e);
        }
    }
}
