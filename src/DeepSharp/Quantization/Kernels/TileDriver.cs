using System.Runtime.CompilerServices;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// Runs a row kernel over a tile of weight rows × activation rows. The activation rows go eight or four at a time
/// (<see cref="IRowKernel.MaxActivations"/>), so each weight block is loaded and decoded once per eight or four
/// activations; the weight row stays in the L1 cache between
/// groups, and the activation rows (small next to the weights) stay there between weight rows.
/// </summary>
internal static class TileDriver
{
    /// <summary>The tile loop for <typeparamref name="TKernel"/>, as a <see cref="TileKernel"/>.</summary>
    public static void Run<TKernel>(
        ref byte weights, nint rowBytes, int rowCount, ref byte activations, nint activationBytes, int activationCount,
        int blocks, ref float destination, nint destinationStride)
        where TKernel : IRowKernel
    {
        for (int r = 0; r < rowCount; r++)
        {
            ref byte row = ref Unsafe.Add(ref weights, r * rowBytes);
            ref float output = ref Unsafe.Add(ref destination, r);
            int t = 0;
            if (TKernel.MaxActivations >= 8)
            {
                for (; t + 8 <= activationCount; t += 8)
                {
                    TKernel.Dot<EightActivations>(ref row, blocks, ref Unsafe.Add(ref activations, t * activationBytes), activationBytes,
                        ref Unsafe.Add(ref output, t * destinationStride), destinationStride);
                }
            }
            for (; t + 4 <= activationCount; t += 4)
            {
                TKernel.Dot<FourActivations>(ref row, blocks, ref Unsafe.Add(ref activations, t * activationBytes), activationBytes,
                    ref Unsafe.Add(ref output, t * destinationStride), destinationStride);
            }
            ref byte rest = ref Unsafe.Add(ref activations, t * activationBytes);
            ref float restOutput = ref Unsafe.Add(ref output, t * destinationStride);
            switch (activationCount - t)
            {
                case 1:
                    TKernel.Dot<OneActivation>(ref row, blocks, ref rest, activationBytes, ref restOutput, destinationStride);
                    break;
                case 2:
                    TKernel.Dot<TwoActivations>(ref row, blocks, ref rest, activationBytes, ref restOutput, destinationStride);
                    break;
                case 3:
                    TKernel.Dot<ThreeActivations>(ref row, blocks, ref rest, activationBytes, ref restOutput, destinationStride);
                    break;
            }
        }
    }
}
