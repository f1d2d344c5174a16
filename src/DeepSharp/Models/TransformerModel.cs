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
        Fingerprint = ComputeFingerprint(file);
    }

    /// <summary>Hyperparameters.</summary>
    public ModelConfig Config { get; }

    /// <summary>The transformer blocks, in order.</summary>
    public IReadOnlyList<TransformerLayer> Layers { get; }

    /// <summary>Multi-token-prediction blocks, loaded for speculative decoding; the forward pass does not run them.</summary>
    public IReadOnlyList<MtpLayer> MtpLayers { get; }

    /// <summary>Size of a logits row.</summary>
    public int VocabSize => Config.VocabSize;

    /// <summary>Per layer, the widths of the vectors its attention block caches per token (to size a <see cref="KvCache"/>).</summary>
    public IReadOnlyList<IReadOnlyList<int>> CachePlaneWidths { get; }

    /// <summary>
    /// A cheap identity of the model file: its length, every tensor's name, type, shape and offset, and the first bytes
    /// of every tensor's data. Caches of computed state (saved KV prefixes) carry it to refuse another model's rows.
    /// </summary>
    public ulong Fingerprint { get; }

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
        var sequence = new BatchSequence(cache, startPosition, tokens.Length, allPositions ? LogitRows.All : LogitRows.Last);
        Forward(context, tokens, new ReadOnlySpan<BatchSequence>(in sequence), logits);
    }

    /// <summary>
    /// One forward pass over the tokens of several sequences: <paramref name="tokens"/> holds each sequence's tokens
    /// in the order of <paramref name="sequences"/>. Weight products run once over all rows (weights are read once
    /// per pass however many sequences share it); RoPE, cache writes and attention run per sequence, each against
    /// its own cache. The logits rows the sequences ask for are written in order to <paramref name="logits"/>
    /// (<see cref="BatchSequence.CountLogitRows"/> × <see cref="VocabSize"/> values). Every row is computed as if
    /// its sequence ran alone.
    /// </summary>
    /// <exception cref="ArgumentException">The sequences do not cover the tokens, a cache does not fit the model, or <paramref name="logits"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A token id is outside the vocabulary or a sequence's positions do not fit its cache.</exception>
    public void Forward(ForwardContext context, ReadOnlySpan<int> tokens, ReadOnlySpan<BatchSequence> sequences, Span<float> logits)
    {
        int n = tokens.Length, width = Config.EmbeddingLength;
        if (n == 0)
        {
            throw new ArgumentException("no tokens to evaluate", nameof(tokens));
        }
        Validate(sequences, n);
        int outputs = BatchSequence.CountLogitRows(sequences);
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
            layer.Attention.Forward(context, i, normed, sequences, branch);
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
        if (outputs == 0)
        {
            return;
        }
        // Gather the rows whose logits are wanted, then one output product over them.
        var final = normed[..(outputs * width)];
        int row = 0, first = 0;
        foreach (var s in sequences)
        {
            int count = s.LogitRowCount;
            x.Slice((first + s.TokenCount - count) * width, count * width).CopyTo(final.Slice(row * width));
            row += count;
            first += s.TokenCount;
        }
        RmsNorm.ApplyRows(final, width, _outputNorm, Config.RmsNormEpsilon);
        context.Tap(-1, "result_norm", outputs, final);
        context.MatMul(_output, final, outputs, logits);
        context.Tap(-1, "result_output", outputs, logits[..(outputs * VocabSize)]);
    }

    private static ulong ComputeFingerprint(GgufFile file)
    {
        var hash = new ContentHash();
        hash.Add(file.FileLength);
        foreach (var tensor in file.Tensors)
        {
            hash.Add(tensor.Name);
            hash.Add((long)tensor.Type);
            hash.Add(tensor.Offset);
            foreach (long d in tensor.Dimensions)
            {
                hash.Add(d);
            }
            var data = file.GetBytes(tensor);
            hash.Add(data.Slice(0, (int)Math.Min(256, data.Length)));
        }
        return hash.Value;
    }

    private void Validate(ReadOnlySpan<BatchSequence> sequences, int tokens)
    {
        if (sequences.IsEmpty)
        {
            throw new ArgumentException("no sequences to evaluate", nameof(sequences));
        }
        foreach (var s in sequences)
        {
            ArgumentNullException.ThrowIfNull(s.Cache, nameof(sequences));
            if (s.Cache.LayerCount != Layers.Count)
            {
                throw new ArgumentException($"the cache has {s.Cache.LayerCount} layers, the model {Layers.Count}", nameof(sequences));
            }
            if (s.TokenCount <= 0)
            {
                throw new ArgumentException($"a sequence has {s.TokenCount} tokens; each needs at least one", nameof(sequences));
            }
            if (s.StartPosition < 0 || s.StartPosition + s.TokenCount > s.Cache.ContextLength)
            {
                throw new ArgumentOutOfRangeException(nameof(sequences), $"positions {s.StartPosition}..{s.StartPosition + s.TokenCount - 1} do not fit a cache of {s.Cache.ContextLength}");
            }
        }
        if (BatchSequence.CountTokens(sequences) != tokens)
        {
            throw new ArgumentException($"the sequences cover {BatchSequence.CountTokens(sequences)} tokens, the batch has {tokens}", nameof(sequences));
        }
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
