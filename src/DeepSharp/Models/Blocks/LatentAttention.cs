using System.Numerics.Tensors;
using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// Attention of many query heads over one shared cached head: MLA's absorbed form, where every head scores the same
/// cached rows [latent | rope key] and sums the same latents. Each cached row is read (and widened from F16) once
/// per token for the scores of all heads and once for their weighted sums, instead of once per head as
/// <see cref="CausalAttention"/> with one KV head would. The arithmetic is the same (the same <see cref="AttentionRows"/>
/// dot products, softmax and F16 roundings in the same order), so the results are identical.
/// </summary>
internal static unsafe class LatentAttention
{
    private const long MinWorkPerChunk = 1 << 15;
    private const int ColumnsPerChunk = 64;
    private const int RowBlock = 32; // cached rows read per step

    [ThreadStatic]
    private static ScoreJob? t_scoreJob;

    [ThreadStatic]
    private static ValueJob? t_valueJob;

    [ThreadStatic]
    private static float[]? t_row;

    /// <summary>
    /// For each of <paramref name="tokens"/> tokens at positions <paramref name="startPosition"/>.., and each of
    /// <paramref name="heads"/> query rows of <paramref name="keyWidth"/> values (rounded to F16 in place when the cache
    /// is F16): softmax over the visible positions of scale · q·row, then the weighted sum of the rows' first
    /// <paramref name="valueWidth"/> values into <paramref name="output"/> [token, head, valueWidth].
    /// <paramref name="scores"/> needs heads × (start + tokens) values.
    /// </summary>
    public static void Run(
        ComputePool pool, Span<float> queries, int tokens, int startPosition, int heads, int keyWidth, int valueWidth, float scale,
        KvCachePlane cache, Span<float> scores, Span<float> output)
    {
        bool half = cache.Type == KvCacheType.F16;
        if (half)
        {
            CausalAttention.RoundToHalf(queries, queries);
        }
        output.Clear();
        var scoreJob = t_scoreJob ??= new ScoreJob();
        var valueJob = t_valueJob ??= new ValueJob();
        fixed (float* q = queries)
        fixed (float* s = scores)
        fixed (float* o = output)
        {
            try
            {
                for (int t = 0; t < tokens; t++)
                {
                    int visible = startPosition + t + 1;
                    int chunks = (int)Math.Clamp((long)visible * heads * keyWidth / MinWorkPerChunk, 1, pool.ThreadCount * 4);
                    scoreJob.Set(cache, q + (long)t * heads * keyWidth, s, heads, keyWidth, visible, scale, chunks);
                    pool.Run(scoreJob, chunks);
                    for (int h = 0; h < heads; h++)
                    {
                        var weights = new Span<float>(s + (long)h * visible, visible);
                        AttentionRows.Softmax(weights);
                        if (half)
                        {
                            CausalAttention.RoundToHalf(weights, weights);
                        }
                    }
                    valueJob.Set(cache, s, o + (long)t * heads * valueWidth, heads, valueWidth, visible);
                    pool.Run(valueJob, (valueWidth + ColumnsPerChunk - 1) / ColumnsPerChunk);
                }
            }
            finally
            {
                scoreJob.Clear();
                valueJob.Clear();
            }
        }
    }

    private static Span<float> Row(int length)
    {
        if (t_row is null || t_row.Length < length)
        {
            t_row = new float[length];
        }
        return t_row.AsSpan(0, length);
    }

    /// <summary>Scores of every head for a range of positions: each row is read once.</summary>
    private sealed class ScoreJob : IChunkJob
    {
        private KvCachePlane? _cache;
        private float* _q;
        private float* _scores;
        private int _heads, _keyWidth, _visible, _chunks;
        private float _scale;

        public void Set(KvCachePlane cache, float* q, float* scores, int heads, int keyWidth, int visible, float scale, int chunks)
        {
            _cache = cache;
            _q = q;
            _scores = scores;
            (_heads, _keyWidth, _visible, _scale, _chunks) = (heads, keyWidth, visible, scale, chunks);
        }

        public void Clear()
        {
            _cache = null;
            _q = _scores = null;
        }

        public void Execute(int chunk)
        {
            int first = (int)((long)_visible * chunk / _chunks), end = (int)((long)_visible * (chunk + 1) / _chunks);
            var cache = _cache!;
            var scratch = Row(RowBlock * cache.Width);
            for (int p0 = first; p0 < end; p0 += RowBlock)
            {
                int n = Math.Min(RowBlock, end - p0);
                var rows = cache.ReadRows(p0, n, 0, cache.Width, scratch, out int stride);
                for (int h = 0; h < _heads; h++)
                {
                    AttentionRows.Scores(new ReadOnlySpan<float>(_q + (long)h * _keyWidth, _keyWidth), rows, stride, n, _scale,
                        new Span<float>(_scores + (long)h * _visible + p0, n));
                }
            }
        }
    }

    /// <summary>Weighted sums of every head for a range of value columns: each row's slice is read once.</summary>
    private sealed class ValueJob : IChunkJob
    {
        private KvCachePlane? _cache;
        private float* _weights;
        private float* _output;
        private int _heads, _valueWidth, _visible;

        public void Set(KvCachePlane cache, float* weights, float* output, int heads, int valueWidth, int visible)
        {
            _cache = cache;
            _weights = weights;
            _output = output;
            (_heads, _valueWidth, _visible) = (heads, valueWidth, visible);
        }

        public void Clear()
        {
            _cache = null;
            _weights = _output = null;
        }

        public void Execute(int chunk)
        {
            int first = chunk * ColumnsPerChunk, width = Math.Min(ColumnsPerChunk, _valueWidth - first);
            var scratch = Row(RowBlock * width);
            for (int p0 = 0; p0 < _visible; p0 += RowBlock)
            {
                int n = Math.Min(RowBlock, _visible - p0);
                var rows = _cache!.ReadRows(p0, n, first, width, scratch, out int stride);
                for (int h = 0; h < _heads; h++)
                {
                    AttentionRows.AddWeighted(new ReadOnlySpan<float>(_weights + (long)h * _visible + p0, n), rows, stride, n,
                        new Span<float>(_output + (long)h * _valueWidth + first, width));
                }
            }
        }
    }
}
