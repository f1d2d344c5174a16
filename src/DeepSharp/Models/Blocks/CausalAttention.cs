using System.Numerics.Tensors;
using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// softmax(q·Kᵀ·scale)·V over cached keys and values, causally: the query of token t (at position start + t)
/// sees positions 0 .. start + t. Query head h reads KV head h / (heads / kvHeads). With an F16 cache the query and
/// the attention weights are rounded to F16 before they meet the cached F16 keys and values, which is what
/// llama.cpp's matrix products do, so logits agree more closely.
/// </summary>
/// <remarks>
/// The work is split into tiles of (KV head, slice of the query heads that read it, block of tokens). A tile reads
/// each cached key and value row once, widens it once, and uses it for every query of the tile, instead of once per
/// (token, head); the score rows of a tile are bounded (<see cref="TileScoreBytes"/>), so a long prompt never holds a
/// tokens × positions score matrix. Each query's scores, softmax and weighted sum are the same operations in the same
/// order as one query at a time, so results do not depend on the tiling. The tiles with the most positions go first,
/// which keeps the threads evenly loaded under the causal mask.
/// </remarks>
internal static unsafe class CausalAttention
{
    private const int TileScoreBytes = 256 << 10;
    private const int RowBlock = 64; // cached rows read per step

    [ThreadStatic]
    private static Job? t_job;

    [ThreadStatic]
    private static float[]? t_scores;

    [ThreadStatic]
    private static float[]? t_rows;

    [ThreadStatic]
    private static float[]? t_queries;

    public static void Run(
        ComputePool pool, ReadOnlySpan<float> queries, int tokens, int startPosition, int heads, int kvHeads, int keyLength, int valueLength,
        float scale, KvCachePlane keys, KvCachePlane values, Span<float> output)
    {
        output[..(tokens * heads * valueLength)].Clear();
        int group = heads / kvHeads;
        int visible = startPosition + tokens;
        // Token blocks whose score rows fit the budget; then as many head slices as keep every thread busy.
        int tokenBlock = (int)Math.Clamp(TileScoreBytes / ((long)sizeof(float) * group * visible), 1, 32);
        int blocks = (tokens + tokenBlock - 1) / tokenBlock;
        int slices = 1;
        while (slices < group && (long)kvHeads * slices * blocks < pool.ThreadCount)
        {
            slices++;
        }
        fixed (float* q = queries)
        fixed (float* o = output)
        {
            var job = t_job ??= new Job();
            job.Set(q, o, tokens, startPosition, heads, kvHeads, keyLength, valueLength, scale, keys, values, tokenBlock, blocks, slices);
            try
            {
                pool.Run(job, kvHeads * slices * blocks);
            }
            finally
            {
                job.Clear();
            }
        }
    }

    private static Span<float> Scratch(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            // Grow geometrically: the score rows gain one entry per decoded token.
            buffer = new float[Math.Max(length, Math.Max(256, (buffer?.Length ?? 0) * 2))];
        }
        return buffer.AsSpan(0, length);
    }

    private sealed class Job : IChunkJob
    {
        private float* _q;
        private float* _o;
        private int _tokens, _start, _heads, _kvHeads, _keyLength, _valueLength, _tokenBlock, _blocks, _slices;
        private float _scale;
        private KvCachePlane? _keys, _values;

        public void Set(
            float* q, float* o, int tokens, int start, int heads, int kvHeads, int keyLength, int valueLength, float scale,
            KvCachePlane keys, KvCachePlane values, int tokenBlock, int blocks, int slices)
        {
            _q = q;
            _o = o;
            (_tokens, _start, _heads, _kvHeads, _keyLength, _valueLength, _scale, _keys, _values) =
                (tokens, start, heads, kvHeads, keyLength, valueLength, scale, keys, values);
            (_tokenBlock, _blocks, _slices) = (tokenBlock, blocks, slices);
        }

        public void Clear()
        {
            _q = null;
            _o = null;
            _keys = _values = null;
        }

        public void Execute(int chunk)
        {
            // Chunk 0 is the last token block (the most positions): the long tiles start first.
            int block = _blocks - 1 - chunk / (_kvHeads * _slices);
            int kvHead = chunk / _slices % _kvHeads, slice = chunk % _slices;
            int group = _heads / _kvHeads;
            int h0 = kvHead * group + group * slice / _slices, h1 = kvHead * group + group * (slice + 1) / _slices;
            int t0 = block * _tokenBlock, t1 = Math.Min(_tokens, t0 + _tokenBlock);
            int nh = h1 - h0, nq = (t1 - t0) * nh, width = _start + t1;
            var keys = _keys!;
            var values = _values!;

            // Scratch is sized for the widest slice of the group, not this one's, so that a thread's buffers do not
            // depend on which chunks it happens to claim (decoding then never allocates once they have grown).
            int most = (t1 - t0) * ((group + _slices - 1) / _slices);

            // The tile's queries (rounded to F16 for an F16 cache), query i = (token t0 + i / nh, head h0 + i % nh).
            var queries = Scratch(ref t_queries, most * _keyLength)[..(nq * _keyLength)];
            for (int i = 0; i < nq; i++)
            {
                var source = new ReadOnlySpan<float>(_q + ((long)(t0 + i / nh) * _heads + h0 + i % nh) * _keyLength, _keyLength);
                var target = queries.Slice(i * _keyLength, _keyLength);
                if (keys.Type == KvCacheType.F16)
                {
                    RoundToHalf(source, target);
                }
                else
                {
                    source.CopyTo(target);
                }
            }

            var scores = Scratch(ref t_scores, most * width)[..(nq * width)];
            var rows = Scratch(ref t_rows, RowBlock * Math.Max(_keyLength, _valueLength));
            for (int p0 = 0; p0 < width; p0 += RowBlock)
            {
                int n = Math.Min(RowBlock, width - p0);
                var keyRows = keys.ReadRows(p0, n, kvHead * _keyLength, _keyLength, rows, out int stride);
                // Token t sees p when p ≤ start + t: query i sees rows p0 .. min(p0 + n, start + t + 1).
                for (int i = Math.Max(0, p0 - _start - t0) * nh; i < nq; i++)
                {
                    int seen = Math.Min(n, _start + t0 + i / nh + 1 - p0);
                    AttentionRows.Scores(queries.Slice(i * _keyLength, _keyLength), keyRows, stride, seen, _scale, scores.Slice(i * width + p0, seen));
                }
            }
            for (int i = 0; i < nq; i++)
            {
                var weights = scores.Slice(i * width, _start + t0 + i / nh + 1);
                AttentionRows.Softmax(weights);
                if (values.Type == KvCacheType.F16)
                {
                    RoundToHalf(weights, weights);
                }
            }
            for (int p0 = 0; p0 < width; p0 += RowBlock)
            {
                int n = Math.Min(RowBlock, width - p0);
                var valueRows = values.ReadRows(p0, n, kvHead * _valueLength, _valueLength, rows, out int stride);
                for (int i = Math.Max(0, p0 - _start - t0) * nh; i < nq; i++)
                {
                    int seen = Math.Min(n, _start + t0 + i / nh + 1 - p0);
                    var output = new Span<float>(_o + ((long)(t0 + i / nh) * _heads + h0 + i % nh) * _valueLength, _valueLength);
                    AttentionRows.AddWeighted(scores.Slice(i * width + p0, seen), valueRows, stride, seen, output);
                }
            }
        }
    }

    /// <summary>Rounds each value to the nearest F16 (as llama.cpp converts operands of products with an F16 cache).</summary>
    internal static void RoundToHalf(ReadOnlySpan<float> source, Span<float> destination)
    {
        Span<Half> halves = stackalloc Half[256];
        for (int start = 0; start < source.Length; start += halves.Length)
        {
            int n = Math.Min(halves.Length, source.Length - start);
            TensorPrimitives.ConvertToHalf(source.Slice(start, n), halves[..n]);
            TensorPrimitives.ConvertToSingle(halves[..n], destination.Slice(start, n));
        }
    }

    /// <summary>In-place softmax; the normaliser is summed in double, as ggml does.</summary>
    internal static void Softmax(Span<float> x)
    {
        float max = TensorPrimitives.Max(x);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float e = MathF.Exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        TensorPrimitives.Multiply(x, (float)(1 / sum), x);
    }
}
