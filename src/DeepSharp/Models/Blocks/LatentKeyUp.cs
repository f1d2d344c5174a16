using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// One head's MLA key up-projection W_UK (nope × latent, FACTS.md §3.7) in the orientation the file stores it:
/// a merged <c>attn_kv_b</c> holds its rows, <c>attn_k_b</c> its transpose. Absorbing a query into latent space
/// (W_UKᵀ·q) is a plain product in the second case and a transposed one in the first; expanding a latent into a
/// key (W_UK·c) is the other way round.
/// </summary>
public sealed class LatentKeyUp
{
    private readonly WeightMatrix _matrix;
    private readonly bool _storedTransposed;

    private LatentKeyUp(WeightMatrix matrix, bool storedTransposed, int nopeDim, int latentDim)
    {
        _matrix = matrix;
        _storedTransposed = storedTransposed;
        NopeDim = nopeDim;
        LatentDim = latentDim;
    }

    /// <summary>True when the file stores the transpose (<c>attn_k_b</c>), false for the projection's own rows (<c>attn_kv_b</c>).</summary>
    public bool StoredTransposed => _storedTransposed;

    /// <summary>Width of the non-rotated key part.</summary>
    public int NopeDim { get; }

    /// <summary>Width of the latent.</summary>
    public int LatentDim { get; }

    /// <summary>The projection itself: nope rows of latent values (one head's K rows of <c>attn_kv_b</c>).</summary>
    public static LatentKeyUp FromRows(WeightMatrix rows) => new(rows, false, rows.Rows, rows.Columns);

    /// <summary>Its transpose: latent rows of nope values (one head's slab of <c>attn_k_b</c>).</summary>
    public static LatentKeyUp FromTransposed(WeightMatrix transposed) => new(transposed, true, transposed.Columns, transposed.Rows);

    /// <summary>Maps <paramref name="count"/> rows of query nope parts to latent-space rows: W_UKᵀ·q.</summary>
    public void Absorb(ForwardContext context, ReadOnlySpan<float> queryNope, int count, Span<float> latent)
    {
        if (_storedTransposed)
        {
            context.MatMul(_matrix, queryNope, count, latent);
        }
        else
        {
            context.MatMulTransposed(_matrix, queryNope, count, latent);
        }
    }

    /// <summary>Maps <paramref name="count"/> latent rows to the nope parts of keys: W_UK·c.</summary>
    public void Expand(ForwardContext context, ReadOnlySpan<float> latent, int count, Span<float> keyNope)
    {
        if (_storedTransposed)
        {
            context.MatMulTransposed(_matrix, latent, count, keyNope);
        }
        else
        {
            context.MatMul(_matrix, latent, count, keyNope);
        }
    }
}
