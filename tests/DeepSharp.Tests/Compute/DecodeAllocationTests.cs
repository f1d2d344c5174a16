using DeepSharp.Compute;
using DeepSharp.Models;
using DeepSharp.Quantization;
using DeepSharp.Tests.Inference;
using DeepSharp.Tests.Models;

namespace DeepSharp.Tests.Compute;

/// <summary>
/// Steady-state decoding allocates nothing: after a warm-up over the same positions, decode steps of a dense (GQA,
/// quantized) and a DeepSeek-V2-like (MLA, MoE) model leave the allocation counter of the decoding thread where it was. With a
/// one-thread pool every chunk runs on that thread, so nothing can hide on a worker.
/// </summary>
public sealed class DecodeAllocationTests
{
    public static TheoryData<string, int> Cases() => new()
    {
        { "qwen2-q8_0", 1 }, { "qwen2-q8_0", 2 }, { "deepseek2-lite", 1 }, { "deepseek2-lite", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodeStepsAllocateNothing(string model, int threads)
    {
        using var m = model == "qwen2-q8_0" ? TinyModels.Model("tiny-qwen2", GgmlType.Q8_0) : TinyDeepSeek.Model(v3: false);
        var cache = m.CreateCache(80, KvCacheType.F16);
        using var pool = new ComputePool(threads);
        var context = new ForwardContext(new Workspace(), pool);
        var logits = new float[m.VocabSize];
        int[] token = [5];
        m.Forward(context, [1, 2, 3, 4, 5, 6, 7, 8], 0, cache, allPositions: false, logits);
        // The warm-up covers the positions measured below: scratch that grows with the context (score rows) has then
        // reached its size on every thread that may run a chunk, whichever thread claims which chunk later.
        for (int p = 8; p < 72; p++)
        {
            m.Forward(context, token, p, cache, allPositions: false, logits);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int p = 40; p < 72; p++)
        {
            token[0] = (p * 37) % m.VocabSize;
            m.Forward(context, token, p, cache, allPositions: false, logits);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(logits.Any(v => v != 0), "the decode steps computed nothing");
    }
}
