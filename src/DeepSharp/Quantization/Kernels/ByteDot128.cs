using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization.Kernels;

/// <summary>The portable 128-bit byte dot product, for the <see cref="KernelPath.Vector128"/> kernels.</summary>
internal static class ByteDot128
{
    /// <summary>
    /// Four int lanes whose total is <c>Σ_{j&lt;16} x[j]·y[j]</c>, exactly. Both operands widen to shorts; each
    /// product (at most 128·128 in magnitude) fits a short, and widening again to ints before adding keeps the sums
    /// exact whatever the bytes. Needs no instruction beyond portable <c>Vector128</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Sums(Vector128<sbyte> x, Vector128<sbyte> y)
    {
        var (x0, x1) = Vector128.Widen(x);
        var (y0, y1) = Vector128.Widen(y);
        var (p0, p1) = Vector128.Widen(x0 * y0);
        var (p2, p3) = Vector128.Widen(x1 * y1);
        return (p0 + p1) + (p2 + p3);
    }
}
