namespace DeepSharp.Quantization;

/// <summary>
/// Block geometry of every ggml type that may appear in a GGUF file, whether or not DeepSharp
/// can compute with it. The reader needs the geometry to validate sizes even for types it will refuse.
/// </summary>
/// <param name="Type">The ggml type.</param>
/// <param name="BlockSize">Elements per block.</param>
/// <param name="BlockBytes">Bytes per block.</param>
public readonly record struct GgmlTypeInfo(GgmlType Type, int BlockSize, int BlockBytes)
{
    private static readonly Dictionary<GgmlType, GgmlTypeInfo> s_known = new()
    {
        [GgmlType.F32] = new(GgmlType.F32, 1, 4),
        [GgmlType.F16] = new(GgmlType.F16, 1, 2),
        [GgmlType.Q4_0] = new(GgmlType.Q4_0, 32, 18),
        [GgmlType.Q4_1] = new(GgmlType.Q4_1, 32, 20),
        [GgmlType.Q5_0] = new(GgmlType.Q5_0, 32, 22),
        [GgmlType.Q5_1] = new(GgmlType.Q5_1, 32, 24),
        [GgmlType.Q8_0] = new(GgmlType.Q8_0, 32, 34),
        [GgmlType.Q8_1] = new(GgmlType.Q8_1, 32, 36),
        [GgmlType.Q2_K] = new(GgmlType.Q2_K, 256, 84),
        [GgmlType.Q3_K] = new(GgmlType.Q3_K, 256, 110),
        [GgmlType.Q4_K] = new(GgmlType.Q4_K, 256, 144),
        [GgmlType.Q5_K] = new(GgmlType.Q5_K, 256, 176),
        [GgmlType.Q6_K] = new(GgmlType.Q6_K, 256, 210),
        [GgmlType.Q8_K] = new(GgmlType.Q8_K, 256, 292),
        [GgmlType.IQ2_XXS] = new(GgmlType.IQ2_XXS, 256, 66),
        [GgmlType.IQ2_XS] = new(GgmlType.IQ2_XS, 256, 74),
        [GgmlType.IQ3_XXS] = new(GgmlType.IQ3_XXS, 256, 98),
        [GgmlType.IQ1_S] = new(GgmlType.IQ1_S, 256, 50),
        [GgmlType.IQ4_NL] = new(GgmlType.IQ4_NL, 32, 18),
        [GgmlType.IQ3_S] = new(GgmlType.IQ3_S, 256, 110),
        [GgmlType.IQ2_S] = new(GgmlType.IQ2_S, 256, 82),
        [GgmlType.IQ4_XS] = new(GgmlType.IQ4_XS, 256, 136),
        [GgmlType.I8] = new(GgmlType.I8, 1, 1),
        [GgmlType.I16] = new(GgmlType.I16, 1, 2),
        [GgmlType.I32] = new(GgmlType.I32, 1, 4),
        [GgmlType.I64] = new(GgmlType.I64, 1, 8),
        [GgmlType.F64] = new(GgmlType.F64, 1, 8),
        [GgmlType.IQ1_M] = new(GgmlType.IQ1_M, 256, 56),
        [GgmlType.BF16] = new(GgmlType.BF16, 1, 2),
        [GgmlType.TQ1_0] = new(GgmlType.TQ1_0, 256, 54),
        [GgmlType.TQ2_0] = new(GgmlType.TQ2_0, 256, 66),
        [GgmlType.MXFP4] = new(GgmlType.MXFP4, 32, 17),
    };

    /// <summary>Looks up the geometry of a type id read from a file.</summary>
    /// <returns>False when the id names no ggml type that a GGUF file may hold.</returns>
    public static bool TryGet(GgmlType type, out GgmlTypeInfo info) => s_known.TryGetValue(type, out info);

    /// <summary>The geometry of a known type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The type id is not a known ggml type.</exception>
    public static GgmlTypeInfo Get(GgmlType type) =>
        s_known.TryGetValue(type, out var info)
            ? info
            : throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type id");

    /// <summary>Bytes taken by one row of <paramref name="elements"/> elements (a whole number of blocks).</summary>
    public long RowBytes(long elements) => elements / BlockSize * BlockBytes;
}
