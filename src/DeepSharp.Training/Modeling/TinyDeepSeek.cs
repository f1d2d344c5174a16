using DeepSharp.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>
/// A deepseek2 language model in TorchSharp that computes what llama.cpp computes for the exported GGUF:
/// token embedding, blocks of MLA attention and (after the leading dense blocks) DeepSeekMoE, final RMSNorm and
/// an untied output head; optionally one MTP module for training.
/// </summary>
public sealed class TinyDeepSeek : nn.Module
{
    private readonly Rope _rope;

    /// <summary>Creates a model with weights drawn from N(0, 0.02²) by the global torch generator.</summary>
    public TinyDeepSeek(ModelConfig config, bool withMtp = false) : base(nameof(TinyDeepSeek))
    {
        if (config.Architecture != ModelArchitecture.DeepSeek2 || config.Mla is null || config.Moe is null)
        {
            throw new ArgumentException("the trainer builds deepseek2 models with MLA and MoE", nameof(config));
        }
        if (config.RopeScaling.Kind != "none" || config.TiedEmbeddings)
        {
            throw new ArgumentException("the trainer supports unscaled RoPE and an untied output head only", nameof(config));
        }
        Config = config;
        _rope = new Rope(config.Mla.RopeHeadDim, config.ContextLength, config.RopeFreqBase);
        Embedding = nn.Embedding(config.VocabSize, config.EmbeddingLength);
        Layers = [.. Enumerable.Range(0, config.LayerCount).Select(i => new DecoderLayer(config, _rope, i, config.IsMoeLayer(i)))];
        OutputNorm = new RmsNorm(config.EmbeddingLength, config.RmsNormEpsilon);
        Output = nn.Linear(config.EmbeddingLength, config.VocabSize, hasBias: false);
        register_module("token_embd", Embedding);
        for (int i = 0; i < Layers.Count; i++)
        {
            register_module($"blk{i}", Layers[i]);
        }
        register_module("output_norm", OutputNorm);
        register_module("output", Output);
        if (withMtp)
        {
            Mtp = new MtpHead(config, _rope);
            register_module("mtp", Mtp);
        }
        Initialize();
    }

    /// <summary>Hyperparameters.</summary>
    public ModelConfig Config { get; }

    /// <summary>Token embedding [vocab, d] (<c>token_embd</c>).</summary>
    public Embedding Embedding { get; }

    /// <summary>The blocks.</summary>
    public IReadOnlyList<DecoderLayer> Layers { get; }

    /// <summary>Final norm (<c>output_norm</c>).</summary>
    public RmsNorm OutputNorm { get; }

    /// <summary>Output head (<c>output</c>).</summary>
    public Linear Output { get; }

    /// <summary>The MTP module, or null.</summary>
    public MtpHead? Mtp { get; }

    /// <summary>The MoE blocks' FFNs.</summary>
    public IEnumerable<MoeFeedForward> MoeLayers => Layers.Select(l => l.Moe).OfType<MoeFeedForward>();

    /// <summary>Logits [B, T, vocab] for tokens [B, T] at positions start.., through <paramref name="cache"/> when given.</summary>
    public Tensor Forward(Tensor tokens, int start = 0, KvCache? cache = null) => Output.forward(Hidden(tokens, start, cache));

    /// <summary>Final normed hidden states [B, T, d].</summary>
    public Tensor Hidden(Tensor tokens, int start = 0, KvCache? cache = null)
    {
        var h = Embedding.forward(tokens);
        for (int i = 0; i < Layers.Count; i++)
        {
            h = Layers[i].Forward(h, start, cache, i);
        }
        return OutputNorm.forward(h);
    }

    /// <summary>
    /// Training loss on [B, T+1] sequences: mean next-token cross-entropy over targets not equal to −100, plus
    /// <paramref name="mtpWeight"/> times the MTP loss on the token after next when the model has an MTP module.
    /// </summary>
    public (Tensor Loss, Tensor MainLoss) Loss(Tensor inputs, Tensor targets, float mtpWeight)
    {
        var hidden = Hidden(inputs);
        var main = CrossEntropy(Output.forward(hidden), targets);
        if (Mtp is null || mtpWeight == 0 || inputs.shape[1] < 2)
        {
            return (main, main);
        }
        long t = inputs.shape[1];
        // Position t predicts targets[t+1] from hidden[t] and the embedding of inputs[t+1] (= targets[t]).
        var next = Embedding.forward(inputs.narrow(1, 1, t - 1));
        var mtpHidden = Mtp.Forward(hidden.narrow(1, 0, t - 1), next);
        var mtp = CrossEntropy(Output.forward(mtpHidden), targets.narrow(1, 1, t - 1));
        return (main + (mtpWeight * mtp), main);
    }

    /// <summary>Creates a KV cache for <paramref name="batch"/> sequences of up to <paramref name="capacity"/> positions.</summary>
    public KvCache CreateCache(long batch, long capacity)
    {
        var mla = Config.Mla!;
        return new KvCache(Config.LayerCount, batch, Config.HeadCount, capacity, mla.QueryKeyHeadDim, mla.ValueHeadDim);
    }

    /// <summary>Applies the auxiliary-loss-free balancing step to every MoE layer.</summary>
    public void UpdateRouterBias(float rate)
    {
        foreach (var moe in MoeLayers)
        {
            moe.UpdateBias(rate);
        }
    }

    private static Tensor CrossEntropy(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1), ignore_index: -100);

    private void Initialize()
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                continue;
            }
            nn.init.normal_(p, 0, 0.02);
        }
    }
}
