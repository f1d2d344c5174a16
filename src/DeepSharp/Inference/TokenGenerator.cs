using DeepSharp.Inference.Sampling;

namespace DeepSharp.Inference;

/// <summary>
/// The generation loop: evaluates a prompt (token ids) in the session, then samples, yields and evaluates one
/// token at a time until a stop token, a stop string, the token limit or the end of the context. Text is the
/// tokenizer's business; this loop only sees ids (and token bytes for stop strings).
/// </summary>
public static class TokenGenerator
{
    /// <summary>
    /// Generates after <paramref name="prompt"/>, which is appended to what <paramref name="session"/> already holds.
    /// The final token is not evaluated, so the session ends one token short of everything yielded.
    /// </summary>
    /// <exception cref="ContextFullException">The prompt does not fit in the session's context.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static IEnumerable<GenerationStep> Generate(InferenceSession session, IReadOnlyList<int> prompt, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTokens);
        if (options.StopStrings.Count > 0 && options.TokenBytes is null)
        {
            throw new ArgumentException("stop strings need a TokenBytes decoder", nameof(options));
        }
        if (prompt.Count == 0)
        {
            throw new ArgumentException("the prompt is empty", nameof(prompt));
        }
        return Run(session, prompt, options, cancellationToken);
    }

    private static IEnumerable<GenerationStep> Run(InferenceSession session, IReadOnlyList<int> prompt, GenerationOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sampler = Sampler.Create(session.Model.VocabSize, options.Sampling);
        var stops = new StopStringMatcher(options.StopStrings);
        var history = new List<int>(prompt);
        int[] prefill = [.. prompt];
        var logits = session.Evaluate(prefill).ToArray();
        int[] next = new int[1];
        for (int generated = 0; generated < options.MaxTokens; generated++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int token = sampler.Sample(logits, history);
            history.Add(token);
            FinishReason? finish =
                options.StopTokens.Contains(token) ? FinishReason.StopToken
                : options.TokenBytes is { } bytes && stops.Append(bytes(token)) >= 0 ? FinishReason.StopString
                : generated + 1 == options.MaxTokens ? FinishReason.Length
                : session.Position == session.ContextLength ? FinishReason.ContextFull
                : null;
            yield return new GenerationStep(token, finish);
            if (finish is not null)
            {
                yield break;
            }
            next[0] = token;
            session.Evaluate(next).CopyTo(logits);
        }
    }
}
