namespace DeepSharp.Models;

/// <summary>
/// Counts what forward passes read, for benchmarks: weight bytes (a product reads its whole matrix once, however
/// many tokens it serves; an embedding lookup reads one row) and, per MoE layer, how often each routed expert was
/// chosen. Thread-safe; attach it with <c>SessionOptions.Meter</c>.
/// </summary>
public sealed class ForwardMeter
{
    private readonly object _gate = new();
    private readonly Dictionary<int, long[]> _expertSelections = [];
    private long _weightBytes;
    private long _tokens;

    /// <summary>Weight bytes read since the last <see cref="Reset"/>.</summary>
    public long WeightBytes => Interlocked.Read(ref _weightBytes);

    /// <summary>Tokens evaluated since the last <see cref="Reset"/>.</summary>
    public long Tokens => Interlocked.Read(ref _tokens);

    /// <summary>Adds <paramref name="bytes"/> read weight bytes.</summary>
    public void AddWeightBytes(long bytes) => Interlocked.Add(ref _weightBytes, bytes);

    /// <summary>Adds <paramref name="count"/> evaluated tokens.</summary>
    public void AddTokens(int count) => Interlocked.Add(ref _tokens, count);

    /// <summary>Records that <paramref name="tokens"/> tokens chose expert <paramref name="expert"/> of <paramref name="expertCount"/> in <paramref name="layer"/>.</summary>
    public void AddExpertSelection(int layer, int expertCount, int expert, int tokens)
    {
        lock (_gate)
        {
            if (!_expertSelections.TryGetValue(layer, out var counts))
            {
                _expertSelections[layer] = counts = new long[expertCount];
            }
            counts[expert] += tokens;
        }
    }

    /// <summary>Per MoE layer, how often each expert was chosen (a copy).</summary>
    public IReadOnlyDictionary<int, long[]> ExpertSelections()
    {
        lock (_gate)
        {
            return _expertSelections.ToDictionary(p => p.Key, p => (long[])p.Value.Clone());
        }
    }

    /// <summary>Starts counting afresh.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _expertSelections.Clear();
            Interlocked.Exchange(ref _weightBytes, 0);
            Interlocked.Exchange(ref _tokens, 0);
        }
    }
}
