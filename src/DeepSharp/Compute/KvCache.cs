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

    /// <summary>Bytes held by all planes.</summary>
    public long Bytes => _layers.Sum(l => l.Sum(p => (long)p.ContextLength * p.Width)) * (Type == KvCacheType.F16 ? 2 : 4);
}
