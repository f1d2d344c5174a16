namespace DeepSharp.Engine;

/// <summary>Log-probabilities at one step, by token id: the sampled token's and the top alternatives' (most likely first).</summary>
internal sealed record SampledLogprobs(float Logprob, int[] TopIds, float[] TopLogprobs);
