using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization;

/// <summary>IEEE binary16 ("half") scalars as stored in blocks, through <see cref="Half"/> (round to nearest even).</summary>
public static class Fp16
{
    /// <summary>2^(127 − 15) as a float: rescales a half's exponent field, moved into a float, to a float exponent.</summary>
    private const uint ExponentRebias = 0x77800000;

    /// <summary>
    /// The half bit pattern widened to float (exact). Equal to <c>(float)Half</c> for all 65 536 patterns, but
    /// without its branches: the runtime's conversion costs a few nanoseconds, and every quantized block reads one
    /// or two halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits)
    {
        // Exponent and mantissa shifted into a float's fields read as 2^-112 times the half's value, for normal
        // and subnormal halves alike (a subnormal half lands on a subnormal float); one exact multiply rescales.
        uint magnitude = bits & 0x7FFFu;
        uint widened = BitConverter.SingleToUInt32Bits(
            BitConverter.UInt32BitsToSingle(magnitude << 13) * BitConverter.UInt32BitsToSingle(ExponentRebias));
        if (magnitude >= 0x7C00)
        {
            // Infinity and NaN: all-ones exponent, mantissa (NaN payload) carried over; a NaN comes out quiet, as
            // the runtime's conversion makes it.
            widened = (magnitude << 13) | (magnitude > 0x7C00 ? 0x7FC00000u : 0x7F800000u);
        }
        return BitConverter.UInt32BitsToSingle(widened | ((uint)(bits & 0x8000) << 16));
    }

    /// <summary>
    /// <see cref="ToSingle(ushort)"/> over a run, with the same bit trick lane by lane (<see cref="ToSingle(Vector512{uint})"/>
    /// and its narrower forms): 16 halves per 512-bit step, 8 per 256-bit step, 4 per 128-bit step, then one at a time.
    /// A 128-value row (an attention cache row) widens in 9.9 ns, against 12.7 ns for
    /// <c>TensorPrimitives.ConvertToSingle</c> and 19.6 ns for the 256-bit steps with a select for infinity and NaN.
    /// </summary>
    /// <param name="bits">The half patterns.</param>
    /// <param name="destination">At least as long as <paramref name="bits"/>.</param>
    internal static void Widen(ReadOnlySpan<ushort> bits, Span<float> destination)
    {
        ref ushort source = ref MemoryMarshal.GetReference(bits);
        ref uint target = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination[..bits.Length]));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= bits.Length; i += 16)
            {
                ToSingle(Vector512.WidenLower(Vector256.LoadUnsafe(ref source, (nuint)i).ToVector512Unsafe())).AsUInt32().StoreUnsafe(ref target, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= bits.Length; i += 8)
            {
                ToSingle(Vector256.WidenLower(Vector128.LoadUnsafe(ref source, (nuint)i).ToVector256Unsafe())).AsUInt32().StoreUnsafe(ref target, (nuint)i);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 4 <= bits.Length; i += 4)
            {
                var h = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref source, i)))).AsUInt16());
                ToSingle(h).AsUInt32().StoreUnsafe(ref target, (nuint)i);
            }
        }
        for (; i < bits.Length; i++)
        {
            Unsafe.Add(ref target, i) = BitConverter.SingleToUInt32Bits(ToSingle(Unsafe.Add(ref source, i)));
        }
    }

    /// <summary>The halves at <paramref name="offset"/> and <paramref name="offset"/> + 2 of a block, widened into lanes 0 and 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ReadPair(ref byte block, int offset) => WidenFour(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, offset)));

    /// <summary>
    /// The halves at <paramref name="offset"/> of two blocks <paramref name="stride"/> bytes apart, widened into lanes 0
    /// and 1: the scales of two consecutive blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ReadPair(ref byte first, int offset, int stride)
    {
        ref byte at = ref Unsafe.Add(ref first, offset);
        uint halves = Unsafe.ReadUnaligned<ushort>(ref at) | (uint)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref at, stride)) << 16;
        return WidenFour(halves);
    }

    /// <summary>
    /// The halves at offsets 0 and 2 of two blocks <paramref name="stride"/> bytes apart, widened into lanes 0..3: the
    /// <c>d</c> and <c>dmin</c> of two consecutive K-quant blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ReadTwoPairs(ref byte first, int stride) =>
        WidenFour(Unsafe.ReadUnaligned<uint>(ref first) | (ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, stride)) << 32);

    /// <summary>The halves at the start of four blocks <paramref name="stride"/> bytes apart, widened into lanes 0..3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ReadFour(ref byte first, int stride)
    {
        ulong halves = Unsafe.ReadUnaligned<ushort>(ref first)
            | (ulong)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, stride)) << 16
            | (ulong)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, 2 * stride)) << 32
            | (ulong)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, 3 * stride)) << 48;
        return WidenFour(halves);
    }

    /// <summary>
    /// Four halves packed in a u64 (lane k in bits 16k..16k + 15) widened into lanes 0..3. A test on the scalar side
    /// sends infinity and NaN to the full conversion (<see cref="ToSingle(Vector128{uint})"/>); finite halves only
    /// need the rescaling. That spares the kernels that read scales per block the four vector operations of the
    /// special cases: one core, cached, one row of 16,384 values, Q8_0 40.7–41.8 → 44.9–45.9 GB/s, Q5_0 18.9–19.1 →
    /// 20.3–20.7; Q4_K unchanged (32.6–33.7 against 32.9–33.0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> WidenFour(ulong halves)
    {
        var h = Vector128.WidenLower(Vector128.CreateScalarUnsafe(halves).AsUInt16());
        // An exponent field of all ones (0x7C00) is the only one that carries into bit 15 of its lane when 0x0400 is added.
        if (((halves & 0x7C007C007C007C00ul) + 0x0400040004000400ul & 0x8000800080008000ul) != 0)
        {
            return ToSingle(h);
        }
        var magnitude = h & Vector128.Create(0x7FFFu);
        var scaled = ((magnitude << 13).AsSingle() * Vector128.Create(BitConverter.UInt32BitsToSingle(ExponentRebias))).AsUInt32();
        return (scaled | ((h ^ magnitude) << 16)).AsSingle();
    }

    /// <summary>
    /// <see cref="ToSingle(ushort)"/> lane by lane, on half patterns zero-extended to 32 bits. Infinity and NaN need no
    /// select: their scaled form already carries the mantissa, and OR-ing in the all-ones exponent (and a NaN's quiet
    /// bit) finishes them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> ToSingle(Vector128<uint> h)
    {
        var magnitude = h & Vector128.Create(0x7FFFu);
        var scaled = ((magnitude << 13).AsSingle() * Vector128.Create(BitConverter.UInt32BitsToSingle(ExponentRebias))).AsUInt32();
        var special = Vector128.GreaterThan(magnitude, Vector128.Create(0x7BFFu)) & Vector128.Create(0x7F800000u);
        var quiet = Vector128.GreaterThan(magnitude, Vector128.Create(0x7C00u)) & Vector128.Create(0x00400000u);
        return (scaled | special | quiet | ((h ^ magnitude) << 16)).AsSingle();
    }

    /// <summary>
    /// <see cref="ToSingle(Vector128{uint})"/> on eight lanes, written out at this width (.NET has no width-generic
    /// vector type to write it once): built from two 128-bit halves, the four-block scales of the K-quant kernel lost
    /// their gain (Q4_K one row 28.1 → 26.5 GB/s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ToSingle(Vector256<uint> h)
    {
        var magnitude = h & Vector256.Create(0x7FFFu);
        var scaled = ((magnitude << 13).AsSingle() * Vector256.Create(BitConverter.UInt32BitsToSingle(ExponentRebias))).AsUInt32();
        var special = Vector256.GreaterThan(magnitude, Vector256.Create(0x7BFFu)) & Vector256.Create(0x7F800000u);
        var quiet = Vector256.GreaterThan(magnitude, Vector256.Create(0x7C00u)) & Vector256.Create(0x00400000u);
        return (scaled | special | quiet | ((h ^ magnitude) << 16)).AsSingle();
    }

    /// <summary><see cref="ToSingle(Vector128{uint})"/> on sixteen lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> ToSingle(Vector512<uint> h)
    {
        var magnitude = h & Vector512.Create(0x7FFFu);
        var scaled = ((magnitude << 13).AsSingle() * Vector512.Create(BitConverter.UInt32BitsToSingle(ExponentRebias))).AsUInt32();
        var special = Vector512.GreaterThan(magnitude, Vector512.Create(0x7BFFu)) & Vector512.Create(0x7F800000u);
        var quiet = Vector512.GreaterThan(magnitude, Vector512.Create(0x7C00u)) & Vector512.Create(0x00400000u);
        return (scaled | special | quiet | ((h ^ magnitude) << 16)).AsSingle();
    }

    /// <summary>
    /// Widens <c>destination.Length</c> halves that lie <paramref name="stride"/> bytes apart, starting at
    /// <paramref name="first"/>: the scales of consecutive blocks. Gathered 64 at a time, then <see cref="Widen"/>.
    /// </summary>
    internal static void WidenStrided(ref byte first, nint stride, Span<float> destination)
    {
        Span<ushort> gathered = stackalloc ushort[64];
        for (int start = 0; start < destination.Length; start += gathered.Length)
        {
            int n = Math.Min(gathered.Length, destination.Length - start);
            for (int i = 0; i < n; i++)
            {
                gathered[i] = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, (start + i) * stride));
            }
            Widen(gathered[..n], destination.Slice(start, n));
        }
    }

    /// <summary>The half nearest to <paramref name="value"/> (ties to even; overflow gives infinity).</summary>
    public static ushort FromSingle(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>Reads the little-endian half at <paramref name="offset"/>, widened to float.</summary>
    public static float Read(ReadOnlySpan<byte> bytes, int offset) =>
        ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(offset, 2)));

    /// <summary>The little-endian half <paramref name="offset"/> bytes into a block, widened (for kernels on <c>ref byte</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Read(ref byte block, int offset) => ToSingle(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref block, offset)));

    /// <summary>Stores <paramref name="value"/>, which must already be a half value, at <paramref name="offset"/>.</summary>
    public static void Write(Span<byte> bytes, int offset, Half value) =>
        BinaryPrimitives.WriteHalfLittleEndian(bytes.Slice(offset, 2), value);

    /// <summary>
    /// The half of <paramref name="value"/>'s sign nearest to it whose magnitude is not smaller. Block scales are
    /// rounded this way so that the largest sub-block scale still fits the integer range after rounding.
    /// </summary>
    public static Half AwayFromZero(float value)
    {
        var h = (Half)value;
        if (MathF.Abs((float)h) < MathF.Abs(value))
        {
            h = BitConverter.UInt16BitsToHalf((ushort)(BitConverter.HalfToUInt16Bits(h) + 1));
        }
        return h;
    }
}
