namespace DeepSharp.Tokenization;

/// <summary>
/// The kind of a vocabulary entry, with the numeric values of GGUF's <c>tokenizer.ggml.token_type</c>.
/// </summary>
public enum TokenType
{
    /// <summary>No type recorded.</summary>
    Undefined = 0,

    /// <summary>An ordinary BPE token, stored byte-level encoded.</summary>
    Normal = 1,

    /// <summary>The unknown token.</summary>
    Unknown = 2,

    /// <summary>A control token such as BOS, EOS or a chat-role marker; matched in text only when special tokens are parsed.</summary>
    Control = 3,

    /// <summary>An added token stored as plain text; always matched in text before BPE.</summary>
    UserDefined = 4,

    /// <summary>A reserved slot that is not used.</summary>
    Unused = 5,

    /// <summary>A raw byte token (byte-fallback vocabularies).</summary>
    Byte = 6,
}
