using DeepSharp.Tokenization;

namespace DeepSharp.Inference.Sampling;

/// <summary>
/// Constrains generation to one valid JSON object (OpenAI's <c>response_format: json_object</c>): before each pick,
/// every token whose bytes could not continue the reply as JSON is masked out, and once the top-level object is
/// complete only end-of-generation tokens remain, so the reply ends there. The reply may start with whitespace.
/// </summary>
/// <remarks>
/// With a token budget, the constraint also makes sure the object closes in time: a token is allowed only if the
/// object can still be completed, and ended, with the tokens left; so a reply cut off by the limit is still valid
/// JSON whenever the vocabulary has single-byte tokens (byte-level BPE vocabularies do).
/// The first call sees the prompt as its history and takes it as the starting point; each later call reads the
/// tokens added since. One instance serves one reply.
/// </remarks>
public sealed class JsonConstraint : ILogitProcessor
{
    private readonly Vocabulary _vocabulary;
    private JsonScanner _scanner;
    private readonly int? _maxTokens;
    private int _consumed = -1;   // history tokens already fed to the scanner; -1 before the first call
    private int _start;           // history length at the first call: where the reply begins
    private int _budget;          // closing cost a token may leave behind in this step

    /// <summary>Creates the constraint for a model with <paramref name="vocabulary"/>.</summary>
    /// <param name="vocabulary">The model's vocabulary (token bytes, types and end-of-generation tokens).</param>
    /// <param name="maxTokens">The reply's token limit (counting the end token), so the object closes in time; null for none.</param>
    public JsonConstraint(Vocabulary vocabulary, int? maxTokens = null)
    {
        if (maxTokens is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "the token limit must not be negative");
        }
        _maxTokens = maxTokens;
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (vocabulary.EndOfGenerationIds.Count == 0)
        {
            throw new ArgumentException("the vocabulary has no end-of-generation token, so a JSON reply could never end", nameof(vocabulary));
        }
        _vocabulary = vocabulary;
    }

    /// <summary>True once the reply holds a complete JSON object.</summary>
    public bool IsComplete => _scanner.IsComplete;

    /// <inheritdoc />
    public void Process(Span<float> logits, IReadOnlyList<int> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (_consumed < 0 || history.Count < _consumed)
        {
            _consumed = _start = history.Count;
        }
        for (; _consumed < history.Count; _consumed++)
        {
            Feed(history[_consumed]);
        }
        // After this token, (left - 1) tokens remain, and the last of them must be the end token.
        int left = _maxTokens is int max ? max - (history.Count - _start) : int.MaxValue;
        _budget = left == int.MaxValue ? int.MaxValue : left - 2;
        int allowed = 0;
        int count = Math.Min(logits.Length, _vocabulary.Count);
        for (int id = 0; id < count; id++)
        {
            if (float.IsNegativeInfinity(logits[id]))
            {
                continue;
            }
            if (Allows(id))
            {
                allowed++;
            }
            else
            {
                logits[id] = float.NegativeInfinity;
            }
        }
        logits[count..].Fill(float.NegativeInfinity);
        if (allowed == 0)
        {
            // Nothing can continue (every candidate was banned): end the reply rather than emit invalid JSON.
            foreach (int id in _vocabulary.EndOfGenerationIds)
            {
                if (id < logits.Length)
                {
                    logits[id] = 0;
                }
            }
        }
    }

    /// <summary>Whether <paramref name="id"/> may come next.</summary>
    private bool Allows(int id)
    {
        if (_vocabulary.IsEndOfGeneration(id))
        {
            return _scanner.IsComplete;
        }
        // Control and user-defined tokens (chat markers, think tags) never belong inside the JSON text.
        if (_scanner.IsComplete || _vocabulary.GetTokenType(id) is not (TokenType.Normal or TokenType.Byte))
        {
            return false;
        }
        var bytes = _vocabulary.GetTokenBytes(id);
        if (bytes.IsEmpty)
        {
            return false;
        }
        var trial = _scanner;
        foreach (byte b in bytes)
        {
            if (!trial.Push(b))
            {
                return false;
            }
        }
        return trial.ClosingCost <= _budget;
    }

    private void Feed(int token)
    {
        if ((uint)token >= (uint)_vocabulary.Count || _vocabulary.IsEndOfGeneration(token))
        {
            return;
        }
        foreach (byte b in _vocabulary.GetTokenBytes(token))
        {
            if (!_scanner.Push(b))
            {
                throw new InvalidOperationException($"token {token} was generated although it breaks the JSON reply; was the constraint skipped?");
            }
        }
    }
}
