using System.Runtime.InteropServices;

namespace DeepSharp.Quantization;

/// <summary>F32: IEEE singles, dotted with F32 activations.</summary>
internal sealed class F32Format : ElementFormat
{
    private F32Format()
        : base(GgmlType.F32, 4)
    {
    }

    public static F32Format Instance { get; } = new();

    public override void Dequantize(ReadOnlySpan<byte> blocks, Span<float> destination)
    {
        QuantArgs.Bytes(Type, destination.Length, BlockBytes, blocks.Length, nameof(blocks));
        MemoryMarshal.Cast<byte, float>(blocks).CopyTo(destination);
    }

    public override void Quantize(ReadOnlySpan<float> source, Span<byte> destination)
    {
        QuantArgs.Bytes(Type, source.Length, BlockBytes, destination.Length, nameof(destination));
        MemoryMarshal.AsBytes(source).CopyTo(destination);
    }

    protected override float DotScalar(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var w = MemoryMarshal.Cast<byte, float>(weights);
        var a = MemoryMarshal.Cast<byte, float>(activations);
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            sum += w[i] * a[i];
        }
        return (float)sum;
    }

    protected override void Widen(ReadOnlySpan<byte> elements, Span<float> destination) =>
        MemoryMarshal.Cast<byte, float>(elements).CopyTo(destination);
}
