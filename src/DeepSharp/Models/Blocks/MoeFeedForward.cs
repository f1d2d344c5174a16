using System.Numerics.Tensors;
using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// DeepSeekMoE feed-forward (FACTS.md §3.9): the router picks k routed experts per token, each a SwiGLU slab of the
/// stacked <c>*_exps</c> tensors, and their weighted outputs are summed (best expert first, as llama.cpp adds them);
/// the shared experts, one fused SwiGLU, are added on top. Only selected experts are computed: the tokens of a
/// batch are grouped by expert, so each chosen expert's weights are read once per batch.
/// </summary>
public sealed class MoeFeedForward : IFeedForward
{
    [ThreadStatic]
    private static WeightMatrix[]? t_slabs;

    private readonly ExpertRouter _router;
    private readonly IReadOnlyList<WeightMatrix> _gate;
    private readonly IReadOnlyList<WeightMatrix> _up;
    private readonly IReadOnlyList<WeightMatrix> _down;
    private readonly SwiGluFeedForward? _shared;
    private readonly int _width;
    private readonly int _hidden;

    /// <summary>Binds the router, the per-expert gate/up (width → hidden) and down (hidden → width) slabs and the optional shared experts.</summary>
    /// <exception cref="InvalidDataException">The expert count or a shape disagrees.</exception>
    public MoeFeedForward(ExpertRouter router, IReadOnlyList<WeightMatrix> gate, IReadOnlyList<WeightMatrix> up, IReadOnlyList<WeightMatrix> down, SwiGluFeedForward? shared)
    {
        int n = router.ExpertCount;
        if (gate.Count != n || up.Count != n || down.Count != n)
        {
            throw new InvalidDataException($"the router knows {n} experts but there are {gate.Count} gate, {up.Count} up and {down.Count} down slabs");
        }
        _hidden = gate[0].Rows;
        _width = gate[0].Columns;
        for (int e = 0; e < n; e++)
        {
            WeightShapes.Expect(gate[e], _hidden, _width);
            WeightShapes.Expect(up[e], _hidden, _width);
            WeightShapes.Expect(down[e], _width, _hidden);
        }
        _router = router;
        _gate = gate;
        _up = up;
        _down = down;
        _shared = shared;
    }

    /// <summary>The router.</summary>
    public ExpertRouter Router => _router;

    /// <summary>Bytes of one routed expert (gate, up and down slabs).</summary>
    public long ExpertBytes => _gate[0].Bytes + _up[0].Bytes + _down[0].Bytes;

    /// <inheritdoc />
    public void Forward(ForwardContext context, int layer, ReadOnlySpan<float> input, int tokens, Span<float> output)
    {
        var ws = context.Workspace;
        int k = _router.ExpertsPerToken, slots = tokens * k;
        var experts = ws.GetIntegers("moe.experts", slots);
        var weights = ws.Get("moe.weights", slots);
        _router.Route(context, layer, input, tokens, experts, weights);
        var results = ws.Get("moe.slot_outputs", slots * _width);
        if (tokens == 1)
        {
            RunChosenExperts(context, layer, input, experts, weights, results);
        }
        else
        {
            RunExpertBuckets(context, layer, input, tokens, experts, weights, results);
        }
        for (int t = 0; t < tokens; t++)
        {
            var sum = output.Slice(t * _width, _width);
            results.Slice(t * k * _width, _width).CopyTo(sum);
            for (int j = 1; j < k; j++)
            {
                TensorPrimitives.Add(sum, results.Slice((t * k + j) * _width, _width), sum);
            }
        }
        context.Tap(layer, "ffn_moe_out", tokens, output[..(tokens * _width)]);
        if (_shared is not null)
        {
            var shared = ws.Get("moe.shared", tokens * _width);
            _shared.Forward(context, layer, input, tokens, shared);
            TensorPrimitives.Add(output[..(tokens * _width)], shared, output[..(tokens * _width)]);
        }
    }

    /// <summary>
    /// One token: its experts' gate and up slabs in one pool run, then their down slabs in another, instead of three
    /// runs per expert; each run costs microseconds beyond its streaming, and a slab streams in tens of them.
    /// </summary>
    private void RunChosenExperts(ForwardContext context, int layer, ReadOnlySpan<float> input, ReadOnlySpan<int> experts, ReadOnlySpan<float> weights, Span<float> results)
    {
        int k = experts.Length;
        if (t_slabs is null || t_slabs.Length < 2 * k)
        {
            t_slabs = new WeightMatrix[2 * k];
        }
        var slabs = t_slabs.AsSpan(0, 2 * k);
        for (int j = 0; j < k; j++)
        {
            slabs[j] = _gate[experts[j]];
            slabs[k + j] = _up[experts[j]];
        }
        var gateUp = context.Workspace.Get("moe.gate_up", 2 * k * _hidden);
        context.MatMulShared(slabs, input[.._width], 1, gateUp);
        var gate = gateUp[..(k * _hidden)];
        Activations.SwiGlu(gate, gateUp[(k * _hidden)..], gate);
        for (int j = 0; j < k; j++)
        {
            slabs[j] = _down[experts[j]];
            context.Meter?.AddExpertSelection(layer, _router.ExpertCount, experts[j], 1);
        }
        context.MatVecEach(slabs[..k], gate, _hidden, results);
        for (int j = 0; j < k; j++)
        {
            TensorPrimitives.Multiply(results.Slice(j * _width, _width), weights[j], results.Slice(j * _width, _width));
        }
        slabs.Clear();
    }

    /// <summary>Several tokens: the (token, slot) pairs grouped by expert, so each chosen expert's slabs are read once.</summary>
    private void RunExpertBuckets(ForwardContext context, int layer, ReadOnlySpan<float> input, int tokens, ReadOnlySpan<int> experts, ReadOnlySpan<float> weights, Span<float> results)
    {
        var ws = context.Workspace;
        int k = _router.ExpertsPerToken, slots = tokens * k;
        // Bucket the (token, slot) pairs by expert, tokens in order within each bucket.
        int n = _router.ExpertCount;
        var starts = ws.GetIntegers("moe.bucket_starts", n + 1);
        var order = ws.GetIntegers("moe.bucket_order", slots);
        starts.Clear();
        foreach (int e in experts)
        {
            starts[e + 1]++;
        }
        for (int e = 0; e < n; e++)
        {
            starts[e + 1] += starts[e];
        }
        var fill = ws.GetIntegers("moe.bucket_fill", n);
        starts[..n].CopyTo(fill);
        for (int s = 0; s < slots; s++)
        {
            order[fill[experts[s]]++] = s;
        }

        var rows = ws.Get("moe.rows", tokens * _width);
        var gate = ws.Get("moe.gate", tokens * _hidden);
        var up = ws.Get("moe.up", tokens * _hidden);
        var down = ws.Get("moe.down", tokens * _width);
        for (int e = 0; e < n; e++)
        {
            int count = starts[e + 1] - starts[e];
            if (count == 0)
            {
                continue;
            }
            var bucket = order.Slice(starts[e], count);
            for (int i = 0; i < count; i++)
            {
                input.Slice(bucket[i] / k * _width, _width).CopyTo(rows.Slice(i * _width, _width));
            }
            context.MatMul(_gate[e], rows, count, gate);
            context.MatMul(_up[e], rows, count, up);
            Activations.SwiGlu(gate[..(count * _hidden)], up[..(count * _hidden)], gate[..(count * _hidden)]);
            context.MatMul(_down[e], gate, count, down);
            for (int i = 0; i < count; i++)
            {
                int slot = bucket[i];
                TensorPrimitives.Multiply(down.Slice(i * _width, _width), weights[slot], results.Slice(slot * _width, _width));
            }
            context.Meter?.AddExpertSelection(layer, n, e, count);
        }
    }
}
