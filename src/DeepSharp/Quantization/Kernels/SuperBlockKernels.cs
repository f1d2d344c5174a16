namespace DeepSharp.Quantization.Kernels;

/// <summary>The tile kernels of one 256-element format, one per SIMD path, created once.</summary>
internal static class SuperBlockKernels<TBlock>
    where TBlock : struct, ISuperBlock<TBlock>
{
    private static readonly TileKernel s_avx512 = TileDriver.Run<SuperBlockAvx512<TBlock>>;
    private static readonly TileKernel s_avx2 = TileDriver.Run<SuperBlockAvx2<TBlock>>;
    private static readonly TileKernel s_vector128 = TileDriver.Run<SuperBlockVector128<TBlock>>;

    /// <summary>The kernel for <paramref name="path"/>; null for <see cref="KernelPath.Scalar"/>. AVX-VNNI runs the AVX2 kernel.</summary>
    public static TileKernel? For(KernelPath path) => path switch
    {
        KernelPath.Avx512 => s_avx512,
        KernelPath.AvxVnni or KernelPath.Avx2 => s_avx2,
        KernelPath.Vector128 => s_vector128,
        _ => null,
    };
}
