namespace DeepSharp.Quantization;

/// <summary>
/// The instruction sets a dot-product kernel can be written for, from the plain reference up. Every format keeps
/// its <see cref="Scalar"/> reference; the others are faster routes to the same integer sums.
/// </summary>
public enum KernelPath
{
    /// <summary>The scalar reference kernels: one block at a time, exactly as the format is documented.</summary>
    Scalar,

    /// <summary>Portable 128-bit vectors (<c>Vector128</c>): SSE4 on x86 without AVX2, NEON on Arm.</summary>
    Vector128,

    /// <summary>256-bit AVX2: byte products through <c>vpmaddubsw</c> + <c>vpmaddwd</c>.</summary>
    Avx2,

    /// <summary>256-bit AVX-VNNI: byte products summed by four through <c>vpdpbusd</c>.</summary>
    AvxVnni,

    /// <summary>512-bit AVX-512BW (<c>vpmaddubsw</c>/<c>vpmaddwd</c> on zmm registers).</summary>
    Avx512,
}
