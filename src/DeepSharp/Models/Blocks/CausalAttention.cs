using System.Numerics.Tensors;
using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// softmax(q·Kᵀ·scale)·V over cached keys and values, causally: the query of token t (at position start + t)
/// sees positions 0 .. start + t. Query head h reads KV head h / (heads / kvHeads). Split over (token, head)
/// pairs on the pool. With an F16 cache the query and the attention weights are rounded to F16 before they meet
/// the cached F16 keys and values, which is what llama.cpp's matrix products do, so logits agree more closely.
/// </summary>
internal static unsafe class CausalAttention
{
    [ThreadStatic]
    private static Job? t_job;

    [ThreadStatic]
    private static float[]? t_scores;

    [ThreadStatic]
    private static float[]? t_row;

    [ThreadStatic]
    private static float[]? t_query;

    public static void Run(
        ComputePool pool, ReadOnlySpan<float> queries, int tokens, int startPosition, int heads, int kvHeads, int keyLength, int valueLength,
        float scale, KvCachePlane keys, KvCachePlane values, Span<float> output)
    {
        output.Clear();
        fixed (float* q = queries)
        fixed (float* o = output)
        {
            var job = t_job ??= new Job();
            job.Set(q, o, tokens, startPosition, heads, kvHeads, keyLength, valueLength, scale, keys, values);
            try
            {
                pool.Run(job, tokens * heads);
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
            // Grow geometrically: the score row gains one entry per decoded token.
            buffer = new float[Math.Max(length, Math.Max(256, (buffer?.Length ?? 0) * 2))];
        }
        return buffer.AsSpan(0, length);
    }

    private sealed class Job : IChunkJob
    {
        private float* _q;
        private float* _o;
        private int _tokens, _start, _heads, _kvHeads, _keyLength, _valueLength;
        private float _scale;
        private KvCachePlane? _keys, _values;

        public void Set(float* q, float* o, int tokens, int start, int heads, int kvHeads, int keyLength, int valueLength, float scale, KvCachePlane keys, KvCachePlane values)
        {
            _q = q;
            _o = o;
            (_tokens, _start, _heads, _kvHeads, _keyLength, _valueLength, _scale, _keys, _values) =
                (tokens, start, heads, kvHeads, keyLength, valueLength, scale, keys, values);
        }

        public void Clear()
        {
            _q = null;
            _o = null;
            _keys = _values = null;
        }

        public void Execute(int chunk)
        {
            int t = chunk / _heads, h = chunk % _heads;
            int kvHead = h / (_heads / _kvHeads);
            int visible = _start + t + 1;
            ReadOnlySpan<float> query = new(_q + ((long)t * _heads + h) * _keyLength, _keyLength);
            if (_keys!.Type == KvCacheType.F16)
            {
                var rounded = Scratch(ref t_query, _keyLength);
                RoundToHalf(query, rounded);
                query = rounded;
            }
            var output = new Span<float>(_o + ((long)t * _heads + h) * _valueLength, _valueLength);
            var scores = Scratch(ref t_scores, visible);
            var row = Scratch(ref t_row, Math.Max(_keyLength, _valueLength));
            for (int p = 0; p < visible; p++)
            {
                scores[p] = _keys.Dot(p, kvHead * _keyLength, query, row) * _scale;
            }
            Softmax(scores);
            if (_values!.Type == KvCacheType.F16)
            {
                RoundToHalf(scores, scores);
            }
            for (int p = 0; p < visible; p++)
            {
                _values.AddScaled(p, kvHead * _valueLength, scores[p], output, row);
            }
        }
    }

    /// <summary>Rounds each value to the nearest F16 (as llama.cpp converts operands of products with an F16 cache).</summary>
    internal static void RoundToHalf(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)(Half)source[i];
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
