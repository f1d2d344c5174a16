using DeepSharp.Inference.Sampling;

namespace DeepSharp.Engine;

/// <summary>One generation request as the scheduler sees it: token ids in, sampled ids out to a sink.</summary>
internal sealed class SequenceRequest(int[] prompt, SamplingOptions sampling, int maxTokens, IReadOnlySet<int> stopTokens, int topLogprobs, bool logprobs, ISequenceSink sink)
{
    public int[] Prompt { get; } = prompt;

    public SamplingOptions Sampling { get; } = sampling;

    public int MaxTokens { get; } = maxTokens;

    public IReadOnlySet<int> StopTokens { get; } = stopTokens;

    /// <summary>Whether to compute log-probabilities, and how many alternatives.</summary>
    public bool Logprobs { get; } = logprobs;

    public int TopLogprobs { get; } = topLogprobs;

    public ISequenceSink Sink { get; } = sink;

    /// <summary>Set (under the scheduler's lock) when the request should end; the loop frees its slot at the next step.</summary>
    public bool CancelRequested { get; set; }

    /// <summary>Set by the loop once the sink got its final call.</summary>
    public bool Ended { get; set; }
}
