using DeepSharp.Compute;

namespace DeepSharp.Engine;

/// <summary>A kept token prefix and its KV rows (a cache exactly as long as the prefix); never written after creation.</summary>
internal sealed class PrefixEntry(int[] tokens, KvCache cache)
{
    public int[] Tokens { get; } = tokens;

    public KvCache Cache { get; } = cache;

    /// <summary>The store's clock when the entry was last kept or hit (least recently used goes first).</summary>
    public long LastUsed { get; set; }

    /// <summary>The file holding it, once written or when loaded from one.</summary>
    public string? FilePath { get; set; }
}
