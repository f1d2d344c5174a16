using DeepSharp.Inference;

namespace DeepSharp.Engine;

/// <summary>What a request's consumer decides after a sampled token: go on, finish, or feed extra tokens first.</summary>
/// <param name="Finish">Set to end the request (a stop string was seen).</param>
/// <param name="Inject">Tokens to evaluate after the sampled one before sampling again (a forced end of reasoning), or null.</param>
internal readonly record struct TokenVerdict(FinishReason? Finish, int[]? Inject)
{
    public static TokenVerdict Continue => default;
}
