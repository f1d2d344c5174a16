namespace DeepSharp.Inference.Sampling;

/// <summary>The last step of the sampling chain: chooses one of the remaining candidates.</summary>
public interface ITokenPicker
{
    /// <summary>The chosen token id.</summary>
    int Pick(TokenCandidates candidates);
}
