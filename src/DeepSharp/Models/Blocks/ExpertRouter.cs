using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>
/// DeepSeekMoE routing (FACTS.md §3.9), in the order llama.cpp's <c>build_moe_ffn</c> computes it: router logits;
/// softmax (V2) or sigmoid (V3) scores; a selection bias that steers the choice but not the weights (V3); with
/// expert groups, only the groups whose two best selection scores sum highest stay eligible; the top-k experts
/// by selection score; their unbiased scores as weights, optionally renormalised (sum clamped to at least
/// 2⁻¹⁴) and scaled by the routed scaling factor.
/// </summary>
public sealed class ExpertRouter
{
    private const float MinWeightSum = 6.103515625e-5f; // smallest normal F16, as llama.cpp clamps
    private const int MaxStackExperts = 1024;

    private readonly WeightMatrix _gate;
    private readonly float[]? _selectionBias;
    private readonly MoeConfig _moe;
    private readonly int _groupSize;

    /// <summary>Binds the router matrix (experts × model width) and the optional selection bias (<c>exp_probs_b</c>).</summary>
    /// <exception cref="InvalidDataException">The shapes or the group layout do not fit <paramref name="moe"/>.</exception>
    public ExpertRouter(WeightMatrix gate, float[]? selectionBias, MoeConfig moe)
    {
        WeightShapes.Expect(gate, moe.ExpertCount, gate.Columns);
        WeightShapes.ExpectLength(selectionBias, moe.ExpertCount, "exp_probs_b");
        if (moe.GroupCount < 1 || moe.ExpertCount % moe.GroupCount != 0 || moe.GroupsUsed < 1 || moe.GroupsUsed > moe.GroupCount)
        {
            throw new InvalidDataException($"{moe.ExpertCount} experts cannot form {moe.GroupCount} groups of which {moe.GroupsUsed} are kept");
        }
        _groupSize = moe.ExpertCount / moe.GroupCount;
        if (moe.ExpertsPerToken < 1 || moe.ExpertsPerToken > moe.GroupsUsed * _groupSize)
        {
            throw new InvalidDataException($"{moe.ExpertsPerToken} experts per token do not fit {moe.GroupsUsed} groups of {_groupSize}");
        }
        _gate = gate;
        _selectionBias = selectionBias;
        _moe = moe;
    }

    /// <summary>Routed experts.</summary>
    public int ExpertCount => _moe.ExpertCount;

    /// <summary>Experts each token is sent to.</summary>
    public int ExpertsPerToken => _moe.ExpertsPerToken;

    /// <summary>
    /// Routes <paramref name="tokens"/> rows of <paramref name="input"/>: for token t, <paramref name="experts"/>[t·k + j]
    /// is its j-th expert (best first) and <paramref name="weights"/>[t·k + j] that expert's weight.
    /// </summary>
    public void Route(ForwardContext context, int layer, ReadOnlySpan<float> input, int tokens, Span<int> experts, Span<float> weights)
    {
        var logits = context.Workspace.Get("moe.router_logits", tokens * ExpertCount);
        context.MatMul(_gate, input, tokens, logits);
        context.Tap(layer, "ffn_moe_logits", tokens, logits);
        int k = ExpertsPerToken;
        for (int t = 0; t < tokens; t++)
        {
            Select(logits.Slice(t * ExpertCount, ExpertCount), experts.Slice(t * k, k), weights.Slice(t * k, k));
        }
    }

    /// <summary>The routing of one token from its router <paramref name="logits"/>.</summary>
    public void Select(ReadOnlySpan<float> logits, Span<int> experts, Span<float> weights)
    {
        int n = ExpertCount;
        if (logits.Length != n || experts.Length != ExpertsPerToken || weights.Length != ExpertsPerToken)
        {
            throw new ArgumentException($"routing needs {n} logits and room for {ExpertsPerToken} experts");
        }
        Span<float> scores = n <= MaxStackExperts ? stackalloc float[n] : new float[n];
        Span<float> selection = n <= MaxStackExperts ? stackalloc float[n] : new float[n];
        logits.CopyTo(scores);
        if (_moe.Gating == ExpertGating.Softmax)
        {
            CausalAttention.Softmax(scores);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                scores[i] = 1f / (1f + MathF.Exp(-scores[i]));
            }
        }
        scores.CopyTo(selection);
        if (_selectionBias is { } bias)
        {
            for (int i = 0; i < n; i++)
            {
                selection[i] += bias[i];
            }
        }
        if (_moe.GroupCount > 1)
        {
            KeepBestGroups(selection);
        }
        TopK(selection, experts);
        double sum = 0;
        for (int j = 0; j < experts.Length; j++)
        {
            weights[j] = scores[experts[j]];
            sum += weights[j];
        }
        if (_moe.NormalizeTopK)
        {
            float divisor = Math.Max((float)sum, MinWeightSum);
            for (int j = 0; j < weights.Length; j++)
            {
                weights[j] /= divisor;
            }
        }
        if (_moe.WeightsScale is not 0 and not 1)
        {
            for (int j = 0; j < weights.Length; j++)
            {
                weights[j] *= _moe.WeightsScale;
            }
        }
    }

    /// <summary>Scores each group by the sum of its two best selection scores and sets every other group's to −∞.</summary>
    private void KeepBestGroups(Span<float> selection)
    {
        int groups = _moe.GroupCount;
        Span<float> groupScores = stackalloc float[groups];
        for (int g = 0; g < groups; g++)
        {
            var members = selection.Slice(g * _groupSize, _groupSize);
            float best = float.NegativeInfinity, second = float.NegativeInfinity;
            foreach (float s in members)
            {
                if (s > best)
                {
                    (best, second) = (s, best);
                }
                else if (s > second)
                {
                    second = s;
                }
            }
            groupScores[g] = _groupSize == 1 ? best : best + second;
        }
        Span<int> kept = stackalloc int[_moe.GroupsUsed];
        TopK(groupScores, kept);
        for (int g = 0; g < groups; g++)
        {
            if (!kept.Contains(g))
            {
                selection.Slice(g * _groupSize, _groupSize).Fill(float.NegativeInfinity);
            }
        }
    }

    /// <summary>The indices of the <paramref name="best"/>.Length largest values, largest first; ties go to the lower index.</summary>
    private static void TopK(ReadOnlySpan<float> values, Span<int> best)
    {
        for (int j = 0; j < best.Length; j++)
        {
            int pick = -1;
            for (int i = 0; i < values.Length; i++)
            {
                if ((pick < 0 || values[i] > values[pick]) && !best[..j].Contains(i))
                {
                    pick = i;
                }
            }
            best[j] = pick;
        }
    }
}
