using DeepSharp.Compute;

namespace DeepSharp.Models;

/// <summary>
/// The attention half of a transformer block (GQA or MLA), pluggable per layer. It declares what it
/// caches per token and reads and writes only those planes.
/// </summary>
public interface IAttention
{
    /// <summary>Widths of the vectors this block caches per token (for GQA: all keys, all values).</summary>
    IReadOnlyList<int> CachePlaneWidths { get; }

    /// <summary>
    /// Attends the normalised rows of <paramref name="input"/>: the tokens of each of <paramref name="sequences"/> in
    /// turn, each sequence causally over its own cache (its planes of layer <paramref name="layer"/>) at its own
    /// positions, and writes the block's output rows (model width) to <paramref name="output"/>. Weight products may
    /// run over all rows at once; a row's result must not depend on the other sequences.
    /// </summary>
    void Forward(ForwardContext context, int layer, ReadOnlySpan<float> input, ReadOnlySpan<BatchSequence> sequences, Span<float> output);
}
