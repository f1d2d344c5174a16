using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Inspection;

/// <summary>
/// What <c>deepsharp info</c> reports about a GGUF file: architecture, hyperparameters, parameter counts (total
/// and, for MoE, active per token), tensor types and sizes, KV-cache bytes per token and tokenizer facts.
/// Works on vocabulary-only files too, where the model part is simply absent.
/// </summary>
public sealed record ModelSummary
{
    /// <summary>The GGUF architecture string, if any.</summary>
    public string? Architecture { get; init; }

    /// <summary><c>general.name</c>, if any.</summary>
    public string? Name { get; init; }

    /// <summary>GGUF version.</summary>
    public int GgufVersion { get; init; }

    /// <summary>File size in bytes.</summary>
    public long FileBytes { get; init; }

    /// <summary>Hyperparameters, or null when the file holds no model DeepSharp can read.</summary>
    public ModelConfig? Config { get; init; }

    /// <summary>Why <see cref="Config"/> is null.</summary>
    public string? ConfigError { get; init; }

    /// <summary>Total parameters (elements of every tensor).</summary>
    public long TotalParameters { get; init; }

    /// <summary>Parameters used per token: for MoE, routed experts count only as the share a token selects.</summary>
    public long ActiveParameters { get; init; }

    /// <summary>
    /// Weight bytes one decoded token reads: every matrix of the main layers and the output head, one embedding row,
    /// and of the routed experts only the share a token selects. Multi-token-prediction blocks are not counted.
    /// </summary>
    public long ActiveWeightBytes { get; init; }

    /// <summary>Totals per tensor type, largest first.</summary>
    public required IReadOnlyList<TensorTypeTotal> TensorTypes { get; init; }

    /// <summary>KV cache bytes per token with F16 elements, or null without a model configuration.</summary>
    public long? KvBytesPerToken { get; init; }

    /// <summary><c>tokenizer.ggml.model</c>, if any.</summary>
    public string? TokenizerModel { get; init; }

    /// <summary><c>tokenizer.ggml.pre</c>, if any.</summary>
    public string? PreTokenizer { get; init; }

    /// <summary>Number of tokens in the vocabulary metadata.</summary>
    public int TokenCount { get; init; }

    /// <summary>Whether <c>tokenizer.chat_template</c> is present.</summary>
    public bool HasChatTemplate { get; init; }

    /// <summary>Tensor types DeepSharp cannot compute with, if any (the model will not load).</summary>
    public required IReadOnlyList<string> UnsupportedTensors { get; init; }

    /// <summary>Summarises an open GGUF file.</summary>
    public static ModelSummary Of(GgufFile file)
    {
        ModelConfig? config = null;
        string? error = null;
        try
        {
            config = GgufModelConfigReader.Read(file);
        }
        catch (InvalidDataException e)
        {
            error = e.Message;
        }
        long total = file.Tensors.Sum(t => t.ElementCount);
        long active = total;
        if (config?.Moe is { } moe)
        {
            long routed = file.Tensors.Where(IsRoutedExpert).Sum(t => t.ElementCount);
            active = total - routed + routed / moe.ExpertCount * moe.ExpertsPerToken;
        }
        var m = file.Metadata;
        return new ModelSummary
        {
            Architecture = m.GetStringOrNull("general.architecture"),
            Name = m.GetStringOrNull("general.name"),
            GgufVersion = file.Version,
            FileBytes = file.FileLength,
            Config = config,
            ConfigError = error,
            TotalParameters = total,
            ActiveParameters = active,
            ActiveWeightBytes = config is null ? 0 : ActiveBytes(file, config),
            TensorTypes = file.Tensors
                .GroupBy(t => t.Type)
                .Select(g => new TensorTypeTotal(g.Key, g.Count(), g.Sum(t => t.ElementCount), g.Sum(t => t.ByteSize)))
                .OrderByDescending(t => t.Bytes)
                .ToList(),
            KvBytesPerToken = config?.KvBytesPerToken(2),
            TokenizerModel = m.GetStringOrNull("tokenizer.ggml.model"),
            PreTokenizer = m.GetStringOrNull("tokenizer.ggml.pre"),
            TokenCount = m.TryGetValue("tokenizer.ggml.tokens", out var tokens) ? tokens.AsArray().Count : 0,
            HasChatTemplate = m.Contains("tokenizer.chat_template"),
            UnsupportedTensors = file.Tensors
                .Where(t => !QuantFormats.IsSupported(t.Type))
                .Select(t => $"{t.Name} ({t.Type})")
                .ToList(),
        };
    }

    private static bool IsBlockAtOrAfter(string name, int layer)
    {
        if (!name.StartsWith("blk.", StringComparison.Ordinal))
        {
            return false;
        }
        int end = name.IndexOf('.', 4);
        return end > 4
            && int.TryParse(name.AsSpan(4, end - 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            && index >= layer;
    }

    private static bool IsRoutedExpert(GgufTensorInfo t) => t.Name.Contains("_exps.", StringComparison.Ordinal);

    private static long ActiveBytes(GgufFile file, ModelConfig config)
    {
        bool tied = !file.TryGetTensor("output.weight", out _);
        long bytes = 0;
        foreach (var t in file.Tensors.Where(t => t.Dimensions.Count >= 2))
        {
            if (IsBlockAtOrAfter(t.Name, config.LayerCount))
            {
                continue; // a multi-token-prediction block
            }
            bytes += t.Name == "token_embd.weight" && !tied ? t.RowBytes
                : IsRoutedExpert(t) && config.Moe is { } moe ? t.ByteSize / moe.ExpertCount * moe.ExpertsPerToken
                : t.ByteSize;
        }
        return bytes;
    }
}
