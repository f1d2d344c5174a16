using System.Buffers.Binary;
using System.Runtime.CompilerServices;

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
            // Infinity and NaN: all-ones exponent, mantissa (NaN payload) carried over.
            widened = (magnitude << 13) | 0x7F800000;
        }
        return BitConverter.UInt32BitsToSingle(widened | ((uint)(bits & 0x8000) << 16));
    }

    /// <summary>The half nearest to <paramref name="value"/> (ties to even; overflow gives infinity).</summary>
    public static ushort FromSingle(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>Reads the little-endian half at <paramref name="offset"/>, widened to float.</summary>
    public static float Read(ReadOnlySpan<byte> bytes, int offset) =>
        ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(offset, 2)));

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
