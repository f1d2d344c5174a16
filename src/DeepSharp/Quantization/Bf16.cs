using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization;

/// <summary>bfloat16 scalars: the upper 16 bits of an IEEE single.</summary>
public static class Bf16
{
    /// <summary>The bf16 bit pattern widened to float (exact).</summary>
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>
    /// <paramref name="value"/> rounded to bf16 as ggml does: to nearest even, subnormals kept, overflow to
    /// infinity, and a NaN stays a NaN with its quiet bit set.
    /// </summary>
    public static ushort FromSingle(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if ((u & 0x7fffffff) > 0x7f800000)
        {
            return (ushort)((u >> 16) | 0x40);
        }
        // Adding 0x7fff plus the lowest kept bit rounds to nearest with ties to even.
        return (ushort)((u + 0x7fff + ((u >> 16) & 1)) >> 16);
    }

    /// <summary>
    /// <see cref="ToSingle"/> over a run: each 16-bit pattern is zero-extended to 32 bits (the vector widen) and
    /// shifted into the upper half; 16 elements per 256-bit step, 8 per 128-bit step, then one at a time.
    /// </summary>
    /// <param name="bits">The bf16 patterns.</param>
    /// <param name="destination">At least as long as <paramref name="bits"/>.</param>
    internal static void Widen(ReadOnlySpan<ushort> bits, Span<float> destination)
    {
        ref ushort source = ref MemoryMarshal.GetReference(bits);
        ref uint target = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination[..bits.Length]));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= bits.Length; i += 16)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
                (lower << 16).StoreUnsafe(ref target, (nuint)i);
                (upper << 16).StoreUnsafe(ref target, (nuint)(i + 8));
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 8 <= bits.Length; i += 8)
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref source, (nuint)i));
                (lower << 16).StoreUnsafe(ref target, (nuint)i);
                (upper << 16).StoreUnsafe(ref target, (nuint)(i + 4));
            }
        }
        for (; i < bits.Length; i++)
        {
            Unsafe.Add(ref target, i) = (uint)Unsafe.Add(ref source, i) << 16;
        }
    }
}
