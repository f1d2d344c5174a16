namespace DeepSharp.Engine;

/// <summary>
/// The engine's wait queue is full (every slot is busy and <see cref="EngineOptions.QueueLimit"/> requests already
/// wait): the request was not accepted. A server answers HTTP 429 with <see cref="RetryAfter"/>.
/// </summary>
public sealed class EngineBusyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineBusyException(int queued, TimeSpan retryAfter)
        : base($"the engine is busy: {queued} requests are already waiting; retry after {retryAfter.TotalSeconds:0.#} s")
    {
        Queued = queued;
        RetryAfter = retryAfter;
    }

    /// <summary>Requests waiting when this one was refused.</summary>
    public int Queued { get; }

    /// <summary>A suggested wait before retrying (an estimate from recent request durations).</summary>
    public TimeSpan RetryAfter { get; }
}
