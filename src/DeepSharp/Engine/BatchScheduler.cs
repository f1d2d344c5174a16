using System.Diagnostics;
using System.Runtime.InteropServices;
using DeepSharp.Compute;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;
using DeepSharp.Models;

namespace DeepSharp.Engine;

/// <summary>
/// Continuous batching: N slots, each a KV cache, and one loop thread that steps every busy slot in one batched
/// forward pass per step (<see cref="TransformerModel.Forward(ForwardContext, ReadOnlySpan{int}, ReadOnlySpan{BatchSequence}, Span{float})"/>):
/// one token for each decoding request plus prompt chunks of joining ones, bounded per step by the batch size so
/// decoders keep their pace. Requests join and leave between steps; when all slots are busy they wait in a bounded
/// queue. A new request takes the idle slot (or kept prefix) that shares the longest token prefix with its prompt and
/// skips evaluating that prefix.
/// </summary>
internal sealed class BatchScheduler : IDisposable
{
    private readonly TransformerModel _model;
    private readonly SchedulerSlot[] _slots;
    private readonly PrefixStore? _store;
    private readonly ForwardContext _context;
    private readonly int _batchSize;
    private readonly int _queueLimit;
    private readonly int _contextLength;
    private readonly int _minPrefixTokens;
    private readonly object _lock = new();
    private readonly LinkedList<SequenceRequest> _queue = new();
    private readonly Thread _thread;
    private readonly List<BatchSequence> _batch = [];
    private readonly List<int> _batchTokens = [];
    private readonly List<SchedulerSlot> _stepped = [];
    private readonly float[] _logits;
    private readonly int[] _topIds = new int[ChatRequestOptions.MaxTopLogprobs];
    private bool _disposed;
    private bool _resetRequested;
    private long _clock;
    private int _roundRobin;

    // Counters, written under _lock.
    private int _active;
    private long _kvUsed, _promptTokens, _cachedTokens, _completionTokens, _finished, _cancelled, _rejected, _failed;
    private int _retained;
    private long _retainedTokens;
    private double _secondsPerRequest = 1;

    public BatchScheduler(TransformerModel model, EngineOptions options)
    {
        var session = options.Session;
        int trained = model.Config.ContextLength;
        int context = session.ContextLength == 0 ? Math.Min(trained, SessionOptions.DefaultContextCap) : session.ContextLength;
        if (context <= 0 || context > trained)
        {
            throw new ArgumentOutOfRangeException(nameof(options), session.ContextLength, $"the context length must be in 1..{trained} (the model's trained context)");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(session.BatchSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ParallelSlots, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.QueueLimit, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.PrefixCacheTokens, nameof(options));
        _model = model;
        _contextLength = context;
        _batchSize = session.BatchSize;
        _queueLimit = options.QueueLimit;
        _minPrefixTokens = Math.Max(1, options.MinPrefixTokens);
        _slots = Enumerable.Range(0, options.ParallelSlots).Select(_ => new SchedulerSlot(model.CreateCache(context, session.KvCacheType))).ToArray();
        _context = new ForwardContext(new Workspace(), session.Pool ?? ComputePool.Shared, session.ActivationSink) { Meter = session.Meter };
        _logits = new float[options.ParallelSlots * model.VocabSize];
        if (options.PrefixCacheTokens > 0)
        {
            _store = new PrefixStore(session.KvCacheType, model.CachePlaneWidths, options.PrefixCacheTokens, options.MinPrefixTokens,
                options.PrefixCacheDirectory, model.Fingerprint, options.Log);
            (_retained, _retainedTokens) = (_store.Count, _store.Tokens);
        }
        _thread = new Thread(Loop) { IsBackground = true, Name = "DeepSharp batch scheduler" };
        _thread.Start();
    }

    /// <summary>Positions of each slot.</summary>
    public int ContextLength => _contextLength;

    /// <summary>Queues <paramref name="request"/>.</summary>
    /// <exception cref="EngineBusyException">The wait queue is full.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler is disposed.</exception>
    public void Submit(SequenceRequest request)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int free = _slots.Length - _active;
            if (_queue.Count >= _queueLimit + free)
            {
                _rejected++;
                double wait = _secondsPerRequest * (_queue.Count + 1) / _slots.Length;
                throw new EngineBusyException(_queue.Count, TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(wait), 1, 120)));
            }
            _queue.AddLast(request);
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>Ends <paramref name="request"/> if it has not ended: a queued one leaves the queue now, a running one frees its slot before the next step.</summary>
    public void Cancel(SequenceRequest request)
    {
        lock (_lock)
        {
            if (request.Ended || request.CancelRequested)
            {
                return;
            }
            request.CancelRequested = true;
            if (!_queue.Remove(request))
            {
                Monitor.Pulse(_lock);
                return;
            }
            request.Ended = true;
            _cancelled++;
        }
        request.Sink.Cancelled();
    }

    /// <summary>Forgets the idle slots' tokens and the kept prefixes (before the next request is placed).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _resetRequested = true;
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>A snapshot of the counters.</summary>
    public EngineStatistics Statistics()
    {
        lock (_lock)
        {
            return new EngineStatistics(_slots.Length, _active, _queue.Count, _kvUsed, (long)_slots.Length * _contextLength, _retained, _retainedTokens,
                _promptTokens, _cachedTokens, _completionTokens, _finished, _cancelled, _rejected, _failed);
        }
    }

    /// <summary>Stops the loop, fails what is still queued or running, keeps the slots' contents as prefixes and waits for cache files.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            Monitor.Pulse(_lock);
        }
        _thread.Join();
        var error = new ObjectDisposedException(nameof(ChatEngine), "the engine was disposed");
        foreach (var slot in _slots.Where(s => s.Request is not null))
        {
            Fail(slot, error);
        }
        List<SequenceRequest> queued;
        lock (_lock)
        {
            queued = [.. _queue];
            _queue.Clear();
        }
        foreach (var request in queued)
        {
            request.Ended = true;
            request.Sink.Failed(error);
        }
        if (_store is not null)
        {
            foreach (var slot in _slots.OrderBy(s => s.LastUsed))
            {
                _store.Retain(slot.Tokens, slot.Cache);
            }
            _store.Flush();
        }
    }

    private void Loop()
    {
        while (WaitForWork())
        {
            try
            {
                DropCancelled();
                Admit();
                if (_slots.Any(s => s.Request is not null))
                {
                    Step();
                }
            }
            catch (Exception e)
            {
                // Nothing may kill the loop thread (that would end the process): fail what runs and go on.
                foreach (var slot in _slots.Where(s => s.Request is not null))
                {
                    slot.Tokens.Clear();
                    Fail(slot, e);
                }
            }
            Publish();
        }
    }

    /// <summary>Sleeps until there is a request to serve; false once disposed.</summary>
    private bool WaitForWork()
    {
        bool reset;
        lock (_lock)
        {
            while (!_disposed && _active == 0 && _queue.Count == 0 && !_resetRequested)
            {
                Monitor.Wait(_lock);
            }
            if (_disposed)
            {
                return false;
            }
            reset = _resetRequested;
            _resetRequested = false;
        }
        if (reset)
        {
            foreach (var slot in _slots.Where(s => s.Request is null))
            {
                slot.Tokens.Clear();
            }
            _store?.Clear();
        }
        return true;
    }

    private void DropCancelled()
    {
        foreach (var slot in _slots)
        {
            bool cancel;
            lock (_lock)
            {
                cancel = slot.Request is { CancelRequested: true };
            }
            if (cancel)
            {
                End(slot, sink => sink.Cancelled(), ref _cancelled);
            }
        }
    }

    /// <summary>Moves queued requests into idle slots, oldest first.</summary>
    private void Admit()
    {
        while (true)
        {
            SequenceRequest request;
            lock (_lock)
            {
                if (_queue.First is null || _active == _slots.Length)
                {
                    return;
                }
                request = _queue.First.Value;
                _queue.RemoveFirst();
            }
            SchedulerSlot slot;
            int reused;
            try
            {
                (slot, reused) = Place(request.Prompt);
            }
            catch (Exception e)
            {
                lock (_lock)
                {
                    request.Ended = true;
                    _failed++;
                }
                request.Sink.Failed(e);
                continue;
            }
            slot.Pending.AddRange(request.Prompt.AsSpan(reused));
            slot.Sampler = Sampler.Create(_model.VocabSize, request.Sampling);
            slot.Generated = 0;
            slot.StartedAt = Stopwatch.GetTimestamp();
            slot.LastUsed = ++_clock;
            lock (_lock)
            {
                slot.Request = request;
                _active++;
                _promptTokens += request.Prompt.Length;
                _cachedTokens += reused;
            }
            Call(slot, () => request.Sink.Started(reused));
        }
    }

    /// <summary>
    /// Chooses an idle slot for <paramref name="prompt"/> and fills it with the longest reusable prefix: the slot's
    /// own tokens, or a kept prefix copied in when that is longer. Whatever a slot loses is kept first if worth it.
    /// At least the last prompt token is always left to evaluate, for fresh logits.
    /// </summary>
    private (SchedulerSlot Slot, int Reused) Place(int[] prompt)
    {
        int limit = prompt.Length - 1;
        SchedulerSlot? best = null;
        int bestLength = -1;
        foreach (var slot in _slots.Where(s => s.Request is null).OrderBy(s => s.LastUsed))
        {
            int length = PrefixStore.CommonPrefix(slot.Tokens, prompt, limit);
            if (length > bestLength)
            {
                (best, bestLength) = (slot, length);
            }
        }
        var chosen = best!;
        var (entry, entryLength) = _store?.Find(prompt, limit) ?? (null, 0);
        if (entry is not null && entryLength > bestLength)
        {
            // The kept prefix wins: overwrite the least recently used idle slot with it.
            chosen = _slots.Where(s => s.Request is null).MinBy(s => s.LastUsed)!;
            Keep(chosen, 0);
            chosen.Tokens.Clear();
            entry.Cache.CopyPositionsTo(0, chosen.Cache, 0, entryLength);
            chosen.Tokens.AddRange(entry.Tokens.AsSpan(0, entryLength));
            return (chosen, entryLength);
        }
        Keep(chosen, bestLength);
        chosen.Tokens.RemoveRange(bestLength, chosen.Tokens.Count - bestLength);
        return (chosen, bestLength);
    }

    /// <summary>Keeps the slot's contents as a prefix when at least <see cref="EngineOptions.MinPrefixTokens"/> past <paramref name="kept"/> are about to be overwritten.</summary>
    private void Keep(SchedulerSlot slot, int kept)
    {
        if (_store is not null && slot.Tokens.Count - kept >= _minPrefixTokens)
        {
            _store.Retain(slot.Tokens, slot.Cache);
        }
    }

    /// <summary>One batched forward pass over every busy slot, then a sampled token for each slot that finished its pending tokens.</summary>
    private void Step()
    {
        _batch.Clear();
        _batchTokens.Clear();
        _stepped.Clear();
        int budget = _batchSize;
        for (int k = 0; k < _slots.Length; k++)
        {
            // Start at a rotating slot so joining prompts share the per-step budget fairly.
            var slot = _slots[(k + _roundRobin) % _slots.Length];
            if (slot.Request is null || slot.PendingLeft == 0)
            {
                continue;
            }
            int left = slot.PendingLeft;
            int count = left == 1 ? 1 : Math.Min(left, budget);
            if (count <= 0)
            {
                continue;
            }
            if (left > 1)
            {
                budget -= count;
            }
            if (slot.Tokens.Count + count > _contextLength)
            {
                Finish(slot, FinishReason.ContextFull);
                continue;
            }
            _batch.Add(new BatchSequence(slot.Cache, slot.Tokens.Count, count, count == left ? LogitRows.Last : LogitRows.None));
            _batchTokens.AddRange(CollectionsMarshal.AsSpan(slot.Pending).Slice(slot.PendingDone, count));
            _stepped.Add(slot);
        }
        _roundRobin++;
        if (_batch.Count == 0)
        {
            return;
        }
        try
        {
            _model.Forward(_context, CollectionsMarshal.AsSpan(_batchTokens), CollectionsMarshal.AsSpan(_batch), _logits);
        }
        catch (Exception e)
        {
            // A failed pass leaves every stepped cache in doubt: fail their requests and forget their contents.
            foreach (var slot in _stepped)
            {
                slot.Tokens.Clear();
                Fail(slot, e);
            }
            return;
        }
        int row = 0;
        for (int k = 0; k < _stepped.Count; k++)
        {
            var slot = _stepped[k];
            int count = _batch[k].TokenCount;
            slot.Tokens.AddRange(CollectionsMarshal.AsSpan(slot.Pending).Slice(slot.PendingDone, count));
            slot.PendingDone += count;
            if (_batch[k].Logits == LogitRows.Last)
            {
                Sample(slot, _logits.AsSpan(row++ * _model.VocabSize, _model.VocabSize));
            }
        }
    }

    private void Sample(SchedulerSlot slot, ReadOnlySpan<float> logits)
    {
        var request = slot.Request!;
        int token = slot.Sampler!.Sample(logits, slot.Tokens);
        var logprobs = request.Logprobs ? Logprobs(logits, token, request.TopLogprobs) : null;
        slot.Generated++;
        bool endOfGeneration = request.StopTokens.Contains(token);
        FinishReason? limit = slot.Generated >= request.MaxTokens ? FinishReason.Length
            : slot.Tokens.Count >= _contextLength ? FinishReason.ContextFull
            : null;
        lock (_lock)
        {
            _completionTokens++;
        }
        // Called directly, not through Call: a lambda here would capture slot and allocate on every token.
        TokenVerdict verdict;
        try
        {
            verdict = request.Sink.Token(token, logprobs, endOfGeneration, limit);
        }
        catch (Exception e)
        {
            Fail(slot, e);
            return;
        }
        FinishReason? finish = endOfGeneration ? FinishReason.StopToken : verdict.Finish ?? limit;
        if (finish is { } reason)
        {
            Finish(slot, reason);
            return;
        }
        slot.Pending.Clear();
        slot.PendingDone = 0;
        slot.Pending.Add(token);
        if (verdict.Inject is { } inject)
        {
            slot.Pending.AddRange(inject);
        }
    }

    private SampledLogprobs Logprobs(ReadOnlySpan<float> logits, int token, int top)
    {
        float normalizer = LogSoftmax.Normalizer(logits);
        var ids = _topIds.AsSpan(0, top);
        LogSoftmax.TopTokens(logits, ids);
        var values = new float[top];
        for (int i = 0; i < top; i++)
        {
            values[i] = logits[ids[i]] - normalizer;
        }
        return new SampledLogprobs(logits[token] - normalizer, ids.ToArray(), values);
    }

    /// <summary>Runs a sink callback; one that throws fails its request (the other requests go on).</summary>
    private bool Call(SchedulerSlot slot, Action callback)
    {
        try
        {
            callback();
            return true;
        }
        catch (Exception e)
        {
            Fail(slot, e);
            return false;
        }
    }

    /// <summary>Ends <paramref name="slot"/> with a failure (its closure is allocated only on this path).</summary>
    private void Fail(SchedulerSlot slot, Exception error) => End(slot, sink => sink.Failed(error), ref _failed);

    /// <summary>Ends <paramref name="slot"/> as finished for <paramref name="reason"/>.</summary>
    private void Finish(SchedulerSlot slot, FinishReason reason) => End(slot, sink => sink.Finished(reason, slot.Generated), ref _finished);

    private void End(SchedulerSlot slot, Action<ISequenceSink> final, ref long counter)
    {
        var request = slot.Request;
        if (request is null)
        {
            return;
        }
        double seconds = Stopwatch.GetElapsedTime(slot.StartedAt).TotalSeconds;
        slot.Release(++_clock);
        lock (_lock)
        {
            request.Ended = true;
            _active--;
            counter++;
            _secondsPerRequest = 0.8 * _secondsPerRequest + 0.2 * seconds;
        }
        Publish();
        try
        {
            final(request.Sink);
        }
        catch (Exception)
        {
            // The sink's own failure to take its last call must not stop the loop.
        }
    }

    /// <summary>Refreshes the counters that describe the slots.</summary>
    private void Publish()
    {
        long used = _slots.Where(s => s.Request is not null).Sum(s => (long)s.Tokens.Count);
        lock (_lock)
        {
            _kvUsed = used;
            (_retained, _retainedTokens) = _store is null ? (0, 0) : (_store.Count, _store.Tokens);
        }
    }
}
