using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace DeepSharp.Quantization;

/// <summary>
/// The two 16-bit float formats, F16 and BF16: each element is a little-endian 16-bit pattern widened to
/// float; activations are rounded to the same type. The scalar reference sums the products of the widened values
/// in double, as llama.cpp's scalar path does; the SIMD paths widen both rows in chunks and add the chunks'
/// <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> in double, which differs by the
/// float rounding inside each chunk.
/// </summary>
internal sealed class Float16Format : ElementFormat
{
    private const int Chunk = 256; // elements widened at a time: two 1 KiB stack buffers

    private readonly Func<ushort, float> _widen;
    private readonly Func<float, ushort> _round;
    private readonly WidenRow _widenRow;

    private Float16Format(GgmlType type, Func<ushort, float> widen, Func<float, ushort> round, WidenRow widenRow)
        : base(type, 2)
    {
        _widen = widen;
        _round = round;
        _widenRow = widenRow;
    }

    /// <summary>Widens a run of 16-bit patterns to floats with SIMD.</summary>
    private delegate void WidenRow(ReadOnlySpan<ushort> bits, Span<float> destination);

    /// <summary>IEEE binary16.</summary>
    public static Float16Format F16 { get; } = new(GgmlType.F16, Fp16.ToSingle, Fp16.FromSingle, Fp16.Widen);

    /// <summary>bfloat16.</summary>
    public static Float16Format BF16 { get; } = new(GgmlType.BF16, Bf16.ToSingle, Bf16.FromSingle, Bf16.Widen);

    public override void Dequantize(ReadOnlySpan<byte> blocks, Span<float> destination)
    {
        QuantArgs.Bytes(Type, destination.Length, BlockBytes, blocks.Length, nameof(blocks));
        var bits = MemoryMarshal.Cast<byte, ushort>(blocks);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _widen(bits[i]);
        }
    }

    public override void Quantize(ReadOnlySpan<float> source, Span<byte> destination)
    {
        QuantArgs.Bytes(Type, source.Length, BlockBytes, destination.Length, nameof(destination));
        var bits = MemoryMarshal.Cast<byte, ushort>(destination);
        for (int i = 0; i < source.Length; i++)
        {
            bits[i] = _round(source[i]);
        }
    }

    protected override float DotRow(KernelPath path, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var w = MemoryMarshal.Cast<byte, ushort>(weights);
        var a = MemoryMarshal.Cast<byte, ushort>(activations);
        return path == KernelPath.Scalar ? DotScalar(w, a) : DotChunks(w, a);
    }

    /// <summary>The scalar reference: widened products summed in double.</summary>
    private float DotScalar(ReadOnlySpan<ushort> w, ReadOnlySpan<ushort> a)
    {
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            sum += _widen(w[i]) * _widen(a[i]);
        }
        return (float)sum;
    }

    /// <summary>Both rows widened <see cref="Chunk"/> elements at a time; each chunk's float dot added in double.</summary>
    private float DotChunks(ReadOnlySpan<ushort> w, ReadOnlySpan<ushort> a)
    {
        Span<float> wf = stackalloc float[Chunk];
        Span<float> af = stackalloc float[Chunk];
        double sum = 0;
        for (int start = 0; start < w.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, w.Length - start);
            _widenRow(w.Slice(start, n), wf[..n]);
            _widenRow(a.Slice(start, n), af[..n]);
            sum += TensorPrimitives.Dot(wf[..n], af[..n]);
        }
        return (float)sum;
    }
}
