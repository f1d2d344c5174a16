using System.Runtime.InteropServices;
using DeepSharp.Quantization;

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
            destination[i] = Bf16.ToSingle(bits[i]);
        }
    }

    public override GgmlType PreparedType => GgmlType.BF16;

    protected override float RoundActivation(float x) => Bf16.ToSingle(Bf16.FromSingle(x));
}
