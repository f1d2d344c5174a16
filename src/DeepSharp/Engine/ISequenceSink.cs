using DeepSharp.Inference;

namespace DeepSharp.Engine;

/// <summary>
/// The receiving end of a scheduled request. Every call comes from the scheduler's loop thread, in order:
/// <see cref="Started"/>, <see cref="Token"/>s, then exactly one of <see cref="Finished"/>, <see cref="Cancelled"/>
/// or <see cref="Failed"/> (a request cancelled in the queue gets only <see cref="Cancelled"/>).
/// </summary>
internal interface ISequenceSink
{
    /// <summary>The request got a slot; <paramref name="cachedTokens"/> prompt tokens were reused, not evaluated.</summary>
    void Started(int cachedTokens);

    /// <summary>
    /// A token was sampled. <paramref name="endOfGeneration"/>: it is a stop token (it ends the request; show no text).
    /// <paramref name="limit"/>: the request ends after this token anyway (token limit or full context).
    /// </summary>
    TokenVerdict Token(int token, SampledLogprobs? logprobs, bool endOfGeneration, FinishReason? limit);

    /// <summary>The request ended normally after <paramref name="completionTokens"/> sampled tokens.</summary>
    void Finished(FinishReason reason, int completionTokens);

    /// <summary>The request was cancelled.</summary>
    void Cancelled();

    /// <summary>The request ended with an error.</summary>
    void Failed(Exception error);
}
