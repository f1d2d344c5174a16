namespace DeepSharp.Quantization;

/// <summary>
/// One tensor element format: its block geometry, a decoder, a reference encoder and the dot product
/// llama.cpp's CPU backend computes between a weight row of this type and an activation row already
/// converted to <see cref="DotType"/>.
/// </summary>
/// <remarks>
/// All spans are rows of whole blocks, and every length must match exactly; a mismatch throws an
/// <see cref="ArgumentException"/> that names the format and both sizes. Activations must come from the
/// activation quantizers (<see cref="QuantFormats.QuantizeActivations"/>): the SIMD paths rely on Q8 codes in
/// −127..127 and on the Q8_K group sums (<c>bsums</c>) being the sums of the codes.
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
    /// <see cref="DotType"/>, computed as llama.cpp's CPU kernels do: integer products of codes per block, scaled
    /// by the block scales, on the <see cref="KernelPaths.Active"/> path. The paths agree on every integer sum;
    /// K-quants and IQ4_XS give the scalar reference's float bit for bit on the 128-bit path; their AVX2 and
    /// AVX-512 kernels, the other formats and the float types add their floats in another order (see
    /// docs/QUANTIZATION.md).
    /// </summary>
    /// <param name="weights">Exactly <c>count / BlockSize</c> blocks of this format.</param>
    /// <param name="activations">Exactly the bytes of <paramref name="count"/> elements in <see cref="DotType"/>.</param>
    /// <param name="count">Elements; a multiple of <see cref="BlockSize"/>.</param>
    float Dot(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count);

    /// <summary>
    /// A matrix-vector product: <c>destination[r] = Dot(weight row r, activations)</c> for
    /// <paramref name="rowCount"/> weight rows, on the <see cref="KernelPaths.Active"/> path.
    /// </summary>
    /// <param name="weightRows">The weight rows; row r starts at byte <c>r·rowBytes</c>.</param>
    /// <param name="rowBytes">Bytes from one row's start to the next's; at least the bytes of <paramref name="count"/> elements.</param>
    /// <param name="rowCount">Weight rows to dot.</param>
    /// <param name="activations">One activation row: exactly the bytes of <paramref name="count"/> elements in <see cref="DotType"/>.</param>
    /// <param name="count">Elements per row; a multiple of <see cref="BlockSize"/>.</param>
    /// <param name="destination">Exactly <paramref name="rowCount"/> results.</param>
    void DotRows(ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int count, Span<float> destination);

    /// <summary>
    /// A tile of a matrix product (prefill): <c>destination[t·destinationStride + r] = Dot(weight row r,
    /// activation row t)</c> for <paramref name="rowCount"/> weight rows and <paramref name="activationCount"/>
    /// activation rows. Each weight block is decoded once for several activation rows, so this is faster than
    /// <see cref="DotRows"/> once per activation row. Results equal <see cref="Dot"/> bit for bit.
    /// </summary>
    /// <param name="weightRows">The weight rows; row r starts at byte <c>r·rowBytes</c>.</param>
    /// <param name="rowBytes">Bytes from one row's start to the next's; at least the bytes of <paramref name="count"/> elements.</param>
    /// <param name="rowCount">Weight rows to dot.</param>
    /// <param name="activations">
    /// <paramref name="activationCount"/> activation rows in <see cref="DotType"/>, back to back, each exactly the
    /// bytes of <paramref name="count"/> elements.
    /// </param>
    /// <param name="activationCount">Activation rows to dot.</param>
    /// <param name="count">Elements per row; a multiple of <see cref="BlockSize"/>.</param>
    /// <param name="destination">Room for <c>(activationCount − 1)·destinationStride + rowCount</c> results.</param>
    /// <param name="destinationStride">Distance between the results of consecutive activation rows; at least <paramref name="rowCount"/>.</param>
    void DotTile(
        ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int activationCount, int count,
        Span<float> destination, int destinationStride);
}
