using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// The eight 6-bit (scale, min) pairs of a Q4_K or Q5_K block, packed in 12 bytes <c>q</c>: for k &lt; 4 the scale
/// is the low six bits of <c>q[k]</c> and the min those of <c>q[k + 4]</c>; for k ≥ 4 the low four bits sit in the
/// low (scale) and high (min) nibble of <c>q[k + 4]</c> and the top two bits in the top bits of <c>q[k − 4]</c>
/// (scale) and <c>q[k]</c> (min).
/// </summary>
internal static class Q4KScales
{
    /// <summary>Scale and min of sub-block <paramref name="k"/> (0..7), each 0..63.</summary>
    public static (int Scale, int Min) Get(ReadOnlySpan<byte> q, int k)
    {
        if (k < 4)
        {
            return (q[k] & 63, q[k + 4] & 63);
        }
        return ((q[k + 4] & 0xF) | ((q[k - 4] >> 6) << 4), (q[k + 4] >> 4) | ((q[k] >> 6) << 4));
    }

    /// <summary>Packs eight scales and mins (0..63) into <paramref name="q"/>.</summary>
    public static void Set(Span<byte> q, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> mins)
    {
        for (int k = 0; k < 4; k++)
        {
            q[k] = (byte)(scales[k] | ((scales[k + 4] >> 4) << 6));
            q[k + 4] = (byte)(mins[k] | ((mins[k + 4] >> 4) << 6));
            q[k + 8] = (byte)((scales[k + 4] & 0xF) | ((mins[k + 4] & 0xF) << 4));
        }
    }

    /// <summary>
    /// For the SIMD kernels: the scale and min of each 16-element group (group g belongs to sub-block g / 2), as
    /// bytes, computed with word operations on the three little-endian words <c>a, b, c</c> of <paramref name="q"/>:
    /// sub-blocks 0..3 are the low six bits of <c>a</c> (scales) and <c>b</c> (mins); sub-blocks 4..7 take their
    /// low nibbles from <c>c</c> and their top two bits from the tops of <c>a</c> and <c>b</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<sbyte> GroupScales(ref byte q, out Vector128<byte> mins)
    {
        ulong scales = SubBlockScales(ref q, out ulong subBlockMins);
        mins = SuperBlock.PerGroup(subBlockMins);
        return SuperBlock.PerGroup(scales).AsSByte();
    }

    /// <summary>
    /// The eight scales (byte k of the result for sub-block k) and the eight mins (<paramref name="mins"/>, the same
    /// way), computed with word operations as <see cref="GroupScales"/> describes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SubBlockScales(ref byte q, out ulong mins)
    {
        uint a = Unsafe.ReadUnaligned<uint>(ref q);
        uint b = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref q, 4));
        uint c = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref q, 8));
        uint scaleHigh = (c & 0x0F0F0F0F) | ((a >> 2) & 0x30303030);
        uint minHigh = ((c >> 4) & 0x0F0F0F0F) | ((b >> 2) & 0x30303030);
        mins = (b & 0x3F3F3F3F) | ((ulong)minHigh << 32);
        return (a & 0x3F3F3F3F) | ((ulong)scaleHigh << 32);
    }
}
