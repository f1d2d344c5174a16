namespace DeepSharp.Formats.Gguf;

/// <summary>Fixed numbers of the GGUF format.</summary>
public static class GgufConstants
{
    /// <summary>"GGUF" read as a little-endian u32.</summary>
    public const uint Magic = 0x46554747;

    /// <summary>The version this writer produces.</summary>
    public const int Version = 3;

    /// <summary>Tensor data alignment when <c>general.alignment</c> is absent.</summary>
    public const int DefaultAlignment = 32;

    /// <summary>The metadata key that sets the alignment.</summary>
    public const string AlignmentKey = "general.alignment";

    /// <summary>Most dimensions a tensor may have (GGML_MAX_DIMS).</summary>
    public const int MaxDimensions = 4;

    /// <summary>Longest tensor name in bytes (ggml keeps names in 64-byte buffers with a terminator).</summary>
    public const int MaxTensorNameBytes = 63;

    /// <summary>Longest metadata key in bytes.</summary>
    public const int MaxKeyBytes = 65535;
}
