using System.Text;
using LLama.Native;

namespace DeepSharp.PeerTests;

/// <summary>
/// llama.cpp (through LLamaSharp's native bindings) as the reference implementation: loads a GGUF file and
/// returns the logits of every position of an exact token sequence (nothing is added, no BOS).
/// </summary>
internal sealed class LlamaCppReference : IDisposable
{
    private static readonly object s_logLock = new();
    private static readonly StringBuilder s_log = new();
    private static bool s_initialised;

    private readonly SafeLlamaModelHandle _model;

    private LlamaCppReference(SafeLlamaModelHandle model, int vocabSize)
    {
        _model = model;
        VocabSize = vocabSize;
    }

    /// <summary>Rows of the output head.</summary>
    public int VocabSize { get; }

    /// <summary>Loads <paramref name="path"/>; a rejected file gives an exception carrying llama.cpp's log.</summary>
    public static LlamaCppReference Load(string path)
    {
        EnsureInitialised();
        lock (s_logLock)
        {
            s_log.Clear();
        }
        var parameters = LLamaModelParams.Default();
        parameters.n_gpu_layers = 0;
        // Repacked weight layouts compute the same maths with other roundings; keep the plain kernels.
        parameters.use_extra_bufts = false;
        SafeLlamaModelHandle model;
        try
        {
            model = SafeLlamaModelHandle.LoadFromFile(path, parameters);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"llama.cpp rejected '{Path.GetFileName(path)}': {e.Message}\n{TakeLog()}", e);
        }
        return new LlamaCppReference(model, model.Vocab.Count);
    }

    /// <summary>llama.cpp's log since the last load, for failure messages.</summary>
    public static string TakeLog()
    {
        lock (s_logLock)
        {
            string text = s_log.ToString();
            s_log.Clear();
            return text;
        }
    }

    /// <summary>
    /// Evaluates <paramref name="tokens"/> at positions 0.. in one batch and returns logits[position][token].
    /// <paramref name="kvF32"/> stores the KV cache in F32 (as tight comparisons need; llama.cpp rounds the query
    /// and the attention weights to F16 when the cache is F16).
    /// </summary>
    public float[][] Logits(IReadOnlyList<int> tokens, bool kvF32 = true, int contextSize = 0)
    {
        using var context = CreateContext(Math.Max(contextSize, tokens.Count), kvF32);
        var batch = new LLamaBatch();
        for (int i = 0; i < tokens.Count; i++)
        {
            batch.Add((LLamaToken)tokens[i], i, LLamaSeqId.Zero, true);
        }
        Decode(context, batch);
        var result = new float[tokens.Count][];
        for (int i = 0; i < tokens.Count; i++)
        {
            result[i] = context.GetLogitsIth(i)[..VocabSize].ToArray();
        }
        return result;
    }

    /// <summary>
    /// Greedy decoding: evaluates <paramref name="prompt"/> in one batch, then appends the arg-max token
    /// <paramref name="count"/> times, one token per decode.
    /// </summary>
    public int[] Greedy(IReadOnlyList<int> prompt, int count, bool kvF32 = true)
    {
        using var context = CreateContext(prompt.Count + count, kvF32);
        var batch = new LLamaBatch();
        for (int i = 0; i < prompt.Count; i++)
        {
            batch.Add((LLamaToken)prompt[i], i, LLamaSeqId.Zero, i == prompt.Count - 1);
        }
        Decode(context, batch);
        var output = new int[count];
        int logitIndex = prompt.Count - 1;
        for (int n = 0; n < count; n++)
        {
            output[n] = ArgMax(context.GetLogitsIth(logitIndex)[..VocabSize]);
            batch.Clear();
            batch.Add((LLamaToken)output[n], prompt.Count + n, LLamaSeqId.Zero, true);
            Decode(context, batch);
            logitIndex = 0;
        }
        return output;
    }

    public void Dispose() => _model.Dispose();

    private SafeLLamaContextHandle CreateContext(int tokens, bool kvF32)
    {
        var p = LLamaContextParams.Default();
        p.n_ctx = (uint)Math.Max(tokens, 16);
        p.n_batch = p.n_ctx;
        p.n_ubatch = p.n_ctx;
        p.n_seq_max = 1;
        p.n_threads = 2;
        p.n_threads_batch = 2;
        p.llama_flash_attn_type = LLamaFlashAttentionType.LLAMA_FLASH_ATTENTION_TYPE_DISABLED;
        if (kvF32)
        {
            p.type_k = GGMLType.GGML_TYPE_F32;
            p.type_v = GGMLType.GGML_TYPE_F32;
        }
        return SafeLLamaContextHandle.Create(_model, p);
    }

    private static void Decode(SafeLLamaContextHandle context, LLamaBatch batch)
    {
        var result = context.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama_decode failed: {result}\n{TakeLog()}");
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }

    private static void EnsureInitialised()
    {
        lock (s_logLock)
        {
            if (s_initialised)
            {
                return;
            }
            NativeLibraryConfig.All.WithLogCallback((level, message) =>
            {
                lock (s_logLock)
                {
                    s_log.Append(message);
                }
            });
            NativeApi.llama_empty_call(); // runs NativeApi's static constructor, which installs the native library resolver
            s_initialised = true;
        }
    }
}
