using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace DeepSharp.Quantization;

/// <summary>
/// F32: IEEE singles, dotted with F32 activations. The scalar reference keeps the sum in double as llama.cpp's
/// scalar path does; the SIMD paths use <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>,
/// which sums in float lanes and so differs by float rounding.
/// </summary>
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

    protected override float DotRow(KernelPath path, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var w = MemoryMarshal.Cast<byte, float>(weights);
        var a = MemoryMarshal.Cast<byte, float>(activations);
        return path == KernelPath.Scalar ? DotScalar(w, a) : TensorPrimitives.Dot(w, a);
    }

    /// <summary>The scalar reference: float products summed in double.</summary>
    private static float DotScalar(ReadOnlySpan<float> w, ReadOnlySpan<float> a)
    {
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            sum += w[i] * a[i];
        }
        return (float)sum;
    }
}
