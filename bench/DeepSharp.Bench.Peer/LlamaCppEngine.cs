using System.Diagnostics;
using System.Numerics.Tensors;
using LLama;
using LLama.Native;

namespace DeepSharp.Bench.Peer;

/// <summary>
/// llama.cpp through LLamaSharp's native API, as its own tools run it: default model parameters (weights repacked
/// for the CPU where llama.cpp does that, unless <c>repack</c> is off), the given threads for prompt and decode, an F16 KV cache, the prompt in
/// one batch (n_batch = n_ubatch = the prompt), logits only where needed.
/// </summary>
internal sealed class LlamaCppEngine : IEngine
{
    // The native library is configured once per process (quiet log), before its first use.
    private static readonly Lazy<bool> Initialise = new(() =>
    {
        NativeLibraryConfig.All.WithLogCallback((_, _) => { });
        NativeApi.llama_empty_call();
        return true;
    });

    private readonly SafeLlamaModelHandle _model;
    private readonly int _threads;

    public LlamaCppEngine(string path, int threads, bool repack)
    {
        Initialise.Value.ToString();
        var parameters = LLamaModelParams.Default();
        parameters.n_gpu_layers = 0;
        parameters.use_extra_bufts = repack;
        _model = SafeLlamaModelHandle.LoadFromFile(path, parameters);
        _threads = threads;
        VocabSize = _model.Vocab.Count;
    }

    public string Name => "llama.cpp";

    public int VocabSize { get; }

    public Measurement Run(int[] prompt, int generate)
    {
        var p = LLamaContextParams.Default();
        p.n_ctx = (uint)(prompt.Length + generate);
        p.n_batch = (uint)prompt.Length;
        p.n_ubatch = (uint)prompt.Length;
        p.n_seq_max = 1;
        p.n_threads = _threads;
        p.n_threads_batch = _threads;
        using var context = SafeLLamaContextHandle.Create(_model, p);
        var batch = new LLamaBatch();
        for (int i = 0; i < prompt.Length; i++)
        {
            batch.Add((LLamaToken)prompt[i], i, LLamaSeqId.Zero, i == prompt.Length - 1);
        }
        var clock = Stopwatch.StartNew();
        Decode(context, batch);
        int token = TensorPrimitives.IndexOfMax<float>(context.GetLogitsIth(prompt.Length - 1)[..VocabSize]);
        double promptSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (int i = 0; i < generate; i++)
        {
            batch.Clear();
            batch.Add((LLamaToken)token, prompt.Length + i, LLamaSeqId.Zero, true);
            Decode(context, batch);
            token = TensorPrimitives.IndexOfMax<float>(context.GetLogitsIth(0)[..VocabSize]);
        }
        return new Measurement(prompt.Length, promptSeconds, generate, clock.Elapsed.TotalSeconds);
    }

    public void Dispose() => _model.Dispose();

    private static void Decode(SafeLLamaContextHandle context, LLamaBatch batch)
    {
        var result = context.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama_decode failed: {result}");
        }
    }
}
