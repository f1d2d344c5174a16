using DeepSharp.Compute;
using DeepSharp.Models;
using DeepSharp.Models.Blocks;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Models;

/// <summary>Routing decisions against FACTS.md §3.9 worked by hand in double precision.</summary>
public sealed class ExpertRouterTests : IDisposable
{
    private readonly NativeTensors _native = new();

    public void Dispose() => _native.Dispose();

    private ExpertRouter Router(MoeConfig moe, float[]? bias = null)
    {
        // The router matrix is not used by Select; any 8 × 4 F32 matrix will do.
        var gate = new WeightMatrix("ffn_gate_inp", GgmlType.F32, moe.ExpertCount, 4, _native.Zeroed(moe.ExpertCount * 4 * sizeof(float)));
        return new ExpertRouter(gate, bias, moe);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void SigmoidWithBiasGroupsNormalisationAndScale()
    {
        // 8 experts in 4 groups of 2; keep 2 groups, then 2 experts. Expert 6 has the single best biased score
        // (0.95 + 0.3), but group 3's top-two sum (1.25 + 0.2) is beaten by groups 0 (0.9 + 0.85) and 1 (0.88 + 0.8),
        // so it is masked; experts 0 and 2 win. The bias must not enter the weights.
        float[] logits = [2.2f, 1.7f, 2.0f, 1.4f, -1f, -2f, 2.9f, -1.4f];
        float[] bias = [0, 0, 0, 0, 0, 0, 0.3f, 0];
        var moe = new MoeConfig(8, 2, 1, 16, 0, ExpertGating.Sigmoid, NormalizeTopK: true, WeightsScale: 2.5f, GroupCount: 4, GroupsUsed: 2);
        var router = Router(moe, bias);
        var experts = new int[2];
        var weights = new float[2];
        router.Select(logits, experts, weights);

        var scores = logits.Select(l => Sigmoid(l)).ToArray();
        var biased = scores.Select((s, i) => s + bias[i]).ToArray();
        var groupScores = Enumerable.Range(0, 4).Select(g => biased.Skip(2 * g).Take(2).OrderDescending().Take(2).Sum()).ToArray();
        var keptGroups = Enumerable.Range(0, 4).OrderByDescending(g => groupScores[g]).Take(2).ToHashSet();
        var expected = Enumerable.Range(0, 8).Where(e => keptGroups.Contains(e / 2)).OrderByDescending(e => biased[e]).Take(2).ToArray();
        Assert.Equal([0, 2], expected); // the case is built to exercise the group mask
        Assert.Equal(expected, experts);
        double sum = expected.Sum(e => scores[e]);
        Assert.Equal(expected.Select(e => scores[e] / sum * 2.5), weights.Select(w => (double)w), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void SoftmaxWithoutNormalisationKeepsTheProbabilities()
    {
        float[] logits = [0.1f, -0.3f, 1.2f, 0.4f, 0.9f, -2f, 0f, 0.5f];
        var moe = new MoeConfig(8, 3, 2, 16, 1, ExpertGating.Softmax, NormalizeTopK: false, WeightsScale: 1, GroupCount: 1, GroupsUsed: 1);
        var experts = new int[3];
        var weights = new float[3];
        Router(moe).Select(logits, experts, weights);
        double z = logits.Sum(l => Math.Exp(l));
        var probabilities = logits.Select(l => Math.Exp(l) / z).ToArray();
        Assert.Equal([2, 4, 7], experts);
        Assert.Equal(experts.Select(e => probabilities[e]), weights.Select(w => (double)w), (a, b) => Math.Abs(a - b) < 1e-7);
    }

    [Fact]
    public void ATinyWeightSumIsClampedBeforeNormalising()
    {
        // Sigmoid scores near e^-20 sum to far less than 2^-14, so llama.cpp divides by 2^-14 instead.
        float[] logits = [-20f, -21f, -22f, -23f, -24f, -25f, -26f, -27f];
        var moe = new MoeConfig(8, 2, 0, 16, 0, ExpertGating.Sigmoid, NormalizeTopK: true, WeightsScale: 1, GroupCount: 1, GroupsUsed: 1);
        var experts = new int[2];
        var weights = new float[2];
        Router(moe).Select(logits, experts, weights);
        Assert.Equal([0, 1], experts);
        Assert.Equal(Sigmoid(-20) / Math.Pow(2, -14), weights[0], 1e-10);
        Assert.Equal(Sigmoid(-21) / Math.Pow(2, -14), weights[1], 1e-10);
    }

    [Theory]
    [InlineData(3, 1, 2)]
    [InlineData(4, 5, 2)]
    [InlineData(4, 1, 3)]
    public void ImpossibleGroupLayoutsAreRejected(int groups, int groupsUsed, int perToken)
    {
        var moe = new MoeConfig(8, perToken, 0, 16, 0, ExpertGating.Sigmoid, true, 1, groups, groupsUsed);
        var error = Assert.Throws<InvalidDataException>(() => Router(moe));
        Assert.Contains("group", error.Message);
    }
}
