using System.Runtime.InteropServices;

namespace DeepSharp.Quantization;

/// <summary>
/// The two 16-bit float formats, F16 and BF16: each element is a little-endian 16-bit pattern widened to
/// float; activations are rounded to the same type and the products of the widened values are summed in double,
/// as llama.cpp's scalar path does.
/// </summary>
internal sealed class Float16Format : IQuantFormat
{
    private readonly Func<ushort, float> _widen;
    private readonly Func<float, ushort> _round;

    private Float16Format(GgmlType type, Func<ushort, float> widen, Func<float, ushort> round)
    {
        Type = type;
        _widen = widen;
        _round = round;
    }

    /// <summary>IEEE binary16.</summary>
    public static Float16Format F16 { get; } = new(GgmlType.F16, Fp16.ToSingle, Fp16.FromSingle);

    /// <summary>bfloat16.</summary>
    public static Float16Format BF16 { get; } = new(GgmlType.BF16, Bf16.ToSingle, Bf16.FromSingle);

    public GgmlType Type { get; }

    public int BlockSize => 1;

    public int BlockBytes => 2;

    public GgmlType DotType => Type;

    public void Dequantize(ReadOnlySpan<byte> blocks, Span<float> destination)
    {
        QuantArgs.Bytes(Type, destination.Length, BlockBytes, blocks.Length, nameof(blocks));
        var bits = MemoryMarshal.Cast<byte, ushort>(blocks);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _widen(bits[i]);
        }
    }

    public void Quantize(ReadOnlySpan<float> source, Span<byte> destination)
    {
        QuantArgs.Bytes(Type, source.Length, BlockBytes, destination.Length, nameof(destination));
        var bits = MemoryMarshal.Cast<byte, ushort>(destination);
        for (int i = 0; i < source.Length; i++)
        {
            bits[i] = _round(source[i]);
        }
    }

    public float Dot(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count)
    {
        QuantArgs.ElementDot(Type, count, BlockBytes, weights.Length, activations.Length);
        var w = MemoryMarshal.Cast<byte, ushort>(weights);
        var a = MemoryMarshal.Cast<byte, ushort>(activations);
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += _widen(w[i]) * _widen(a[i]);
        }
        return (float)sum;
    }

    public override string ToString() => Type.ToString();
}
