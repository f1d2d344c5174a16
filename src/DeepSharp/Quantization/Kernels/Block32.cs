using System.Runtime.CompilerServices;

namespace DeepSharp.Quantization.Kernels;

/// <summary>Block geometry shared by the 32-element kernels: where scales and codes sit in weight and activation blocks.</summary>
internal static class Block32
{
    /// <summary>Bytes of the activation block paired with <typeparamref name="TBlock"/>: Q8_1 (36) or Q8_0 (34).</summary>
    public static int ActivationBytes<TBlock>()
        where TBlock : IBlock32 => TBlock.IsAffine ? 36 : 34;

    /// <summary>Offset of the 32 activation codes: after <c>d, s</c> in Q8_1, after <c>d</c> in Q8_0.</summary>
    public static int ActivationCodes<TBlock>()
        where TBlock : IBlock32 => TBlock.IsAffine ? 4 : 2;

    /// <summary>The half at <paramref name="offset"/> of a block, widened.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Half(ref byte block, int offset) => Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref block, offset)));
}
