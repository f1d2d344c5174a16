namespace DeepSharp.Quantization;

/// <summary>
/// 256-element formats whose element is <c>(d·s_k)·v</c>: one half <c>d</c>, a signed integer scale <c>s_k</c> per
/// sub-block and a signed integer value <c>v</c> per element (Q3_K, Q6_K, IQ4_XS). Dotted with Q8_K activations
/// as <c>d·d_a·Σ_k s_k·Σ v·q_a</c>. A format supplies its packing and the value grid its quantizer searches.
/// </summary>
internal abstract class ScaledSuperBlockFormat : BlockQuantFormat
{
    private readonly int _subSize;
    private readonly int _scaleMin;
    private readonly int _scaleMax;
    private readonly int _d;
    private readonly SuperBlockScales.ScaleError _scaleError; // one delegate, not one per block

    /// <param name="type">The format.</param>
    /// <param name="subSize">Elements per sub-block (16 or 32).</param>
    /// <param name="scaleMin">Smallest stored sub-block scale (negative).</param>
    /// <param name="scaleMax">Largest stored sub-block scale.</param>
    /// <param name="d">Byte offset of the half <c>d</c>.</param>
    protected ScaledSuperBlockFormat(GgmlType type, int subSize, int scaleMin, int scaleMax, int d)
        : base(type, GgmlType.Q8_K)
    {
        _subSize = subSize;
        _scaleMin = scaleMin;
        _scaleMax = scaleMax;
        _d = d;
        _scaleError = ScaleError;
    }

    protected sealed override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        Span<sbyte> v = stackalloc sbyte[256];
        UnpackValues(block, v);
        float d = Fp16.Read(block, _d);
        for (int k = 0; k < 256 / _subSize; k++)
        {
            float dl = d * Scale(block, k);
            for (int e = k * _subSize; e < (k + 1) * _subSize; e++)
            {
                y[e] = dl * v[e];
            }
        }
    }

    /// <summary>
    /// Per sub-block least-squares scale (<see cref="FitScale"/>), stored as integer multiples of d
    /// (<see cref="SuperBlockScales.Signed"/>), then nearest values against the stored scales.
    /// </summary>
    protected sealed override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        int count = 256 / _subSize;
        Span<float> fitted = stackalloc float[count];
        Span<int> scales = stackalloc int[count];
        for (int k = 0; k < count; k++)
        {
            fitted[k] = FitScale(x.Slice(k * _subSize, _subSize));
        }
        var d = SuperBlockScales.Signed(x, fitted, _scaleMin, _scaleMax, _scaleError, scales);
        Span<byte> codes = stackalloc byte[256];
        for (int k = 0; k < count; k++)
        {
            float dl = (float)d * scales[k];
            float inv = dl != 0 ? 1 / dl : 0;
            for (int e = k * _subSize; e < (k + 1) * _subSize; e++)
            {
                codes[e] = Encode(x[e] * inv);
            }
        }
        block.Clear();
        Fp16.Write(block, _d, d);
        Pack(scales, codes, block);
    }

    protected sealed override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        Span<sbyte> v = stackalloc sbyte[256];
        UnpackValues(weights, v);
        var qa = Q8KFormat.Codes(activations);
        int isum = 0;
        for (int k = 0; k < 256 / _subSize; k++)
        {
            int sum = 0;
            for (int e = k * _subSize; e < (k + 1) * _subSize; e++)
            {
                sum += v[e] * qa[e];
            }
            isum += Scale(weights, k) * sum;
        }
        return Fp16.Read(weights, _d) * Q8KFormat.Scale(activations) * isum;
    }

    /// <summary>The 256 signed values of a block, in element order.</summary>
    protected abstract void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values);

    /// <summary>The stored scale of sub-block <paramref name="k"/>.</summary>
    protected abstract int Scale(ReadOnlySpan<byte> block, int k);

    /// <summary>The least-squares scale of one sub-block for this format's values.</summary>
    protected abstract float FitScale(ReadOnlySpan<float> x);

    /// <summary>Squared error of a sub-block coded with <paramref name="scale"/>.</summary>
    protected abstract float ScaleError(ReadOnlySpan<float> x, float scale);

    /// <summary>The stored code of the value nearest to <paramref name="v"/> (an element divided by its scale).</summary>
    protected abstract byte Encode(float v);

    /// <summary>Writes the sub-block scales and the 256 codes into a zeroed block.</summary>
    protected abstract void Pack(ReadOnlySpan<int> scales, ReadOnlySpan<byte> codes, Span<byte> block);
}
