using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// The tile loop of the 32-element formats. Every block carries half scales, and widening a half costs about
/// as much as a block's integer work, so the driver widens them once in bulk (<see cref="Fp16.WidenStrided"/>):
/// the activation scales once per tile, the weight scales once per row unless the kernel reads them itself
/// (<see cref="IBlock32Kernel.ReadsWeightScales"/>). Activation rows go eight or four at a time as in
/// <see cref="TileDriver"/>. The affine formats' minimum terms <c>Σ_b m_b·s_b</c> are one float dot per row and
/// activation row, added last.
/// </summary>
internal static class Block32Driver
{
    private const int StackFloats = 1024; // scales kept on the stack up to 4 KiB, rented beyond

    /// <summary>The tile loop for <typeparamref name="TKernel"/>, as a <see cref="TileKernel"/>.</summary>
    public static void Run<TKernel, TBlock>(
        ref byte weights, nint rowBytes, int rowCount, ref byte activations, nint activationBytes, int activationCount,
        int blocks, ref float destination, nint destinationStride)
        where TKernel : IBlock32Kernel
        where TBlock : IBlock32<TBlock>
    {
        // Per block: d, and for the affine formats also m (weights) or s (activations), each run in its own half.
        int perBlock = TBlock.IsAffine ? 2 : 1;
        int rowScales = perBlock * blocks;
        int activationScales = activationCount * rowScales;
        float[]? rented = null;
        Span<float> scales = rowScales + activationScales <= StackFloats
            ? stackalloc float[StackFloats]
            : (rented = ArrayPool<float>.Shared.Rent(rowScales + activationScales));
        try
        {
            var rowScale = scales[..rowScales];
            var activationScale = scales.Slice(rowScales, activationScales);
            int activationBlock = TBlock.IsAffine ? Block32.Q8_1Bytes : Block32.Q8_0Bytes;
            for (int t = 0; t < activationCount; t++)
            {
                ref byte row = ref Unsafe.Add(ref activations, t * activationBytes);
                Fp16.WidenStrided(ref row, activationBlock, activationScale.Slice(t * rowScales, blocks));
                if (TBlock.IsAffine)
                {
                    Fp16.WidenStrided(ref Unsafe.Add(ref row, 2), activationBlock, activationScale.Slice(t * rowScales + blocks, blocks));
                }
            }
            for (int r = 0; r < rowCount; r++)
            {
                ref byte row = ref Unsafe.Add(ref weights, r * rowBytes);
                if (!TKernel.ReadsWeightScales)
                {
                    Fp16.WidenStrided(ref row, TBlock.Bytes, rowScale[..blocks]);
                }
                if (TBlock.IsAffine)
                {
                    Fp16.WidenStrided(ref Unsafe.Add(ref row, 2), TBlock.Bytes, rowScale[blocks..]);
                }
                RunRow<TKernel>(ref row, rowScale, blocks, ref activations, activationBytes, activationCount, activationScale, rowScales,
                    ref Unsafe.Add(ref destination, r), destinationStride);
                if (TBlock.IsAffine)
                {
                    for (int t = 0; t < activationCount; t++)
                    {
                        Unsafe.Add(ref destination, t * destinationStride + r) +=
                            TensorPrimitives.Dot(rowScale[blocks..], activationScale.Slice(t * rowScales + blocks, blocks));
                    }
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>One weight row against all activation rows, eight or four at a time (<see cref="IBlock32Kernel.MaxActivations"/>).</summary>
    private static void RunRow<TKernel>(
        ref byte row, Span<float> rowScale, int blocks, ref byte activations, nint activationBytes, int activationCount,
        Span<float> activationScale, int activationScaleStride, ref float output, nint destinationStride)
        where TKernel : IBlock32Kernel
    {
        ref float weightScales = ref MemoryMarshal.GetReference(rowScale);
        ref float actScales = ref MemoryMarshal.GetReference(activationScale);
        int t = 0;
        if (TKernel.MaxActivations >= 8)
        {
            for (; t + 8 <= activationCount; t += 8)
            {
                TKernel.Dot<EightActivations>(ref row, ref weightScales, blocks, ref Unsafe.Add(ref activations, t * activationBytes), activationBytes,
                    ref Unsafe.Add(ref actScales, t * activationScaleStride), activationScaleStride, ref Unsafe.Add(ref output, t * destinationStride), destinationStride);
            }
        }
        for (; t + 4 <= activationCount; t += 4)
        {
            TKernel.Dot<FourActivations>(ref row, ref weightScales, blocks, ref Unsafe.Add(ref activations, t * activationBytes), activationBytes,
                ref Unsafe.Add(ref actScales, t * activationScaleStride), activationScaleStride, ref Unsafe.Add(ref output, t * destinationStride), destinationStride);
        }
        ref byte rest = ref Unsafe.Add(ref activations, t * activationBytes);
        ref float restScales = ref Unsafe.Add(ref actScales, t * activationScaleStride);
        ref float restOutput = ref Unsafe.Add(ref output, t * destinationStride);
        switch (activationCount - t)
        {
            case 1:
                TKernel.Dot<OneActivation>(ref row, ref weightScales, blocks, ref rest, activationBytes, ref restScales, activationScaleStride, ref restOutput, destinationStride);
                break;
            case 2:
                TKernel.Dot<TwoActivations>(ref row, ref weightScales, blocks, ref rest, activationBytes, ref restScales, activationScaleStride, ref restOutput, destinationStride);
                break;
            case 3:
                TKernel.Dot<ThreeActivations>(ref row, ref weightScales, blocks, ref rest, activationBytes, ref restScales, activationScaleStride, ref restOutput, destinationStride);
                break;
        }
    }
}
