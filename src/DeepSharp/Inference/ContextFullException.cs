namespace DeepSharp.Inference;

/// <summary>Evaluating more tokens would run past the end of the session's context.</summary>
public sealed class ContextFullException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="requested"/> more tokens after <paramref name="position"/> in a context of <paramref name="contextLength"/>.</summary>
    public ContextFullException(int position, int requested, int contextLength)
        : base($"the context is full: {position} tokens are cached and {requested} more do not fit in a context of {contextLength}")
    {
        Position = position;
        Requested = requested;
        ContextLength = contextLength;
    }

    /// <summary>Tokens already in the cache.</summary>
    public int Position { get; }

    /// <summary>Tokens that were to be added.</summary>
    public int Requested { get; }

    /// <summary>Positions the session holds.</summary>
    public int ContextLength { get; }
}
