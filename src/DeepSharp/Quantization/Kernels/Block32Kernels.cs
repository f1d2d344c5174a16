namespace DeepSharp.Quantization.Kernels;

/// <summary>The tile kernels of one 32-element format, one per SIMD path, created once.</summary>
internal static class Block32Kernels<TBlock>
    where TBlock : struct, IBlock32<TBlock>
{
    private static readonly TileKernel s_avx512 = Block32Driver.Run<Block32Avx512<TBlock>, TBlock>;
    private static readonly TileKernel s_avxVnni = Block32Driver.Run<Block32Avx<TBlock, VnniByteDot>, TBlock>;
    private static readonly TileKernel s_avx2 = Block32Driver.Run<Block32Avx<TBlock, Avx2ByteDot>, TBlock>;
    private static readonly TileKernel s_vector128 = Block32Driver.Run<Block32Vector128<TBlock>, TBlock>;

    /// <summary>The kernel for <paramref name="path"/>; null for <see cref="KernelPath.Scalar"/>.</summary>
    public static TileKernel? For(KernelPath path) => path switch
    {
        KernelPath.Avx512 => s_avx512,
        KernelPath.AvxVnni => s_avxVnni,
        KernelPath.Avx2 => s_avx2,
        KernelPath.Vector128 => s_vector128,
        _ => null,
    };
}
