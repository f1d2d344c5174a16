namespace DeepSharp.Quantization;

/// <summary>
/// One tensor element format: its block geometry, a decoder, a reference encoder and the dot product
/// llama.cpp's CPU backend computes between a weight row of this type and an activation row already
/// converted to <see cref="DotType"/>.
/// </summary>
/// <remarks>
/// All spans are rows of whole blocks, and every length must match exactly; a mismatch throws an
/// <see cref="ArgumentException"/> that names the format and both sizes.
/// </remarks>
public interface IQuantFormat
{
    /// <summary>The ggml type of the stored data.</summary>
    GgmlType Type { get; }

    /// <summary>Elements per block.</summary>
    int BlockSize { get; }

    /// <summary>Bytes per block.</summary>
    int BlockBytes { get; }

    /// <summary>
    /// The format activations are converted to before the dot product (llama.cpp's <c>vec_dot_type</c>):
    /// F32, F16 and BF16 pair with themselves, the 32-element formats with Q8_0 or Q8_1, K-quants and
    /// IQ4_XS with Q8_K.
    /// </summary>
    GgmlType DotType { get; }

    /// <summary>Decodes <c>destination.Length</c> elements from <paramref name="blocks"/>.</summary>
    /// <param name="blocks">Exactly <c>destination.Length / BlockSize</c> blocks.</param>
    /// <param name="destination">The decoded elements; a multiple of <see cref="BlockSize"/> long.</param>
    void Dequantize(ReadOnlySpan<byte> blocks, Span<float> destination);

    /// <summary>Encodes <paramref name="source"/> with this format's reference quantizer.</summary>
    /// <param name="source">Elements to encode; a multiple of <see cref="BlockSize"/> long.</param>
    /// <param name="destination">Exactly <c>source.Length / BlockSize</c> blocks.</param>
    void Quantize(ReadOnlySpan<float> source, Span<byte> destination);

    /// <summary>
    /// The dot product of <paramref name="count"/> elements of a weight row with an activation row in
    /// <see cref="DotType"/>, computed as llama.cpp's scalar CPU kernel does: integer products of codes per
    /// block, scaled by the block scales.
    /// </summary>
    /// <param name="weights">Exactly <c>count / BlockSize</c> blocks of this format.</param>
    /// <param name="activations">Exactly the bytes of <paramref name="count"/> elements in <see cref="DotType"/>.</param>
    /// <param name="count">Elements; a multiple of <see cref="BlockSize"/>.</param>
    float Dot(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count);
}
