using System.Runtime.InteropServices;

namespace DeepSharp.Quantization;

/// <summary>F32: IEEE singles, dotted with F32 activations; the sum is kept in double as llama.cpp's scalar path does.</summary>
internal sealed class F32Format : IQuantFormat
{
    private F32Format()
    {
    }

    public static F32Format Instance { get; } = new();

    public GgmlType Type => GgmlType.F32;

    public int BlockSize => 1;

    public int BlockBytes => 4;

    public GgmlType DotType => GgmlType.F32;

    public void Dequantize(ReadOnlySpan<byte> blocks, Span<float> destination)
    {
        QuantArgs.Bytes(Type, destination.Length, BlockBytes, blocks.Length, nameof(blocks));
        MemoryMarshal.Cast<byte, float>(blocks).CopyTo(destination);
    }

    public void Quantize(ReadOnlySpan<float> source, Span<byte> destination)
    {
        QuantArgs.Bytes(Type, source.Length, BlockBytes, destination.Length, nameof(destination));
        MemoryMarshal.AsBytes(source).CopyTo(destination);
    }

    public float Dot(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count)
    {
        QuantArgs.ElementDot(Type, count, BlockBytes, weights.Length, activations.Length);
        var w = MemoryMarshal.Cast<byte, float>(weights);
        var a = MemoryMarshal.Cast<byte, float>(activations);
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += w[i] * a[i];
        }
        return (float)sum;
    }

    public override string ToString() => Type.ToString();
}
