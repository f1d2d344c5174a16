using DeepSharp.Quantization;

namespace DeepSharp.Inspection;

/// <summary>How many tensors, elements and bytes a model stores in one type.</summary>
/// <param name="Type">The ggml type.</param>
/// <param name="Tensors">Number of tensors.</param>
/// <param name="Elements">Total elements.</param>
/// <param name="Bytes">Total bytes.</param>
public sealed record TensorTypeTotal(GgmlType Type, int Tensors, long Elements, long Bytes);
