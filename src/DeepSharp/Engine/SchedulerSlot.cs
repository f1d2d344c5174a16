using DeepSharp.Compute;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Engine;

/// <summary>
/// One sequence slot of the scheduler: a KV cache, the tokens whose rows it holds (kept after a request ends, for
/// prefix reuse), and while serving a request, its sampler and the tokens still to evaluate. Loop thread only.
/// </summary>
internal sealed class SchedulerSlot(KvCache cache)
{
    public KvCache Cache { get; } = cache;

    /// <summary>The tokens at positions 0.. of <see cref="Cache"/>; the next evaluated token takes position Count.</summary>
    public List<int> Tokens { get; } = [];

    /// <summary>Tokens to evaluate next: the rest of the prompt, or the last sampled token (plus any injected ones).</summary>
    public List<int> Pending { get; } = [];

    /// <summary>How many of <see cref="Pending"/> are already evaluated.</summary>
    public int PendingDone { get; set; }

    public int PendingLeft => Pending.Count - PendingDone;

    public SequenceRequest? Request { get; set; }

    public Sampler? Sampler { get; set; }

    public int Generated { get; set; }

    public long StartedAt { get; set; }

    /// <summary>The scheduler's clock when the slot was last assigned or released.</summary>
    public long LastUsed { get; set; }

    /// <summary>Ends the slot's part in its request; the cached tokens stay for reuse.</summary>
    public void Release(long clock)
    {
        Request = null;
        Sampler = null;
        Pending.Clear();
        PendingDone = 0;
        LastUsed = clock;
    }
}
