using DeepSharp.Compute;
using DeepSharp.Models;

namespace DeepSharp.Inference;

/// <summary>
/// One sequence being evaluated: a KV cache, scratch buffers and the current position. Prompts are evaluated in
/// batches of <see cref="SessionOptions.BatchSize"/> tokens, then generation proceeds one token at a time.
/// Not thread-safe; many sessions may share one <see cref="TransformerModel"/>.
/// </summary>
public sealed class InferenceSession
{
    private readonly TransformerModel _model;
    private readonly KvCache _cache;
    private readonly ForwardContext _context;
    private readonly int _batchSize;
    private readonly float[] _logits;

    /// <summary>Creates a session over <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The context length exceeds the model's or the batch size is not positive.</exception>
    public InferenceSession(TransformerModel model, SessionOptions? options = null)
    {
        options ??= new SessionOptions();
        int trained = model.Config.ContextLength;
        int context = options.ContextLength == 0 ? Math.Min(trained, SessionOptions.DefaultContextCap) : options.ContextLength;
        if (context <= 0 || context > trained)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ContextLength, $"the context length must be in 1..{trained} (the model's trained context)");
        }
        if (options.BatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "the batch size must be positive");
        }
        _model = model;
        _cache = model.CreateCache(context, options.KvCacheType);
        _context = new ForwardContext(new Workspace(), options.Pool ?? ComputePool.Shared, options.ActivationSink) { Meter = options.Meter };
        _batchSize = options.BatchSize;
        _logits = new float[model.VocabSize];
    }

    /// <summary>The model.</summary>
    public TransformerModel Model => _model;

    /// <summary>Tokens in the cache: the position the next token takes.</summary>
    public int Position { get; private set; }

    /// <summary>Positions the session holds.</summary>
    public int ContextLength => _cache.ContextLength;

    /// <summary>
    /// Appends <paramref name="tokens"/> and returns the logits after the last of them (valid until the next call).
    /// </summary>
    /// <exception cref="ContextFullException">The tokens do not fit in the rest of the context.</exception>
    public ReadOnlySpan<float> Evaluate(ReadOnlySpan<int> tokens)
    {
        EnsureRoom(tokens.Length);
        for (int start = 0; start < tokens.Length; start += _batchSize)
        {
            var batch = tokens.Slice(start, Math.Min(_batchSize, tokens.Length - start));
            _model.Forward(_context, batch, Position, _cache, allPositions: false, _logits);
            Position += batch.Length;
        }
        return _logits;
    }

    /// <summary>Appends <paramref name="tokens"/> and returns the logits after each of them: [token][vocabulary].</summary>
    /// <exception cref="ContextFullException">The tokens do not fit in the rest of the context.</exception>
    public float[][] EvaluateAll(ReadOnlySpan<int> tokens)
    {
        EnsureRoom(tokens.Length);
        var result = new float[tokens.Length][];
        for (int start = 0; start < tokens.Length; start += _batchSize)
        {
            var batch = tokens.Slice(start, Math.Min(_batchSize, tokens.Length - start));
            var logits = new float[batch.Length * _model.VocabSize];
            _model.Forward(_context, batch, Position, _cache, allPositions: true, logits);
            for (int t = 0; t < batch.Length; t++)
            {
                result[start + t] = logits.AsSpan(t * _model.VocabSize, _model.VocabSize).ToArray();
            }
            Position += batch.Length;
        }
        return result;
    }

    /// <summary>Forgets every token from <paramref name="position"/> on (0 clears the session).</summary>
    public void Rewind(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Position);
        Position = position;
    }

    private void EnsureRoom(int count)
    {
        if (count == 0)
        {
            throw new ArgumentException("no tokens to evaluate");
        }
        if (count > ContextLength - Position)
        {
            throw new ContextFullException(Position, count, ContextLength);
        }
    }
}
