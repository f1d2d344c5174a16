namespace DeepSharp.Server;

/// <summary>
/// A bounded waiting room in front of the engine: <see cref="Parallel"/> requests run, up to
/// <see cref="QueueCapacity"/> more wait their turn, and any beyond that are turned away at once (429) instead of
/// piling up in memory.
/// </summary>
internal sealed class AdmissionGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private int _admitted;   // waiting + running
    private int _running;

    public AdmissionGate(int parallel, int queueCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallel);
        ArgumentOutOfRangeException.ThrowIfNegative(queueCapacity);
        Parallel = parallel;
        QueueCapacity = queueCapacity;
        _slots = new SemaphoreSlim(parallel, parallel);
    }

    /// <summary>Requests that may run at once.</summary>
    public int Parallel { get; }

    /// <summary>Requests that may wait.</summary>
    public int QueueCapacity { get; }

    /// <summary>Requests running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Requests waiting for a slot now.</summary>
    public int Waiting => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    /// <summary>A place in the queue, or null when the queue is full.</summary>
    public Lease? TryEnter()
    {
        if (Interlocked.Increment(ref _admitted) > Parallel + QueueCapacity)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }
        return new Lease(this);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>One admitted request: wait for a slot with <see cref="WaitAsync"/>, give everything back with <see cref="Dispose"/>.</summary>
    public sealed class Lease(AdmissionGate gate) : IDisposable
    {
        private bool _holdsSlot;
        private bool _disposed;

        /// <summary>Waits until the request may run.</summary>
        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_holdsSlot)
            {
                return;
            }
            await gate._slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            _holdsSlot = true;
            Interlocked.Increment(ref gate._running);
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (_holdsSlot)
            {
                Interlocked.Decrement(ref gate._running);
                gate._slots.Release();
            }
            Interlocked.Decrement(ref gate._admitted);
        }
    }
}
