namespace DeepSharp.Tokenization;

/// <summary>Turns text into token ids and back.</summary>
public interface ITokenizer
{
    /// <summary>The tokens, their types and the special ids.</summary>
    Vocabulary Vocabulary { get; }

    /// <summary>Encodes text to token ids.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecial">Apply the model's BOS/EOS rules (<see cref="Vocabulary.AddBos"/>, <see cref="Vocabulary.AddEos"/>).</param>
    /// <param name="parseSpecial">
    /// Recognise control tokens written in the text (such as <c>&lt;｜User｜&gt;</c>); set it for prompts built
    /// from a chat template, leave it off for untrusted user text. User-defined added tokens are always recognised.
    /// </param>
    int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false);

    /// <summary>Decodes a whole sequence of ids; bytes that do not form valid UTF-8 become U+FFFD.</summary>
    /// <param name="ids">Token ids.</param>
    /// <param name="skipSpecial">Leave out control and unknown tokens.</param>
    string Decode(ReadOnlySpan<int> ids, bool skipSpecial = false);

    /// <summary>Creates a decoder for streaming that never emits part of a UTF-8 character.</summary>
    IncrementalDetokenizer CreateDetokenizer(bool skipSpecial = false);
}
