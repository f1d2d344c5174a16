using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace DeepSharp.Compute;

/// <summary>
/// BF16 weights. llama.cpp rounds the activation to BF16 (nearest even) and accumulates in F32; the prepared row
/// holds the rounded activation as F32.
/// </summary>
internal sealed class BF16RowKernel : RowKernel
{
    public static BF16RowKernel Instance { get; } = new();

    public override int PreparedBytes(int columns) => columns * sizeof(float);

    public override void Prepare(ReadOnlySpan<float> x, Span<byte> prepared)
    {
        var p = MemoryMarshal.Cast<byte, float>(prepared);
        for (int i = 0; i < x.Length; i++)
        {
            p[i] = Widen(Round(x[i]));
        }
    }

    public override float Dot(ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> prepared, int columns)
    {
        var row = ScratchRow(columns);
        Dequantize(weightRow, row);
        return TensorPrimitives.Dot(row, MemoryMarshal.Cast<byte, float>(prepared));
    }

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

    private static float Widen(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
