using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization;

/// <summary>The 16 non-uniform levels shared by IQ4_NL and IQ4_XS (ggml's <c>kvalues_iq4nl</c>), ascending.</summary>
internal static class Iq4Codebook
{
    /// <summary>The levels; a 4-bit code indexes this table.</summary>
    public static ReadOnlySpan<sbyte> Values => [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

    /// <summary>The levels as a byte-shuffle table: <c>ShuffleNative(Levels, codes)</c> maps 16 codes to their levels at once.</summary>
    public static Vector128<byte> Levels { get; } = Vector128.Create(Values).AsByte();

    /// <summary>The code whose level is nearest to <paramref name="v"/> (ties go to the lower level).</summary>
    public static int Nearest(float v)
    {
        var values = Values;
        if (!(v > values[0]))
        {
            return 0;
        }
        if (v >= values[^1])
        {
            return values.Length - 1;
        }
        int lo = 0, hi = values.Length - 1;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >> 1;
            if (v < values[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
        return v - values[lo] <= values[hi] - v ? lo : hi;
    }
}
