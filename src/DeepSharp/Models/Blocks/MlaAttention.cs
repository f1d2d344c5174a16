using System.Numerics;
using DeepSharp.Compute;
using static DeepSharp.Models.Blocks.WeightShapes;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// Multi-head Latent Attention (DeepSeek-V2/V3, FACTS.md §3.8). Queries come from the model width directly
/// (V2-Lite) or through a normalised low-rank bottleneck (V3). Keys and values share one compressed latent per
/// token plus one rotated key part shared by all heads; only these are cached: one plane of
/// [latent | rope key] per token, which is what llama.cpp's latent cache holds too.
/// <para>
/// Two evaluation forms, equal up to rounding. <b>Absorbed</b>: each head's query absorbs the key up-projection so
/// scores are taken against the cached latents directly (MQA with a single shared head), and the value
/// up-projection is applied to the attention-weighted latent afterwards. <b>Expanded</b>: every visible latent is
/// decompressed into per-head keys and values and attention runs as plain multi-head attention; cheaper for long
/// prompts since its per-pair cost is heads × (key + value head) rather than heads × (2 latent + rope).
/// </para>
/// </summary>
public sealed class MlaAttention : IAttention
{
    private readonly MlaWeights _w;
    private readonly WeightMatrix[] _inputProjections;
    private readonly Rope _rope;
    private readonly MlaForm _form;
    private readonly int _heads;
    private readonly int _nope;
    private readonly int _ropeDim;
    private readonly int _latent;
    private readonly int _value;
    private readonly int _qkHead;
    private readonly float _epsilon;
    private readonly float _scale;

    /// <summary>Binds the block and checks every weight's shape against <paramref name="mla"/> and <paramref name="heads"/>.</summary>
    /// <param name="weights">The tensors.</param>
    /// <param name="mla">Latent, nope, rope and value widths.</param>
    /// <param name="heads">Query heads.</param>
    /// <param name="rmsEpsilon">Epsilon of the q_a and kv_a norms.</param>
    /// <param name="rope">RoPE over <see cref="MlaConfig.RopeHeadDim"/> dimensions.</param>
    /// <param name="softmaxScale">Scale of the scores (DeepSeek's YaRN mscale rule, <see cref="YarnScaling.MlaSoftmaxScale"/>).</param>
    /// <param name="form">Which evaluation form to use.</param>
    public MlaAttention(MlaWeights weights, MlaConfig mla, int heads, float rmsEpsilon, Rope rope, float softmaxScale, MlaForm form = MlaForm.Auto)
    {
        _heads = heads;
        _nope = mla.NopeHeadDim;
        _ropeDim = mla.RopeHeadDim;
        _latent = mla.KvLoraRank;
        _value = mla.ValueHeadDim;
        _qkHead = mla.QueryKeyHeadDim;
        int width = weights.KvA.Columns;
        if (weights.Query is { } q)
        {
            Expect(q, heads * _qkHead, width);
        }
        else if (weights is { QueryA: { } qa, QueryB: { } qb, QueryANorm: { } qaNorm })
        {
            Expect(qa, mla.QLoraRank, width);
            Expect(qb, heads * _qkHead, mla.QLoraRank);
            ExpectLength(qaNorm, mla.QLoraRank, "attn_q_a_norm");
        }
        else
        {
            throw new InvalidDataException("MLA needs either attn_q or attn_q_a, attn_q_a_norm and attn_q_b");
        }
        Expect(weights.KvA, _latent + _ropeDim, width);
        ExpectLength(weights.KvANorm, _latent, "attn_kv_a_norm");
        if (weights.KeyUp.Count != heads || weights.ValueUp.Count != heads)
        {
            throw new InvalidDataException($"MLA has {heads} heads but {weights.KeyUp.Count} key and {weights.ValueUp.Count} value up-projections");
        }
        foreach (var k in weights.KeyUp)
        {
            if (k.NopeDim != _nope || k.LatentDim != _latent)
            {
                throw new InvalidDataException($"a key up-projection maps a latent of {k.LatentDim} to {k.NopeDim}, expected {_latent} to {_nope}");
            }
        }
        foreach (var v in weights.ValueUp)
        {
            Expect(v, _value, _latent);
        }
        Expect(weights.Output, width, heads * _value);
        if (rope.Dimensions != _ropeDim)
        {
            throw new ArgumentException($"RoPE over {rope.Dimensions} dimensions, but the MLA rope part is {_ropeDim} wide");
        }
        _w = weights;
        _inputProjections = [weights.Query ?? weights.QueryA!, weights.KvA];
        _rope = rope;
        _form = form;
        _epsilon = rmsEpsilon;
        _scale = softmaxScale;
        CachePlaneWidths = [_latent + _ropeDim];
    }

    /// <inheritdoc />
    public IReadOnlyList<int> CachePlaneWidths { get; }

    /// <inheritdoc />
    public void Forward(ForwardContext context, int layer, ReadOnlySpan<float> input, ReadOnlySpan<BatchSequence> sequences, Span<float> output)
    {
        var ws = context.Workspace;
        int tokens = BatchSequence.CountTokens(sequences);
        int qWidth = _heads * _qkHead, kvWidth = _latent + _ropeDim;
        // The query (or its compression) and the compressed key-value both read the block's input: one run for both.
        int queryIn = _inputProjections[0].Rows;
        var projected = ws.Get("mla.q_kv", tokens * (queryIn + kvWidth));
        context.MatMulShared(_inputProjections, input, tokens, projected);
        var kv = projected.Slice(tokens * queryIn, tokens * kvWidth);
        Span<float> q;
        if (_w.Query is not null)
        {
            q = projected[..(tokens * qWidth)];
        }
        else
        {
            var compressed = projected[..(tokens * queryIn)];
            RmsNorm.ApplyRows(compressed, queryIn, _w.QueryANorm!, _epsilon);
            q = ws.Get("mla.q", tokens * qWidth);
            context.MatMul(_w.QueryB!, compressed, tokens, q);
        }
        int first = 0;
        bool anyAbsorbed = false;
        foreach (var s in sequences)
        {
            var plane = s.Cache.Layer(layer)[0];
            for (int t = first; t < first + s.TokenCount; t++)
            {
                int position = s.StartPosition + t - first;
                _rope.Apply(q.Slice(t * qWidth, qWidth), _heads, _qkHead, _nope, position);
                var row = kv.Slice(t * kvWidth, kvWidth);
                _rope.Apply(row, 1, kvWidth, _latent, position);
                var latent = row[.._latent];
                RmsNorm.Apply(latent, _w.KvANorm, _epsilon, latent);
                plane.Write(position, row);
            }
            anyAbsorbed |= !UseExpanded(s.TokenCount, s.StartPosition);
            first += s.TokenCount;
        }
        context.Tap(layer, "kv_cmpr_pe", tokens, kv);
        var attended = ws.Get("mla.attended", tokens * _heads * _value);
        // The absorbed form's up-projections are weight products: they run once over the rows of every sequence.
        var queries = anyAbsorbed ? AbsorbQueries(context, q, tokens) : default;
        var weighted = anyAbsorbed ? ws.Get("mla.weighted_latent", tokens * _heads * _latent) : default;
        first = 0;
        foreach (var s in sequences)
        {
            var plane = s.Cache.Layer(layer)[0];
            if (UseExpanded(s.TokenCount, s.StartPosition))
            {
                Expanded(context, q.Slice(first * qWidth, s.TokenCount * qWidth), s.TokenCount, s.StartPosition, plane, attended.Slice(first * _heads * _value, s.TokenCount * _heads * _value));
            }
            else
            {
                // One shared KV head: the keys are whole cache rows, the values their latent part. The score buffer
                // grows geometrically so decoding, which adds a position per token, does not reallocate it each time.
                int queryWidth = _latent + _ropeDim;
                var scores = ws.Get("mla.scores", _heads * (int)Math.Max(256, BitOperations.RoundUpToPowerOf2((uint)(s.StartPosition + s.TokenCount))));
                LatentAttention.Run(context.Pool, queries.Slice(first * _heads * queryWidth, s.TokenCount * _heads * queryWidth), s.TokenCount, s.StartPosition, _heads, queryWidth, _latent, _scale,
                    plane, scores, weighted.Slice(first * _heads * _latent, s.TokenCount * _heads * _latent));
            }
            first += s.TokenCount;
        }
        if (anyAbsorbed)
        {
            UpProjectValues(context, weighted, sequences, attended);
        }
        context.Tap(layer, "kqv_out", tokens, attended);
        context.MatMul(_w.Output, attended, tokens, output);
    }

    /// <summary>The form for a sequence's tokens (see <see cref="MlaForm.Auto"/>); the cost per pair is FACTS.md §3.8's.</summary>
    private bool UseExpanded(int tokens, int startPosition)
    {
        if (_form != MlaForm.Auto)
        {
            return _form == MlaForm.Expanded;
        }
        if (tokens == 1 || _w.KeyUp[0].StoredTransposed)
        {
            return false;
        }
        long pairs = (long)tokens * startPosition + (long)tokens * (tokens + 1) / 2;
        long upProjections = (long)_heads * (_nope + _value) * _latent;
        long absorbed = tokens * upProjections + pairs * _heads * (2L * _latent + _ropeDim);
        long expanded = (startPosition + tokens) * upProjections + pairs * _heads * (_qkHead + _value);
        return expanded < absorbed;
    }

    /// <summary>Absorbed queries [token, head, latent | rope]: q_abs[h] = W_UK[h]ᵀ·q_nope[h], next to the head's rope part.</summary>
    private Span<float> AbsorbQueries(ForwardContext context, Span<float> q, int tokens)
    {
        var ws = context.Workspace;
        int qWidth = _heads * _qkHead, queryWidth = _latent + _ropeDim;
        var queries = ws.Get("mla.absorbed_q", tokens * _heads * queryWidth);
        var nope = ws.Get("mla.nope", tokens * _nope);
        var latent = ws.Get("mla.latent", tokens * _latent);
        for (int h = 0; h < _heads; h++)
        {
            for (int t = 0; t < tokens; t++)
            {
                q.Slice(t * qWidth + h * _qkHead, _nope).CopyTo(nope.Slice(t * _nope, _nope));
            }
            _w.KeyUp[h].Absorb(context, nope, tokens, latent);
            for (int t = 0; t < tokens; t++)
            {
                var query = queries.Slice((t * _heads + h) * queryWidth, queryWidth);
                latent.Slice(t * _latent, _latent).CopyTo(query);
                q.Slice(t * qWidth + h * _qkHead + _nope, _ropeDim).CopyTo(query[_latent..]);
            }
        }
        return queries;
    }

    /// <summary>o[h] = W_UV[h]·(attention-weighted latent of head h), written for the rows of the absorbed-form sequences.</summary>
    private void UpProjectValues(ForwardContext context, Span<float> weighted, ReadOnlySpan<BatchSequence> sequences, Span<float> attended)
    {
        var ws = context.Workspace;
        int tokens = BatchSequence.CountTokens(sequences);
        var latent = ws.Get("mla.latent", tokens * _latent);
        var value = ws.Get("mla.value", tokens * _value);
        for (int h = 0; h < _heads; h++)
        {
            for (int t = 0; t < tokens; t++)
            {
                weighted.Slice((t * _heads + h) * _latent, _latent).CopyTo(latent.Slice(t * _latent, _latent));
            }
            context.MatMul(_w.ValueUp[h], latent, tokens, value);
            int first = 0;
            foreach (var s in sequences)
            {
                if (!UseExpanded(s.TokenCount, s.StartPosition))
                {
                    for (int t = first; t < first + s.TokenCount; t++)
                    {
                        value.Slice(t * _value, _value).CopyTo(attended.Slice((t * _heads + h) * _value, _value));
                    }
                }
                first += s.TokenCount;
            }
        }
    }

    /// <summary>Decompresses every visible latent into per-head keys [W_UK·c ; k_pe] and values W_UV·c, then runs MHA.</summary>
    private void Expanded(ForwardContext context, Span<float> q, int tokens, int startPosition, KvCachePlane cache, Span<float> attended)
    {
        var ws = context.Workspace;
        int visible = startPosition + tokens;
        int keyWidth = _heads * _qkHead, valueWidth = _heads * _value;
        var latents = ws.Get("mla.latents", visible * _latent);
        var ropeKeys = ws.Get("mla.rope_keys", visible * _ropeDim);
        for (int p = 0; p < visible; p++)
        {
            cache.Read(p, 0, latents.Slice(p * _latent, _latent));
            cache.Read(p, _latent, ropeKeys.Slice(p * _ropeDim, _ropeDim));
        }
        var keys = ws.Get("mla.keys", visible * keyWidth);
        var values = ws.Get("mla.values", visible * valueWidth);
        var nope = ws.Get("mla.key_nope", visible * _nope);
        var value = ws.Get("mla.value_rows", visible * _value);
        for (int h = 0; h < _heads; h++)
        {
            _w.KeyUp[h].Expand(context, latents, visible, nope);
            context.MatMul(_w.ValueUp[h], latents, visible, value);
            for (int p = 0; p < visible; p++)
            {
                var key = keys.Slice(p * keyWidth + h * _qkHead, _qkHead);
                nope.Slice(p * _nope, _nope).CopyTo(key);
                ropeKeys.Slice(p * _ropeDim, _ropeDim).CopyTo(key[_nope..]);
                value.Slice(p * _value, _value).CopyTo(values.Slice(p * valueWidth + h * _value, _value));
            }
        }
        var keyPlane = ws.Plane("mla.key_plane", visible, keyWidth);
        var valuePlane = ws.Plane("mla.value_plane", visible, valueWidth);
        for (int p = 0; p < visible; p++)
        {
            keyPlane.Write(p, keys.Slice(p * keyWidth, keyWidth));
            valuePlane.Write(p, values.Slice(p * valueWidth, valueWidth));
        }
        CausalAttention.Run(context.Pool, q, tokens, startPosition, _heads, _heads, _qkHead, _value, _scale, keyPlane, valuePlane, attended);
    }
}
