namespace DeepSharp.Fixtures;

/// <summary>What a tensor does, which decides its stored type and random distribution in a fixture.</summary>
public enum TensorRole
{
    /// <summary>A projection matrix: stored in the fixture's weight type.</summary>
    Matrix,

    /// <summary>An RMSNorm weight: F32 near one.</summary>
    Norm,

    /// <summary>A bias or router selection bias: small F32 values.</summary>
    Bias,

    /// <summary>The MoE router matrix: F32, as llama-quantize leaves it.</summary>
    Router,

    /// <summary>Llama-3.1 RoPE frequency divisors (<c>rope_freqs.weight</c>): F32, computed, not random.</summary>
    RopeFrequencyFactors,
}
