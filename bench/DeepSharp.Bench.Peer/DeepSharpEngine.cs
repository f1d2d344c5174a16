using System.Diagnostics;
using System.Numerics.Tensors;
using DeepSharp.Compute;
using DeepSharp.Models;

namespace DeepSharp.Bench.Peer;

/// <summary>DeepSharp: the model mapped from the GGUF file, an F16 KV cache, a pool of the given threads.</summary>
internal sealed class DeepSharpEngine(string path, int threads) : IEngine
{
    private readonly TransformerModel _model = TransformerModel.Load(path);
    private readonly ComputePool _pool = new(threads);
    private readonly Workspace _workspace = new();

    public string Name => "DeepSharp";

    public int VocabSize => _model.VocabSize;

    public Measurement Run(int[] prompt, int generate)
    {
        var cache = _model.CreateCache(prompt.Length + generate, KvCacheType.F16);
        var context = new ForwardContext(_workspace, _pool);
        var logits = new float[_model.VocabSize];
        var clock = Stopwatch.StartNew();
        _model.Forward(context, prompt, 0, cache, allPositions: false, logits);
        int[] token = [TensorPrimitives.IndexOfMax<float>(logits)];
        double promptSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (int i = 0; i < generate; i++)
        {
            _model.Forward(context, token, prompt.Length + i, cache, allPositions: false, logits);
            token[0] = TensorPrimitives.IndexOfMax<float>(logits);
        }
        return new Measurement(prompt.Length, promptSeconds, generate, clock.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        _pool.Dispose();
        _model.Dispose();
    }
}
