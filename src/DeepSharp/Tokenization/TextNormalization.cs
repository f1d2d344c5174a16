namespace DeepSharp.Tokenization;

/// <summary>Normalisation applied to raw text (not to added tokens) before pre-tokenization.</summary>
public enum TextNormalization
{
    /// <summary>Text is used as given (GGUF files, DeepSeek and Llama <c>tokenizer.json</c>).</summary>
    None,

    /// <summary>Unicode NFC, as the Qwen family's <c>tokenizer.json</c> asks for.</summary>
    Nfc,
}
