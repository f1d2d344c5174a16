using DeepSharp.Inference;
using DeepSharp.Models;

namespace DeepSharp.Evaluation;

/// <summary>
/// Perplexity by llama.cpp's method: the token stream is cut into non-overlapping chunks of the context length,
/// each chunk's first token is replaced by BOS (when the model uses one), the chunk is evaluated from an empty cache,
/// and only the second half of each chunk is scored (every scored token sees at least half a context of history).
/// </summary>
public static class Perplexity
{
    /// <summary>The chunks of <paramref name="tokens"/>: whole chunks of <paramref name="contextLength"/> tokens, the first of each replaced by <paramref name="bos"/> when given; a partial tail is dropped.</summary>
    /// <exception cref="ArgumentException">Fewer tokens than one chunk, or a context below 4.</exception>
    public static int[][] Chunks(IReadOnlyList<int> tokens, int contextLength, int? bos)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (contextLength < 4)
        {
            throw new ArgumentException($"the context length must be at least 4 (got {contextLength})", nameof(contextLength));
        }
        int count = tokens.Count / contextLength;
        if (count == 0)
        {
            throw new ArgumentException($"the text has {tokens.Count} tokens, fewer than one chunk of {contextLength}; use a longer text or a smaller context", nameof(tokens));
        }
        var chunks = new int[count][];
        for (int c = 0; c < count; c++)
        {
            var chunk = new int[contextLength];
            for (int i = 0; i < contextLength; i++)
            {
                chunk[i] = tokens[c * contextLength + i];
            }
            if (bos is int b)
            {
                chunk[0] = b;
            }
            chunks[c] = chunk;
        }
        return chunks;
    }

    /// <summary>
    /// Scores one chunk from its logits (logits[position][token]): the sum of −log p(chunk[j+1]) for positions j from
    /// half the chunk to the second last, and how many tokens that is.
    /// </summary>
    public static (double NegativeLogLikelihood, int Count) ScoreChunk(IReadOnlyList<float[]> logits, IReadOnlyList<int> chunk)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(chunk);
        if (logits.Count != chunk.Count)
        {
            throw new ArgumentException($"{logits.Count} rows of logits for a chunk of {chunk.Count} tokens", nameof(logits));
        }
        double sum = 0;
        int first = chunk.Count / 2;
        for (int j = first; j < chunk.Count - 1; j++)
        {
            sum -= LogProbability(logits[j], chunk[j + 1]);
        }
        return (sum, chunk.Count - 1 - first);
    }

    /// <summary>Runs the whole method on <paramref name="model"/>; <paramref name="progress"/> hears each chunk's running perplexity.</summary>
    /// <exception cref="ArgumentException">Too few tokens, or a context longer than the model's.</exception>
    public static PerplexityResult Compute(TransformerModel model, IReadOnlyList<int> tokens, int contextLength, int? bos,
        Action<int, double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (contextLength > model.Config.ContextLength)
        {
            throw new ArgumentException($"the context length {contextLength} exceeds the model's {model.Config.ContextLength}", nameof(contextLength));
        }
        var chunks = Chunks(tokens, contextLength, bos);
        var session = new InferenceSession(model, new SessionOptions { ContextLength = contextLength });
        double total = 0;
        int scored = 0;
        for (int c = 0; c < chunks.Length; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Rewind(0);
            var (nll, count) = ScoreChunk(session.EvaluateAll(chunks[c]), chunks[c]);
            total += nll;
            scored += count;
            progress?.Invoke(c + 1, Math.Exp(total / scored));
        }
        return new PerplexityResult(Math.Exp(total / scored), total / scored, chunks.Length, scored);
    }

    /// <summary>log softmax(<paramref name="logits"/>)[<paramref name="token"/>], in double precision.</summary>
    private static double LogProbability(float[] logits, int token)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits)
        {
            max = Math.Max(max, v);
        }
        double sum = 0;
        foreach (float v in logits)
        {
            sum += Math.Exp(v - max);
        }
        return logits[token] - max - Math.Log(sum);
    }
}
