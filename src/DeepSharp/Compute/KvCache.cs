namespace DeepSharp.Compute;

/// <summary>
/// The attention cache of one sequence: for each layer, the planes its attention block asked for
/// (an attention block declares their widths), each holding one row per context position.
/// </summary>
public sealed class KvCache
{
    private readonly KvCachePlane[][] _layers;

    /// <summary>Allocates planes of the given widths for each layer.</summary>
    public KvCache(int contextLength, KvCacheType type, IReadOnlyList<IReadOnlyList<int>> planeWidthsPerLayer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        ContextLength = contextLength;
        Type = type;
        _layers = planeWidthsPerLayer.Select(widths => widths.Select(w => new KvCachePlane(contextLength, w, type)).ToArray()).ToArray();
    }

    /// <summary>Positions each plane holds.</summary>
    public int ContextLength { get; }

    /// <summary>Element type.</summary>
    public KvCacheType Type { get; }

    /// <summary>Layers.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>The planes of layer <paramref name="layer"/>, in the order its attention block declared them.</summary>
    public IReadOnlyList<KvCachePlane> Layer(int layer) => _layers[layer];

    /// <summary>Whether <paramref name="other"/> has the same layers, planes, widths and element type (its rows can be copied here).</summary>
    public bool HasLayoutOf(KvCache other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Type != Type || other.LayerCount != LayerCount)
        {
            return false;
        }
        for (int i = 0; i < _layers.Length; i++)
        {
            var mine = _layers[i];
            var theirs = other._layers[i];
            if (mine.Length != theirs.Length || mine.Where((p, j) => p.Width != theirs[j].Width).Any())
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Copies positions <paramref name="position"/> .. + <paramref name="count"/> of every plane to
    /// <paramref name="destination"/> from <paramref name="destinationPosition"/> on (the caches must share a layout):
    /// a prefix computed in one sequence becomes reusable in another without evaluating it again.
    /// </summary>
    /// <exception cref="ArgumentException">The caches differ in layout or element type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A range does not fit its cache.</exception>
    public void CopyPositionsTo(int position, KvCache destination, int destinationPosition, int count)
    {
        if (!HasLayoutOf(destination))
        {
            throw new ArgumentException("the caches differ in layers, plane widths or element type", nameof(destination));
        }
        for (int i = 0; i < _layers.Length; i++)
        {
            for (int j = 0; j < _layers[i].Length; j++)
            {
                _layers[i][j].CopyRowsTo(position, destination._layers[i][j], destinationPosition, count);
            }
        }
    }

    /// <summary>Bytes held by all planes.</summary>
    public long Bytes => _layers.Sum(l => l.Sum(p => (long)p.ContextLength * p.Width)) * (Type == KvCacheType.F16 ? 2 : 4);
}
