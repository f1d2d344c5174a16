using DeepSharp.Compute;
using DeepSharp.Fixtures;
using DeepSharp.Inference;
using DeepSharp.Models;
using DeepSharp.Models.Blocks;

namespace DeepSharp.Tests.Models;

public sealed class DeepSeek2ModelTests
{
    private static readonly int[] s_prompt = Enumerable.Range(0, 24).Select(i => (i * 53 + 7) % 290).ToArray();

    private static float[][] Run(TransformerModel model, int batch, ForwardMeter? meter = null) =>
        new InferenceSession(model, new SessionOptions { BatchSize = batch, KvCacheType = KvCacheType.F32, Meter = meter }).EvaluateAll(s_prompt);

    private static float MaxDifference(float[][] a, float[][] b) =>
        a.Zip(b).Max(p => p.First.Zip(p.Second).Max(q => Math.Abs(q.First - q.Second)));

    [Theory]
    [InlineData(false, MlaKvLayout.Split)]
    [InlineData(false, MlaKvLayout.Merged)]
    [InlineData(true, MlaKvLayout.Split)]
    [InlineData(true, MlaKvLayout.Merged)]
    public void AbsorbedAndExpandedAttentionAgree(bool v3, MlaKvLayout layout)
    {
        // The absorbed form scores queries against cached latents; the expanded form decompresses the latents into
        // per-head keys and values. They differ only in summation order (FACTS.md §3.8, 5a vs 5b).
        using var absorbed = TinyDeepSeek.Model(v3, layout, MlaForm.Absorbed);
        using var expanded = TinyDeepSeek.Model(v3, layout, MlaForm.Expanded);
        using var auto = TinyDeepSeek.Model(v3, layout, MlaForm.Auto);
        var a = Run(absorbed, 8);
        var e = Run(expanded, 8);
        float spread = a.Min(row => row.Max() - row.Min());
        Assert.True(spread > 1, $"logits are nearly flat ({spread}); the comparison would prove little");
        Assert.True(MaxDifference(a, e) < 1e-5f * spread, $"forms differ by {MaxDifference(a, e)}");
        Assert.True(MaxDifference(a, Run(auto, 8)) < 1e-5f * spread);
    }

    [Theory]
    [InlineData(false, MlaKvLayout.Split)]
    [InlineData(true, MlaKvLayout.Merged)]
    public void TokensGroupedByExpertGiveTheSameLogitsAsOneByOne(bool v3, MlaKvLayout layout)
    {
        // A batch computes each chosen expert once for all its tokens; every row of a product is independent, so
        // the absorbed form must give bit-identical logits whether tokens come together or one at a time.
        using var model = TinyDeepSeek.Model(v3, layout, MlaForm.Absorbed);
        var together = Run(model, 24);
        var single = Run(model, 1);
        for (int t = 0; t < s_prompt.Length; t++)
        {
            Assert.Equal(single[t], together[t]);
        }
    }

    [Theory]
    [InlineData(false, MlaKvLayout.Split)]
    [InlineData(true, MlaKvLayout.Merged)]
    public void DecodingAllocatesNothingOnceWarm(bool v3, MlaKvLayout layout)
    {
        using var model = TinyDeepSeek.Model(v3, layout);
        using var pool = new ComputePool(1);
        var session = new InferenceSession(model, new SessionOptions { Pool = pool });
        session.Evaluate(s_prompt);
        Assert.Equal(0, Tests.Inference.SteadyStateAllocations.OfDecoding(session, 290));
    }

    [Fact]
    public void TheCacheHoldsOnlyTheLatentAndTheRopeKey()
    {
        using var model = TinyDeepSeek.Model(v3: true);
        var mla = model.Config.Mla!;
        Assert.All(model.CachePlaneWidths, widths => Assert.Equal([mla.KvLoraRank + mla.RopeHeadDim], widths));
        // (kv_lora_rank + rope dims) × layers × element size, per token.
        var cache = model.CreateCache(96, KvCacheType.F16);
        Assert.Equal(96L * (32 + 16) * 3 * 2, cache.Bytes);
        Assert.Equal((32 + 16) * 3 * 2, model.Config.KvBytesPerToken(2));
        // DeepSeek-V2-Lite: 27 × 576 × 2 = 31,104 bytes per token (FACTS.md §3.8).
        Assert.Equal(31_104, FixturePresets.Get("deepseek-v2-lite").KvBytesPerToken(2));
    }

    [Theory]
    [InlineData(false, MlaKvLayout.Split)]
    [InlineData(true, MlaKvLayout.Merged)]
    public void DecodingReadsOnlyTheChosenExperts(bool v3, MlaKvLayout layout)
    {
        var spec = TinyDeepSeek.Spec(v3, layout);
        using var file = TinyDeepSeek.File(spec);
        using var model = TransformerModel.Load(file, ownsFile: false);
        var moe = model.Config.Moe!;
        var meter = new ForwardMeter();
        var session = new InferenceSession(model, new SessionOptions { Meter = meter });
        session.Evaluate(s_prompt[..10]);
        meter.Reset();
        session.Evaluate(s_prompt[10..11]);

        // Every matrix except the routed experts is read once; of the experts, only the k chosen ones per MoE layer;
        // of the embedding, one row.
        var matrices = file.Tensors.Where(t => t.Dimensions.Count >= 2).ToList();
        long dense = matrices.Where(t => !t.Name.Contains("_exps.") && t.Name != "token_embd.weight").Sum(t => t.ByteSize);
        var layer1Experts = matrices.Where(t => t.Name.StartsWith("blk.1.") && t.Name.Contains("_exps.")).Sum(t => t.ByteSize);
        int moeLayers = model.Config.LayerCount - moe.LeadingDenseLayers;
        long expected = dense + file.GetTensor("token_embd.weight").RowBytes + moeLayers * moe.ExpertsPerToken * (layer1Experts / moe.ExpertCount);
        Assert.Equal(expected, meter.WeightBytes);
        Assert.Equal(1, meter.Tokens);
        var selections = meter.ExpertSelections();
        Assert.Equal(moeLayers, selections.Count);
        Assert.All(selections.Values, counts =>
        {
            Assert.Equal(moe.ExpertsPerToken, counts.Sum());
            Assert.All(counts, c => Assert.InRange(c, 0, 1));
        });
    }

    [Fact]
    public void MultiTokenPredictionLayersLoadAndLeaveTheMainModelAlone()
    {
        var plain = TinyDeepSeek.Spec(v3: true);
        var withMtp = plain with { Config = plain.Config with { NextNLayerCount = 1 } };
        using var file = TinyDeepSeek.File(withMtp);
        Assert.Equal(4, file.Metadata.GetInt64("deepseek2.block_count"));
        using var model = TransformerModel.Load(file, ownsFile: false);
        using var reference = TransformerModel.Load(TinyDeepSeek.File(plain), ownsFile: true);
        Assert.Equal(3, model.Config.LayerCount);
        Assert.Equal(3, model.Layers.Count);
        var mtp = Assert.Single(model.MtpLayers);
        Assert.Equal(3, mtp.Index);
        Assert.Equal((64, 128), (mtp.Projection.Rows, mtp.Projection.Columns));
        Assert.IsType<MoeFeedForward>(mtp.Block.FeedForward);
        Assert.IsType<MlaAttention>(mtp.Block.Attention);
        Assert.NotNull(mtp.Head);
        Assert.NotNull(mtp.Embedding);
        // Tensors are seeded by name, so the main layers are the same weights: the same logits, and no cache for the MTP block.
        Assert.Equal(3, model.CachePlaneWidths.Count);
        var a = Run(model, 8);
        var b = Run(reference, 8);
        for (int t = 0; t < s_prompt.Length; t++)
        {
            Assert.Equal(b[t], a[t]);
        }
    }
}
