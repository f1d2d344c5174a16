using System.Numerics.Tensors;
using DeepSharp.Compute;
using static DeepSharp.Models.Blocks.WeightShapes;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// Multi-head attention with grouped KV heads (MHA, GQA and MQA), optional q/k/v biases, optional per-head
/// q/k RMSNorm before RoPE, causal softmax with scale 1/√(key length). Caches keys and values of all KV heads.
/// </summary>
public sealed class GroupedQueryAttention : IAttention
{
    private readonly GqaWeights _w;
    private readonly WeightMatrix[] _queryKeyValue;
    private readonly Rope _rope;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _keyLength;
    private readonly int _valueLength;
    private readonly float _epsilon;
    private readonly float _scale;

    /// <summary>Binds the block to its weights and checks that their shapes agree with the head layout.</summary>
    public GroupedQueryAttention(GqaWeights weights, int heads, int kvHeads, int keyLength, int valueLength, float rmsEpsilon, Rope rope)
    {
        if (kvHeads <= 0 || heads % kvHeads != 0)
        {
            throw new ArgumentException($"{heads} query heads cannot share {kvHeads} KV heads");
        }
        int width = weights.Query.Columns;
        Expect(weights.Query, heads * keyLength, width);
        Expect(weights.Key, kvHeads * keyLength, width);
        Expect(weights.Value, kvHeads * valueLength, width);
        Expect(weights.Output, width, heads * valueLength);
        ExpectLength(weights.QueryBias, heads * keyLength, "attn_q.bias");
        ExpectLength(weights.KeyBias, kvHeads * keyLength, "attn_k.bias");
        ExpectLength(weights.ValueBias, kvHeads * valueLength, "attn_v.bias");
        ExpectLength(weights.QueryNorm, keyLength, "attn_q_norm");
        ExpectLength(weights.KeyNorm, keyLength, "attn_k_norm");
        if (rope.Dimensions > keyLength)
        {
            throw new ArgumentException($"RoPE over {rope.Dimensions} dimensions does not fit a key head of {keyLength}");
        }
        _w = weights;
        _queryKeyValue = [weights.Query, weights.Key, weights.Value];
        _rope = rope;
        _heads = heads;
        _kvHeads = kvHeads;
        _keyLength = keyLength;
        _valueLength = valueLength;
        _epsilon = rmsEpsilon;
        _scale = 1f / MathF.Sqrt(keyLength);
        CachePlaneWidths = [kvHeads * keyLength, kvHeads * valueLength];
    }

    /// <inheritdoc />
    public IReadOnlyList<int> CachePlaneWidths { get; }

    /// <inheritdoc />
    public void Forward(ForwardContext context, int layer, ReadOnlySpan<float> input, ReadOnlySpan<BatchSequence> sequences, Span<float> output)
    {
        var ws = context.Workspace;
        int tokens = BatchSequence.CountTokens(sequences);
        int qWidth = _heads * _keyLength, kWidth = _kvHeads * _keyLength, vWidth = _kvHeads * _valueLength;
        var qkv = ws.Get("attn.qkv", tokens * (qWidth + kWidth + vWidth));
        context.MatMulShared(_queryKeyValue, input, tokens, qkv);
        var q = qkv[..(tokens * qWidth)];
        var k = qkv.Slice(tokens * qWidth, tokens * kWidth);
        var v = qkv.Slice(tokens * (qWidth + kWidth), tokens * vWidth);
        AddBias(q, _w.QueryBias);
        AddBias(k, _w.KeyBias);
        AddBias(v, _w.ValueBias);
        if (_w.QueryNorm is { } qn)
        {
            RmsNorm.ApplyRows(q, _keyLength, qn, _epsilon);
        }
        if (_w.KeyNorm is { } kn)
        {
            RmsNorm.ApplyRows(k, _keyLength, kn, _epsilon);
        }
        var attended = ws.Get("attn.out", tokens * _heads * _valueLength);
        int first = 0;
        foreach (var s in sequences)
        {
            var cache = s.Cache.Layer(layer);
            for (int t = first; t < first + s.TokenCount; t++)
            {
                int position = s.StartPosition + t - first;
                _rope.Apply(q.Slice(t * qWidth, qWidth), _heads, _keyLength, position);
                _rope.Apply(k.Slice(t * kWidth, kWidth), _kvHeads, _keyLength, position);
                cache[0].Write(position, k.Slice(t * kWidth, kWidth));
                cache[1].Write(position, v.Slice(t * vWidth, vWidth));
            }
            CausalAttention.Run(context.Pool, q.Slice(first * qWidth, s.TokenCount * qWidth), s.TokenCount, s.StartPosition, _heads, _kvHeads, _keyLength, _valueLength, _scale,
                cache[0], cache[1], attended.Slice(first * _heads * _valueLength, s.TokenCount * _heads * _valueLength));
            first += s.TokenCount;
        }
        context.Tap(layer, "kqv_out", tokens, attended);
        context.MatMul(_w.Output, attended, tokens, output);
    }

    private static void AddBias(Span<float> rows, float[]? bias)
    {
        if (bias is null)
        {
            return;
        }
        for (int start = 0; start < rows.Length; start += bias.Length)
        {
            var row = rows.Slice(start, bias.Length);
            TensorPrimitives.Add(row, bias, row);
        }
    }
}
