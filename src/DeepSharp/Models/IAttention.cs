using DeepSharp.Compute;

namespace DeepSharp.Models;

/// <summary>
/// The attention half of a transformer block (GQA here; MLA later), pluggable per layer. It declares what it
/// caches per token and reads and writes only those planes.
/// </summary>
public interface IAttention
{
    /// <summary>Widths of the vectors this block caches per token (for GQA: all keys, all values).</summary>
    IReadOnlyList<int> CachePlaneWidths { get; }

    /// <summary>
    /// Attends <paramref name="tokens"/> normalised rows of <paramref name="input"/> at positions
    /// <paramref name="startPosition"/>.. (causally, over everything cached before them) and writes the block's
    /// output rows (model width) to <paramref name="output"/>.
    /// </summary>
    void Forward(ForwardContext context, int layer, ReadOnlySpan<float> input, int tokens, int startPosition, IReadOnlyList<KvCachePlane> cache, Span<float> output);
}
