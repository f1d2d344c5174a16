namespace DeepSharp.Inference.Sampling;

/// <summary>
/// The usual sampling settings. <see cref="Sampler.Create"/> builds them into a chain in llama.cpp's order:
/// logit bias, repetition penalty, frequency/presence penalty, top-k, top-p, min-p, temperature, random pick.
/// A temperature of 0 (or below) picks greedily.
/// </summary>
public sealed record SamplingOptions
{
    /// <summary>Greedy decoding: always the most likely token.</summary>
    public static SamplingOptions Greedy { get; } = new() { Temperature = 0 };

    /// <summary>Softmax temperature; 0 or below means greedy.</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Keep the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Nucleus mass to keep; 1 keeps all.</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Minimum probability relative to the top token; 0 keeps all.</summary>
    public float MinP { get; init; } = 0.05f;

    /// <summary>Repetition penalty divisor; 1 disables it.</summary>
    public float RepetitionPenalty { get; init; } = 1;

    /// <summary>Subtracted per occurrence in the penalty window.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Subtracted once for tokens present in the penalty window.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>Latest tokens the penalties look at.</summary>
    public int PenaltyWindow { get; init; } = 64;

    /// <summary>Bias added to the logits of chosen tokens (−∞ bans a token).</summary>
    public IReadOnlyDictionary<int, float>? LogitBias { get; init; }

    /// <summary>
    /// Constraints applied after the penalties and biases, such as <see cref="JsonConstraint"/>. They may keep state
    /// about the reply so far, so each request needs its own instances.
    /// </summary>
    public IReadOnlyList<ILogitProcessor> Constraints { get; init; } = [];

    /// <summary>Seed of the random pick: the same seed, prompt and settings give the same tokens.</summary>
    public ulong Seed { get; init; } = 0x5EED;
}
