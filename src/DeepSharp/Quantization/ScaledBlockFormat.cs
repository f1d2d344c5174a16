namespace DeepSharp.Quantization;

/// <summary>
/// 32-element formats whose elements are <c>d·v</c> with one half scale <c>d</c> at offset 0 and a small signed
/// integer <c>v</c> per element (Q4_0, Q5_0, IQ4_NL), dotted with Q8_0 activations as
/// <c>d_w·d_a·Σ v·q_a</c>. The reference quantizer fits <c>d</c>, rounds it to half, then codes every element
/// against the rounded scale.
/// </summary>
internal abstract class ScaledBlockFormat(GgmlType type) : BlockQuantFormat(type, GgmlType.Q8_0)
{
    protected sealed override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        Span<sbyte> v = stackalloc sbyte[32];
        UnpackValues(block, v);
        float d = Fp16.Read(block, 0);
        for (int j = 0; j < 32; j++)
        {
            y[j] = v[j] * d;
        }
    }

    protected sealed override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        var d = (Half)FitScale(x);
        Fp16.Write(block, 0, d);
        float id = (float)d != 0 ? 1 / (float)d : 0;
        Span<byte> codes = stackalloc byte[32];
        for (int j = 0; j < 32; j++)
        {
            codes[j] = Encode(x[j] * id);
        }
        PackCodes(codes, block);
    }

    protected sealed override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        Span<sbyte> v = stackalloc sbyte[32];
        UnpackValues(weights, v);
        var qa = Q8_0Format.Codes(activations, 2);
        int sum = 0;
        for (int j = 0; j < 32; j++)
        {
            sum += v[j] * qa[j];
        }
        return sum * Fp16.Read(weights, 0) * Fp16.Read(activations, 0);
    }

    /// <summary>The 32 signed integer values of a block.</summary>
    protected abstract void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values);

    /// <summary>The least-squares scale of 32 elements for this format's values.</summary>
    protected abstract float FitScale(ReadOnlySpan<float> x);

    /// <summary>The stored code of the value nearest to <paramref name="v"/> (an element divided by the scale).</summary>
    protected abstract byte Encode(float v);

    /// <summary>Writes 32 stored codes into the block after its scale.</summary>
    protected abstract void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block);
}
