namespace DeepSharp.Tokenization;

/// <summary>
/// The special token ids of a model and its BOS/EOS rules, as read from GGUF metadata
/// (<c>tokenizer.ggml.bos_token_id</c>, <c>add_bos_token</c>, …) or from <c>tokenizer_config.json</c>.
/// </summary>
public sealed record SpecialTokenSettings
{
    /// <summary>Beginning-of-sequence token, if the model has one.</summary>
    public int? Bos { get; init; }

    /// <summary>End-of-sequence token, if the model has one.</summary>
    public int? Eos { get; init; }

    /// <summary>End-of-turn token (for example Llama-3's <c>&lt;|eot_id|&gt;</c>); found by its text when not given.</summary>
    public int? Eot { get; init; }

    /// <summary>Padding token, if any.</summary>
    public int? Pad { get; init; }

    /// <summary>Unknown token, if any.</summary>
    public int? Unknown { get; init; }

    /// <summary>Whether encoding with special tokens prepends <see cref="Bos"/>.</summary>
    public bool AddBos { get; init; }

    /// <summary>Whether encoding with special tokens appends <see cref="Eos"/>.</summary>
    public bool AddEos { get; init; }
}
