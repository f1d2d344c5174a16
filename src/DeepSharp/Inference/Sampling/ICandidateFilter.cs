namespace DeepSharp.Inference.Sampling;

/// <summary>One step of the sampling chain: removes candidates or reshapes their logits (top-k, top-p, min-p, temperature).</summary>
public interface ICandidateFilter
{
    /// <summary>Applies the filter; it must leave at least one candidate.</summary>
    void Apply(TokenCandidates candidates);
}
