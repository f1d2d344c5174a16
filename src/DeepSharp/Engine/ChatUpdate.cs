using DeepSharp.Inference;

namespace DeepSharp.Engine;

/// <summary>One piece of a streamed reply: reasoning text, answer text, or (last) the usage and finish reason.</summary>
/// <param name="Kind">What the update carries.</param>
/// <param name="Text">The text of a <see cref="ChatUpdateKind.Reasoning"/> or <see cref="ChatUpdateKind.Content"/> update; empty otherwise.</param>
/// <param name="Usage">Token counts; set on the <see cref="ChatUpdateKind.Finished"/> update.</param>
/// <param name="FinishReason">Why generation ended; set on the <see cref="ChatUpdateKind.Finished"/> update.</param>
/// <param name="Logprobs">
/// With <see cref="ChatRequestOptions.Logprobs"/>: the tokens sampled since the previous update, in order, each with
/// its log-probability. Their text is (the start of) this update's text; tokens whose text never shows (a stop
/// string, a think tag) ride on the next update, at the latest on the <see cref="ChatUpdateKind.Finished"/> one.
/// Over a whole stream: every sampled token except an end-of-generation token. Null otherwise.
/// </param>
public readonly record struct ChatUpdate(ChatUpdateKind Kind, string Text, ChatUsage? Usage = null, FinishReason? FinishReason = null, IReadOnlyList<TokenLogprob>? Logprobs = null);
