namespace DeepSharp.Quantization.Kernels;

/// <summary>Activation block geometry of the 32-element kernels: Q8_0 for the scaled formats, Q8_1 for the affine ones, codes after the halves.</summary>
internal static class Block32
{
    /// <summary>Bytes of a Q8_0 activation block: <c>half d; i8 qs[32]</c>.</summary>
    public const int Q8_0Bytes = 34;

    /// <summary>Bytes of a Q8_1 activation block: <c>half d; half s; i8 qs[32]</c>.</summary>
    public const int Q8_1Bytes = 36;
}
