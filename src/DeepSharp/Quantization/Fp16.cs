using System.Buffers.Binary;

namespace DeepSharp.Quantization;

/// <summary>IEEE binary16 ("half") scalars as stored in blocks, through <see cref="Half"/> (round to nearest even).</summary>
public static class Fp16
{
    /// <summary>The half bit pattern widened to float (exact).</summary>
    public static float ToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>The half nearest to <paramref name="value"/> (ties to even; overflow gives infinity).</summary>
    public static ushort FromSingle(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>Reads the little-endian half at <paramref name="offset"/>, widened to float.</summary>
    public static float Read(ReadOnlySpan<byte> bytes, int offset) =>
        (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.Slice(offset, 2));

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
