using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace DeepSharp.Quantization;

/// <summary>
/// The two 16-bit float formats, F16 and BF16: each element is a little-endian 16-bit pattern widened to
/// float (whole rows: <see cref="TensorPrimitives.ConvertToSingle(ReadOnlySpan{Half}, Span{float})"/> for F16,
/// <see cref="Bf16.Widen"/> for BF16); activations are rounded to the same type.
/// </summary>
internal sealed class Float16Format : ElementFormat
{
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
    public static Float16Format F16 { get; } = new(GgmlType.F16, Fp16.ToSingle, Fp16.FromSingle,
        static (bits, destination) => TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<ushort, Half>(bits), destination));

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

    protected override float DotScalar(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var w = MemoryMarshal.Cast<byte, ushort>(weights);
        var a = MemoryMarshal.Cast<byte, ushort>(activations);
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            sum += _widen(w[i]) * _widen(a[i]);
        }
        return (float)sum;
    }

    protected override void Widen(ReadOnlySpan<byte> elements, Span<float> destination) =>
        _widenRow(MemoryMarshal.Cast<byte, ushort>(elements), destination);
}
