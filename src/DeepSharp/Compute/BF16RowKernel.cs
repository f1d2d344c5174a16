using System.Runtime.InteropServices;

namespace DeepSharp.Compute;

/// <summary>BF16 weights with BF16-rounded activations (round to nearest even, as ggml converts).</summary>
internal sealed class BF16RowKernel : WideningRowKernel
{
    public static BF16RowKernel Instance { get; } = new();

    public override void Dequantize(ReadOnlySpan<byte> weightRow, Span<float> destination)
    {
        var bits = MemoryMarshal.Cast<byte, ushort>(weightRow);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Widen(bits[i]);
        }
    }

    /// <summary>float → bf16 with round-to-nearest-even; NaN stays a (quiet) NaN.</summary>
    internal static ushort Round(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if ((u & 0x7fffffff) > 0x7f800000)
        {
            return (ushort)((u >> 16) | 64);
        }
        return (ushort)((u + (0x7fff + ((u >> 16) & 1))) >> 16);
    }

    protected override float RoundActivation(float x) => Widen(Round(x));

    private static float Widen(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
