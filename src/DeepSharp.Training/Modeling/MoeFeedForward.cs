using DeepSharp.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>
/// DeepSeekMoE with sigmoid scores, a selection-only bias and a shared expert (FACTS.md §3.9). The bias is
/// not learned by gradient: after each optimizer step <see cref="UpdateBias"/> nudges it towards equal expert
/// load (DeepSeek-V3's auxiliary-loss-free balancing).
/// </summary>
public sealed class MoeFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly MoeConfig _moe;
    private readonly long[] _load;

    /// <summary>Creates the MoE block of one layer.</summary>
    public MoeFeedForward(ModelConfig config) : base(nameof(MoeFeedForward))
    {
        _moe = config.Moe ?? throw new ArgumentException("a MoE layer needs a MoE configuration", nameof(config));
        if (_moe.Gating != ExpertGating.Sigmoid || _moe.GroupCount != 1)
        {
            throw new ArgumentException("the trainer implements sigmoid gating without expert groups", nameof(config));
        }
        long d = config.EmbeddingLength, e = _moe.ExpertCount, f = _moe.ExpertFeedForwardLength;
        Router = nn.Parameter(empty(e, d));
        GateExperts = nn.Parameter(empty(e, f, d));
        UpExperts = nn.Parameter(empty(e, f, d));
        DownExperts = nn.Parameter(empty(e, d, f));
        SelectionBias = zeros(e);
        register_parameter("router", Router);
        register_parameter("gate_exps", GateExperts);
        register_parameter("up_exps", UpExperts);
        register_parameter("down_exps", DownExperts);
        register_buffer("exp_probs_b", SelectionBias);
        if (_moe.SharedExpertCount > 0)
        {
            Shared = new SwiGlu(d, _moe.SharedExpertCount * f);
            register_module("shexp", Shared);
        }
        _load = new long[e];
    }

    /// <summary>Router weights [experts, d] (GGUF <c>ffn_gate_inp</c>).</summary>
    public Parameter Router { get; }

    /// <summary>Expert gate projections [experts, ff, d] (<c>ffn_gate_exps</c>).</summary>
    public Parameter GateExperts { get; }

    /// <summary>Expert up projections [experts, ff, d] (<c>ffn_up_exps</c>).</summary>
    public Parameter UpExperts { get; }

    /// <summary>Expert down projections [experts, d, ff] (<c>ffn_down_exps</c>).</summary>
    public Parameter DownExperts { get; }

    /// <summary>Selection bias [experts] (<c>exp_probs_b.bias</c>); affects which experts run, never their weights.</summary>
    public Tensor SelectionBias { get; }

    /// <summary>The shared expert (<c>*_shexp</c>), or null.</summary>
    public SwiGlu? Shared { get; }

    /// <summary>Tokens routed to each expert since the last <see cref="UpdateBias"/>.</summary>
    public IReadOnlyList<long> Load => _load;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var shape = x.shape;
        long n = shape[0] * shape[1], d = shape[2];
        int k = _moe.ExpertsPerToken, e = _moe.ExpertCount;
        var u = x.reshape(n, d);
        var scores = sigmoid(u.matmul(Router.t()));
        Tensor chosen;
        using (no_grad())
        {
            chosen = (scores + SelectionBias).topk(k, dim: -1).indexes;
        }
        var weights = scores.gather(1, chosen);
        if (_moe.NormalizeTopK)
        {
            weights = weights / weights.sum(-1, keepdim: true).clamp_min(6.103515625e-5);
        }
        if (_moe.WeightsScale is not 0f and not 1f)
        {
            weights = weights * _moe.WeightsScale;
        }
        var flatExpert = chosen.flatten();
        var order = flatExpert.argsort();
        long[] counts = bincount(flatExpert, minlength: e).data<long>().ToArray();
        var tokenOf = order.div(k, rounding_mode: RoundingMode.floor);
        var weightOf = weights.flatten().index_select(0, order);
        var output = Shared?.forward(u) ?? zeros_like(u);
        long offset = 0;
        for (int i = 0; i < e; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }
            var tokens = tokenOf.narrow(0, offset, counts[i]);
            var xe = u.index_select(0, tokens);
            var h = nn.functional.silu(xe.matmul(GateExperts[i].t())) * xe.matmul(UpExperts[i].t());
            var ye = h.matmul(DownExperts[i].t()) * weightOf.narrow(0, offset, counts[i]).unsqueeze(-1);
            output = output.index_add(0, tokens, ye, 1.0);
            offset += counts[i];
            if (training)
            {
                _load[i] += counts[i];
            }
        }
        return output.reshape(shape);
    }

    /// <summary>Moves the selection bias by <paramref name="rate"/> up for under-loaded and down for over-loaded experts, then resets the load.</summary>
    public void UpdateBias(float rate)
    {
        double mean = _load.Average();
        if (mean > 0)
        {
            var step = _load.Select(l => l < mean ? rate : l > mean ? -rate : 0f).ToArray();
            using var delta = tensor(step);
            using (no_grad())
            {
                SelectionBias.add_(delta);
            }
        }
        Array.Clear(_load);
    }
}
