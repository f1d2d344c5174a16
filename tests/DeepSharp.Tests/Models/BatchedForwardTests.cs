using DeepSharp.Compute;
using DeepSharp.Fixtures;
using DeepSharp.Models;
using DeepSharp.Models.Blocks;
using DeepSharp.Quantization;
using DeepSharp.Tests.Inference;

namespace DeepSharp.Tests.Models;

/// <summary>
/// A forward pass over several sequences at once gives each sequence the logits it gets alone: the reference is the
/// single-sequence pass, chunk by chunk on its own cache, for the same chunks the batch runs.
/// </summary>
public sealed class BatchedForwardTests
{
    /// <summary>Per sequence, the chunks of each step: (tokens, which logits); null sits a step out.</summary>
    private static readonly (int Count, LogitRows Logits)?[][] s_plan =
    [
        [(7, LogitRows.Last), (4, LogitRows.All), (2, LogitRows.None)],
        [(1, LogitRows.Last), (1, LogitRows.Last), (5, LogitRows.Last)],
        [(1, LogitRows.Last), null, (1, LogitRows.All)],
        [(3, LogitRows.All), (1, LogitRows.Last), (1, LogitRows.Last)],
    ];

    public static TheoryData<string, GgmlType, KvCacheType> DenseCases => new()
    {
        { "tiny-qwen2", GgmlType.F32, KvCacheType.F16 },
        { "tiny-llama", GgmlType.F32, KvCacheType.F32 },
        { "tiny-qwen3", GgmlType.Q8_0, KvCacheType.F16 },
    };

    [Theory]
    [MemberData(nameof(DenseCases))]
    public void DenseSequencesRunTogetherGetTheirLogitsAlone(string preset, GgmlType type, KvCacheType cacheType)
    {
        using var model = TinyModels.Model(preset, type);
        AssertBatchEqualsAlone(model, cacheType);
    }

    [Theory]
    [InlineData(false, MlaKvLayout.Split, MlaForm.Auto)]
    [InlineData(false, MlaKvLayout.Merged, MlaForm.Expanded)]
    [InlineData(true, MlaKvLayout.Split, MlaForm.Absorbed)]
    [InlineData(true, MlaKvLayout.Merged, MlaForm.Auto)]
    public void DeepSeek2SequencesRunTogetherGetTheirLogitsAlone(bool v3, MlaKvLayout layout, MlaForm form)
    {
        using var model = TinyDeepSeek.Model(v3, layout, form);
        AssertBatchEqualsAlone(model, KvCacheType.F16);
    }

    [Fact]
    public void SequencesThatDoNotCoverTheBatchAreRefused()
    {
        using var model = TinyModels.Model();
        var cache = model.CreateCache(16, KvCacheType.F32);
        var context = new ForwardContext(new Workspace(), ComputePool.Shared);
        var logits = new float[2 * model.VocabSize];
        Assert.Throws<ArgumentException>(() => model.Forward(context, [1, 2, 3], [new BatchSequence(cache, 0, 2, LogitRows.Last)], logits));
        Assert.Throws<ArgumentException>(() => model.Forward(context, [1, 2], [new BatchSequence(cache, 0, 2, LogitRows.Last), new BatchSequence(cache, 2, 0, LogitRows.Last)], logits));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(context, [1, 2], [new BatchSequence(cache, 15, 2, LogitRows.Last)], logits));
        Assert.Throws<ArgumentException>(() => model.Forward(context, [1, 2], [new BatchSequence(cache, 0, 1, LogitRows.All), new BatchSequence(cache, 1, 1, LogitRows.All)], new float[model.VocabSize]));
    }

    private static void AssertBatchEqualsAlone(TransformerModel model, KvCacheType cacheType)
    {
        int sequences = s_plan[0].Length, vocab = model.VocabSize;
        var tokens = Enumerable.Range(0, sequences).Select(s => Enumerable.Range(0, 20).Select(i => (i * 37 + s * 101 + 5) % 290).ToArray()).ToArray();
        var alone = Enumerable.Range(0, sequences).Select(_ => model.CreateCache(32, cacheType)).ToArray();
        var together = Enumerable.Range(0, sequences).Select(_ => model.CreateCache(32, cacheType)).ToArray();
        var aloneContext = new ForwardContext(new Workspace(), ComputePool.Shared);
        var batchContext = new ForwardContext(new Workspace(), ComputePool.Shared);
        var position = new int[sequences];
        float spread = 0;
        foreach (var step in s_plan)
        {
            var batch = new List<BatchSequence>();
            var batchTokens = new List<int>();
            var expected = new List<float[]>();
            for (int s = 0; s < sequences; s++)
            {
                if (step[s] is not var (count, rows))
                {
                    continue;
                }
                var chunk = tokens[s].AsSpan(position[s], count);
                var single = new float[count * vocab];
                model.Forward(aloneContext, chunk, position[s], alone[s], rows == LogitRows.All, single);
                int wanted = rows switch { LogitRows.All => count, LogitRows.Last => 1, _ => 0 };
                for (int r = 0; r < wanted; r++)
                {
                    expected.Add(single.AsSpan(r * vocab, vocab).ToArray());
                }
                batch.Add(new BatchSequence(together[s], position[s], count, rows));
                batchTokens.AddRange(chunk);
                position[s] += count;
            }
            var logits = new float[expected.Count * vocab];
            model.Forward(batchContext, batchTokens.ToArray(), batch.ToArray(), logits);
            for (int r = 0; r < expected.Count; r++)
            {
                spread = Math.Max(spread, expected[r].Max() - expected[r].Min());
                // Each row's arithmetic is the same alone or in company, so the logits are bit-identical.
                Assert.Equal(expected[r], logits.AsSpan(r * vocab, vocab).ToArray());
            }
        }
        Assert.True(spread > 1, $"logits are nearly flat ({spread}); the comparison would prove little");
    }
}
