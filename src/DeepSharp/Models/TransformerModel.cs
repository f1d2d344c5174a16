using System.Numerics.Tensors;
using DeepSharp.Compute;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.Models;

/// <summary>
/// A decoder-only transformer bound to the tensors of a GGUF file: token embedding, pre-norm residual layers
/// whose attention and feed-forward blocks the architecture recipe chooses, final RMSNorm and output head (tied to
/// the embedding when the file has no <c>output.weight</c>). Weights stay in the mapped file in their stored type.
/// Stateless between calls: the caller owns the KV cache and the scratch buffers, so one model serves many sessions.
/// </summary>
public sealed class TransformerModel : IDisposable
{
    private readonly GgufFile _file;
    private readonly bool _ownsFile;
    private readonly WeightMatrix _embedding;
    private readonly float[] _outputNorm;
    private readonly WeightMatrix _output;

    private TransformerModel(GgufFile file, bool ownsFile, ModelConfig config, IArchitectureRecipe recipe)
    {
        _file = file;
        _ownsFile = ownsFile;
        Config = config;
        var weights = new ModelWeights(file);
        int width = config.EmbeddingLength;
        _embedding = weights.Matrix("token_embd.weight", width, config.VocabSize);
        Layers = Enumerable.Range(0, config.LayerCount).Select(i => recipe.BuildLayer(config, weights, i)).ToArray();
        MtpLayers = Enumerable.Range(config.LayerCount, config.NextNLayerCount).Select(i => MtpLayer.Bind(recipe, config, weights, i)).ToArray();
        _outputNorm = weights.Vector("output_norm.weight", width);
        _output = weights.Has("output.weight") ? weights.Matrix("output.weight", width, config.VocabSize) : _embedding;
        CachePlaneWidths = Layers.Select(l => l.Attention.CachePlaneWidths).ToArray();
    }

    /// <summary>Hyperparameters.</summary>
    public ModelConfig Config { get; }

    /// <summary>The transformer blocks, in order.</summary>
    public IReadOnlyList<TransformerLayer> Layers { get; }

    /// <summary>Multi-token-prediction blocks, loaded for speculative decoding; <see cref="Forward"/> does not run them.</summary>
    public IReadOnlyList<MtpLayer> MtpLayers { get; }

    /// <summary>Size of a logits row.</summary>
    public int VocabSize => Config.VocabSize;

    /// <summary>Per layer, the widths of the vectors its attention block caches per token (to size a <see cref="KvCache"/>).</summary>
    public IReadOnlyList<IReadOnlyList<int>> CachePlaneWidths { get; }

    /// <summary>Opens <paramref name="path"/> and binds its tensors.</summary>
    /// <exception cref="GgufFormatException">The file is not valid GGUF.</exception>
    /// <exception cref="InvalidDataException">A key or tensor is missing or has the wrong shape.</exception>
    /// <exception cref="NotSupportedException">The architecture or a tensor type is not supported.</exception>
    public static TransformerModel Load(string path)
    {
        var file = GgufFile.Open(path);
        try
        {
            return Load(file, ownsFile: true);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Binds the tensors of an open file; with <paramref name="ownsFile"/> the model disposes it.</summary>
    public static TransformerModel Load(GgufFile file, bool ownsFile) => Load(file, ownsFile, null);

    /// <summary>
    /// Binds the tensors of an open file with <paramref name="recipe"/> (null: the family's default recipe, see
    /// <see cref="ArchitectureRecipes"/>); with <paramref name="ownsFile"/> the model disposes the file.
    /// </summary>
    public static TransformerModel Load(GgufFile file, bool ownsFile, IArchitectureRecipe? recipe)
    {
        // Refuse every tensor type we cannot compute with up front, naming the tensor, rather than when a layer binds.
        file.EnsureTensorTypesSupported(QuantFormats.IsSupported);
        var config = GgufModelConfigReader.Read(file);
        return new TransformerModel(file, ownsFile, config, recipe ?? ArchitectureRecipes.For(config.Architecture));
    }

    /// <summary>A KV cache for this model holding <paramref name="contextLength"/> positions.</summary>
    public KvCache CreateCache(int contextLength, KvCacheType type) => new(contextLength, type, CachePlaneWidths);

    /// <summary>
    /// Runs <paramref name="tokens"/> at positions <paramref name="startPosition"/>.. (earlier positions must already be in
    /// <paramref name="cache"/>) and writes the logits of the last token, or with <paramref name="allPositions"/> of
    /// every token (row after row), to <paramref name="logits"/>.
    /// </summary>
    public void Forward(ForwardContext context, ReadOnlySpan<int> tokens, int startPosition, KvCache cache, bool allPositions, Span<float> logits)
    {
        int n = tokens.Length, width = Config.EmbeddingLength;
        if (n == 0)
        {
            throw new ArgumentException("no tokens to evaluate", nameof(tokens));
        }
        if (cache.LayerCount != Layers.Count)
        {
            throw new ArgumentException($"the cache has {cache.LayerCount} layers, the model {Layers.Count}", nameof(cache));
        }
        if (startPosition < 0 || startPosition + n > cache.ContextLength)
        {
            throw new ArgumentOutOfRangeException(nameof(startPosition), $"positions {startPosition}..{startPosition + n - 1} do not fit a cache of {cache.ContextLength}");
        }
        int outputs = allPositions ? n : 1;
        if (logits.Length < outputs * VocabSize)
        {
            throw new ArgumentException($"logits need {outputs * VocabSize} values, got {logits.Length}", nameof(logits));
        }
        var ws = context.Workspace;
        var x = ws.Get("model.x", n * width);
        for (int t = 0; t < n; t++)
        {
            if ((uint)tokens[t] >= (uint)VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[t], $"token ids must be in 0..{VocabSize - 1}");
            }
            _embedding.ReadRow(tokens[t], x.Slice(t * width, width));
        }
        context.Meter?.AddWeightBytes(n * _embedding.RowBytes);
        context.Meter?.AddTokens(n);
        var normed = ws.Get("model.normed", n * width);
        var branch = ws.Get("model.branch", n * width);
        for (int i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            x.CopyTo(normed);
            RmsNorm.ApplyRows(normed, width, layer.AttentionNorm, Config.RmsNormEpsilon);
            context.Tap(i, "attn_norm", n, normed);
            layer.Attention.Forward(context, i, normed, n, startPosition, cache.Layer(i), branch);
            context.Tap(i, "attn_out", n, branch);
            TensorPrimitives.Add(x, branch, x);
            x.CopyTo(normed);
            RmsNorm.ApplyRows(normed, width, layer.FeedForwardNorm, Config.RmsNormEpsilon);
            context.Tap(i, "ffn_norm", n, normed);
            layer.FeedForward.Forward(context, i, normed, n, branch);
            context.Tap(i, "ffn_out", n, branch);
            TensorPrimitives.Add(x, branch, x);
            context.Tap(i, "l_out", n, x);
        }
        var last = x.Slice((n - outputs) * width, outputs * width);
        var final = normed[..(outputs * width)];
        last.CopyTo(final);
        RmsNorm.ApplyRows(final, width, _outputNorm, Config.RmsNormEpsilon);
        context.Tap(-1, "result_norm", outputs, final);
        context.MatMul(_output, final, outputs, logits);
        context.Tap(-1, "result_output", outputs, logits[..(outputs * VocabSize)]);
    }

    /// <summary>Closes the file if the model owns it.</summary>
    public void Dispose()
    {
        if (_ownsFile)
        {
            _file.Dispose();
        }
    }
}
