namespace DeepSharp.Bench.Peer;

/// <summary>One timed prompt + decode: seconds for the prompt batch (to the first token's logits) and for the decoded tokens.</summary>
internal sealed record Measurement(int PromptTokens, double PromptSeconds, int DecodedTokens, double DecodeSeconds)
{
    public double PrefillPerSecond => PromptTokens / PromptSeconds;

    public double DecodePerSecond => DecodedTokens / DecodeSeconds;
}
