using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization;

/// <summary>
/// Code packing of the 32-element formats: byte j of <c>qs[16]</c> holds element j in its low nibble and
/// element j + 16 in its high nibble; Q5_0/Q5_1 add a fifth bit per element, bit j of a little-endian u32.
/// </summary>
internal static class LegacyCodes
{
    /// <summary>Unpacks 16 bytes of nibbles into 32 codes (0..15).</summary>
    public static void UnpackNibbles(ReadOnlySpan<byte> qs, Span<byte> codes)
    {
        for (int j = 0; j < 16; j++)
        {
            codes[j] = (byte)(qs[j] & 0xF);
            codes[j + 16] = (byte)(qs[j] >> 4);
        }
    }

    /// <summary>Packs the low four bits of 32 codes into 16 bytes.</summary>
    public static void PackNibbles(ReadOnlySpan<byte> codes, Span<byte> qs)
    {
        for (int j = 0; j < 16; j++)
        {
            qs[j] = (byte)((codes[j] & 0xF) | ((codes[j + 16] & 0xF) << 4));
        }
    }

    /// <summary>Unpacks 5-bit codes (0..31): nibbles from <paramref name="qs"/>, fifth bits from <paramref name="qh"/>.</summary>
    public static void UnpackFiveBits(ReadOnlySpan<byte> qh, ReadOnlySpan<byte> qs, Span<byte> codes)
    {
        UnpackNibbles(qs, codes);
        uint high = BinaryPrimitives.ReadUInt32LittleEndian(qh);
        for (int j = 0; j < 32; j++)
        {
            codes[j] |= (byte)(((high >> j) & 1) << 4);
        }
    }

    /// <summary>Packs 32 codes (0..31) into <paramref name="qh"/> (4 bytes) and <paramref name="qs"/> (16 bytes).</summary>
    public static void PackFiveBits(ReadOnlySpan<byte> codes, Span<byte> qh, Span<byte> qs)
    {
        PackNibbles(codes, qs);
        uint high = 0;
        for (int j = 0; j < 32; j++)
        {
            high |= (uint)(codes[j] >> 4) << j;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(qh, high);
    }

    /// <summary>
    /// The SIMD form of <see cref="UnpackNibbles"/>: the 16 bytes at <paramref name="qs"/> give codes 0..15
    /// (low nibbles, returned) and 16..31 (high nibbles, in <paramref name="high"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Nibbles(ref byte qs, out Vector128<byte> high)
    {
        var packed = Vector128.LoadUnsafe(ref qs);
        high = Vector128.ShiftRightLogical(packed, 4);
        return packed & Vector128.Create((byte)0x0F);
    }

    /// <summary>
    /// The SIMD form of the fifth bits in <see cref="UnpackFiveBits"/>: 0x10 in byte j where bit j of the
    /// little-endian u32 at <paramref name="qh"/> is set, for elements 0..15 (returned) and 16..31
    /// (<paramref name="high"/>). Each qh byte is spread over the eight bytes it covers, masked with that byte's
    /// bit and compared against it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FifthBits(ref byte qh, out Vector128<byte> high)
    {
        var bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref qh)).AsByte();
        var bit = Vector128.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
        var sixteen = Vector128.Create((byte)0x10);
        var low = Vector128.Shuffle(bytes, Vector128.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));
        var upper = Vector128.Shuffle(bytes, Vector128.Create((byte)2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
        high = Vector128.Equals(upper & bit, bit) & sixteen;
        return Vector128.Equals(low & bit, bit) & sixteen;
    }

    /// <summary>
    /// <see cref="Nibbles"/> into one ymm register (AVX2 paths): the 16 packed bytes in the low lane, the same
    /// bytes shifted down a nibble in the high lane, then masked, so byte j holds code j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Nibbles256(ref byte qs)
    {
        var packed = Vector128.LoadUnsafe(ref qs);
        return packed.ToVector256Unsafe().WithUpper(Vector128.ShiftRightLogical(packed.AsUInt16(), 4).AsByte()) & Vector256.Create((byte)0x0F);
    }

    /// <summary>
    /// <see cref="FifthBits"/> into one ymm register (AVX2 paths): the u32 broadcast to every lane, one in-lane byte
    /// shuffle puts qh byte j / 8 in byte j, then the bit test as before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> FifthBits256(ref byte qh)
    {
        var bytes = Vector256.Create(Unsafe.ReadUnaligned<uint>(ref qh)).AsByte();
        var spread = Avx2.Shuffle(bytes, Vector256.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
        var bit = Vector256.Create(0x8040201008040201ul).AsByte();
        return Vector256.Equals(spread & bit, bit) & Vector256.Create((byte)0x10);
    }

    /// <summary>
    /// <see cref="Nibbles256"/> of two blocks <paramref name="stride"/> bytes apart into one zmm register (AVX-512):
    /// both blocks' packed bytes and the same shifted down a nibble, 128-bit lanes put in element order, one mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> NibblePair512(ref byte qs, int stride)
    {
        if (Avx512Vbmi.IsSupported)
        {
            // Each block's 16 bytes in two 128-bit lanes, then one multishift takes every code's four bits from its qword
            // (one core, cached, 16,384 values: Q4_0 23.4 → 23.9–24.2 GB/s, Q5_0 24.3–24.5 → 24.6–24.9).
            var twice = Vector256.Create(Vector128.LoadUnsafe(ref qs)).ToVector512Unsafe().WithUpper(Vector256.Create(Vector128.LoadUnsafe(ref Unsafe.Add(ref qs, stride))));
            return Avx512Vbmi.MultiShift(NibbleOffsets, twice.AsUInt64()) & Vector512.Create((byte)0x0F);
        }
        var packed = Vector128.LoadUnsafe(ref qs).ToVector256Unsafe().WithUpper(Vector128.LoadUnsafe(ref Unsafe.Add(ref qs, stride)));
        var both = packed.ToVector512Unsafe().WithUpper(Vector256.ShiftRightLogical(packed.AsUInt16(), 4).AsByte());
        // Lanes [b low, b+1 low, b high, b+1 high] to [b low, b high, b+1 low, b+1 high].
        return Avx512F.Shuffle4x128(both.AsUInt64(), both.AsUInt64(), 0b11_01_10_00).AsByte() & Vector512.Create((byte)0x0F);
    }

    /// <summary>
    /// <see cref="FifthBits256"/> of two blocks <paramref name="stride"/> bytes apart into one zmm register (AVX-512):
    /// both u32 in one broadcast u64. With AVX-512 VBMI one <c>vpmultishiftqb</c> hands byte j the eight bits of the
    /// u64 from bit j − 4 (wrapping), so bit j lands on the byte's bit 4 and one mask finishes: one core, cached, one
    /// row of 16,384 values, Q5_0 20.3–20.7 → 24.3–24.5 GB/s (21.3 with VBMI switched off) against the shuffle,
    /// compare and mask. Without VBMI byte j takes u64 byte j / 8 with one in-lane shuffle and tests its bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> FifthBitPair512(ref byte qh, int stride)
    {
        ulong both = Unsafe.ReadUnaligned<uint>(ref qh) | (ulong)Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref qh, stride)) << 32;
        if (Avx512Vbmi.IsSupported)
        {
            return Avx512Vbmi.MultiShift(FifthBitOffsets, Vector512.Create(both)) & Vector512.Create((byte)0x10);
        }
        var spread = Avx512BW.Shuffle(Vector512.Create(both).AsByte(), Vector512.Create(
            (byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
            4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7));
        var bit = Vector512.Create(0x8040201008040201ul).AsByte();
        return Vector512.Equals(spread & bit, bit) & Vector512.Create((byte)0x10);
    }

    /// <summary>
    /// The bit offsets of <see cref="NibblePair512"/>'s multishift over the lanes [b, b, b + 1, b + 1]: byte k of a
    /// qword starts at bit 8k in the first copy of a block (low nibbles) and at 8k + 4 in the second (high nibbles).
    /// </summary>
    private static Vector512<byte> NibbleOffsets
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(
            (byte)0, 8, 16, 24, 32, 40, 48, 56, 0, 8, 16, 24, 32, 40, 48, 56, 4, 12, 20, 28, 36, 44, 52, 60, 4, 12, 20, 28, 36, 44, 52, 60,
            0, 8, 16, 24, 32, 40, 48, 56, 0, 8, 16, 24, 32, 40, 48, 56, 4, 12, 20, 28, 36, 44, 52, 60, 4, 12, 20, 28, 36, 44, 52, 60);
    }

    /// <summary>The bit offsets of <see cref="FifthBitPair512"/>'s multishift: byte j starts at bit (j − 4) mod 64.</summary>
    private static Vector512<byte> FifthBitOffsets
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(
            (byte)60, 61, 62, 63, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
            28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59);
    }
}
