using System.Text.Json.Nodes;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Engine;

/// <summary>Settings of one request to a <see cref="ChatEngine"/>.</summary>
public sealed record ChatRequestOptions
{
    /// <summary>How tokens are picked.</summary>
    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>New tokens at most (reasoning and answer together).</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>Strings that end the reply; the stop string itself is not part of the output.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>
    /// Reasoning tokens at most; when spent, the engine feeds the end-of-reasoning tag to the model so it goes on
    /// to the answer. Null for no limit.
    /// </summary>
    public int? ReasoningBudget { get; init; }

    /// <summary>
    /// False renders the prompt so that the model skips its reasoning (the template's <c>enable_thinking</c>/<c>thinking</c>
    /// variable, else an empty closed think block after the assistant tag). Applies to chat requests only.
    /// </summary>
    public bool Thinking { get; init; } = true;

    /// <summary>
    /// Function definitions in OpenAI's shape (<c>{"type": "function", "function": {...}}</c>) that the chat template
    /// shows the model (its <c>tools</c> variable); null for none. Applies to chat requests only.
    /// </summary>
    public IReadOnlyList<JsonNode>? Tools { get; init; }

    /// <summary>Report the log-probability of each generated token (<see cref="ChatUpdate.Logprobs"/>).</summary>
    public bool Logprobs { get; init; }

    /// <summary>With <see cref="Logprobs"/>, how many of the most likely tokens to report at each step (0–20).</summary>
    public int TopLogprobs { get; init; }

    /// <summary>The most <see cref="TopLogprobs"/> allowed (the OpenAI API's limit).</summary>
    public const int MaxTopLogprobs = 20;
}
