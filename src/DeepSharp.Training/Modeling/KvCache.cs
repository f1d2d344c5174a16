using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>Preallocated keys and values of every layer for incremental decoding (naive MLA form).</summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <summary>Allocates room for <paramref name="batch"/> sequences of <paramref name="capacity"/> positions.</summary>
    public KvCache(int layers, long batch, long heads, long capacity, long keyWidth, long valueWidth)
    {
        _keys = [.. Enumerable.Range(0, layers).Select(_ => zeros(batch, heads, capacity, keyWidth).DetachFromDisposeScope())];
        _values = [.. Enumerable.Range(0, layers).Select(_ => zeros(batch, heads, capacity, valueWidth).DetachFromDisposeScope())];
        Capacity = capacity;
    }

    /// <summary>Positions each sequence can hold.</summary>
    public long Capacity { get; }

    /// <summary>Stores [B, H, T, *] keys and values at <paramref name="start"/> and returns the views of positions 0 .. start+T−1.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, int start, Tensor keys, Tensor values)
    {
        long end = start + keys.shape[2];
        if (end > Capacity)
        {
            throw new InvalidOperationException($"KV cache of {Capacity} positions is full");
        }
        _keys[layer].narrow(2, start, keys.shape[2]).copy_(keys);
        _values[layer].narrow(2, start, values.shape[2]).copy_(values);
        return (_keys[layer].narrow(2, 0, end), _values[layer].narrow(2, 0, end));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t.Dispose();
        }
    }
}
