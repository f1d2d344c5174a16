namespace DeepSharp.Formats.Gguf;

/// <summary>Everything before the tensor data: what <see cref="GgufHeaderReader"/> produces.</summary>
internal sealed record GgufHeader(
    int Version,
    int Alignment,
    long DataOffset,
    GgufMetadata Metadata,
    IReadOnlyList<GgufTensorInfo> Tensors);
