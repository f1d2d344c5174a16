namespace DeepSharp.Fixtures;

/// <summary>One tensor of a fixture: GGUF name, dimensions in ggml order (innermost first) and role.</summary>
/// <param name="Name">GGUF tensor name.</param>
/// <param name="Dimensions">Dimensions, innermost first.</param>
/// <param name="Role">What the tensor does.</param>
public sealed record PlannedTensor(string Name, long[] Dimensions, TensorRole Role);
