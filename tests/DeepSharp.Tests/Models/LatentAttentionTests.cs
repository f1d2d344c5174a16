using DeepSharp.Compute;
using DeepSharp.Models.Blocks;

namespace DeepSharp.Tests.Models;

public sealed class LatentAttentionTests
{
    [Theory]
    [InlineData(KvCacheType.F32, 1, 0)]
    [InlineData(KvCacheType.F32, 5, 300)]
    [InlineData(KvCacheType.F16, 1, 700)]
    [InlineData(KvCacheType.F16, 3, 20)]
    public void EqualsCausalAttentionWithOneSharedHead(KvCacheType type, int tokens, int start)
    {
        // Reading each shared row once for all heads must not change a bit of what per-head attention computes.
        const int heads = 6, keyWidth = 80, valueWidth = 72;
        var random = new Random(tokens + start);
        float Next() => (float)(random.NextDouble() * 2 - 1);
        var cache = new KvCachePlane(start + tokens, keyWidth, type);
        for (int p = 0; p < start + tokens; p++)
        {
            cache.Write(p, Enumerable.Range(0, keyWidth).Select(_ => Next()).ToArray());
        }
        float[] queries = Enumerable.Range(0, tokens * heads * keyWidth).Select(_ => Next() * 3).ToArray();
        var expected = new float[tokens * heads * valueWidth];
        using var pool = new ComputePool(3);
        CausalAttention.Run(pool, queries, tokens, start, heads, 1, keyWidth, valueWidth, 0.3f, cache, cache, expected);
        var actual = new float[expected.Length];
        var scores = new float[heads * (start + tokens)];
        LatentAttention.Run(pool, queries.ToArray(), tokens, start, heads, keyWidth, valueWidth, 0.3f, cache, scores, actual);
        Assert.Equal(expected, actual);
        Assert.Contains(actual, v => v != 0);
    }
}
