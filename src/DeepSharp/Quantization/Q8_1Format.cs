namespace DeepSharp.Quantization;

/// <summary>
/// Q8_1: 32 elements as <c>half d; half s; i8 qs[32]</c> with <c>s = d·Σq</c>, <c>y = d·q</c>. The activation
/// format of Q4_1 and Q5_1 weights (the stored sum carries their minimum); not a weight format in practice.
/// Its dot product pairs it with itself, which llama.cpp never does, for completeness.
/// </summary>
internal sealed class Q8_1Format : BlockQuantFormat
{
    private Q8_1Format()
        : base(GgmlType.Q8_1, GgmlType.Q8_1)
    {
    }

    public static Q8_1Format Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        var qs = Q8_0Format.Codes(block, 4);
        for (int j = 0; j < 32; j++)
        {
            y[j] = qs[j] * d;
        }
    }

    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block) => QuantizeBlock(KernelPath.Scalar, x, block);

    protected override void QuantizeBlock(KernelPath path, ReadOnlySpan<float> x, Span<byte> block) =>
        QuantizeBlock(path, x, block, Q8Rounding.Reference);

    /// <summary>One Q8_1 activation block as llama.cpp's x86 CPU backend writes it (<see cref="Q8Rounding.Activation"/>).</summary>
    internal static void QuantizeActivationBlock(KernelPath path, ReadOnlySpan<float> x, Span<byte> block) =>
        QuantizeBlock(path, x, block, Q8Rounding.Activation);

    private static void QuantizeBlock(KernelPath path, ReadOnlySpan<float> x, Span<byte> block, Q8Rounding rounding)
    {
        int sum = Q8_0Format.QuantizeCodes(path, x, block.Slice(4, 32), out float d, rounding);
        Fp16.Write(block, 0, (Half)d);
        Fp16.Write(block, 2, (Half)(sum * d));
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qw = Q8_0Format.Codes(weights, 4);
        var qa = Q8_0Format.Codes(activations, 4);
        int sum = 0;
        for (int j = 0; j < 32; j++)
        {
            sum += qw[j] * qa[j];
        }
        return sum * (Fp16.Read(weights, 0) * Fp16.Read(activations, 0));
    }
}
