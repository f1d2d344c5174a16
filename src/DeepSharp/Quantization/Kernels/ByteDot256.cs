using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// The 256-bit byte dot product, <c>acc[i] + Σ_{j=4i..4i+3} u[j]·s[j]</c> for the eight int lanes i, with
/// unsigned bytes <c>u</c> and signed bytes <c>s</c>. Two instruction sets provide it.
/// </summary>
internal interface IByteDot256
{
    /// <summary>Adds the sums of four adjacent byte products to each int lane of <paramref name="acc"/>.</summary>
    static abstract Vector256<int> Add(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s);
}

/// <summary>
/// AVX2: <c>vpmaddubsw</c> sums adjacent products into 16 shorts, <c>vpmaddwd</c> against ones sums adjacent
/// shorts into 8 ints. The short sums saturate above 32 767, so callers keep <c>u ≤ 128</c> with
/// <c>|s| ≤ 127</c> (2·128·127 = 32 512), which all codes and quantized activations satisfy.
/// </summary>
internal readonly struct Avx2ByteDot : IByteDot256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s) =>
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), Vector256.Create((short)1)));
}

/// <summary>AVX-VNNI: one <c>vpdpbusd</c> sums four products straight into each int lane, without saturation.</summary>
internal readonly struct VnniByteDot : IByteDot256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Add(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s) =>
        AvxVnni.MultiplyWideningAndAdd(acc, u, s);
}
