namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// Hugging Face tokenizers (the Rust library) through Tokenizers.DotNet: the independent reference for
/// tokenizer.json files. Its Encode always adds the post-processor's special tokens (Llama-3.1's BOS) and its
/// Decode always skips special tokens; both are accounted for here.
/// </summary>
internal sealed class HfOracle
{
    // One lock for all instances: the native wrapper's thread-safety across instances is not documented.
    private static readonly Lock s_gate = new();
    private readonly Tokenizers.DotNet.Tokenizer _tokenizer;

    public HfOracle(string tokenizerJsonPath)
    {
        lock (s_gate)
        {
            _tokenizer = new Tokenizers.DotNet.Tokenizer(tokenizerJsonPath);
        }
        // Find out what the post-processor adds by encoding nothing.
        PostProcessorPrefix = Raw("");
    }

    /// <summary>Ids the post-processor puts in front of every encoding (Llama-3.1: its BOS).</summary>
    public int[] PostProcessorPrefix { get; }

    /// <summary>Ids of <paramref name="text"/> with special tokens parsed and without the post-processor's additions.</summary>
    public int[] Encode(string text)
    {
        int[] ids = Raw(text);
        Assert.True(ids.AsSpan().StartsWith(PostProcessorPrefix), "the reference did not start with its usual prefix");
        return ids[PostProcessorPrefix.Length..];
    }

    /// <summary>Decoded text with special tokens skipped.</summary>
    public string DecodeSkippingSpecial(int[] ids)
    {
        lock (s_gate)
        {
            return _tokenizer.Decode(ids.Select(i => (uint)i).ToArray());
        }
    }

    private int[] Raw(string text)
    {
        lock (s_gate)
        {
            return _tokenizer.Encode(text).Select(i => (int)i).ToArray();
        }
    }
}
