using System.Buffers.Binary;

namespace DeepSharp.Quantization;

/// <summary>The 5-bit codes of Q5_0 and Q5_1: a nibble in <c>qs</c> plus a fifth bit from the 32-bit <c>qh</c>.</summary>
internal static class Q5Bits
{
    /// <summary>The code of element <paramref name="j"/> (0..15): low nibble, high bit j.</summary>
    public static int Low(byte qs, uint qh, int j) => (qs & 0xF) | (int)(((qh >> j) & 1) << 4);

    /// <summary>The code of element <paramref name="j"/> + 16: high nibble, high bit j + 16.</summary>
    public static int High(byte qs, uint qh, int j) => (qs >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);

    /// <summary>Packs 32 codes (0..31) into <paramref name="qh"/> (4 bytes) and <paramref name="qs"/> (16 bytes).</summary>
    public static void Pack(ReadOnlySpan<byte> codes, Span<byte> qh, Span<byte> qs)
    {
        uint high = 0;
        for (int j = 0; j < 16; j++)
        {
            qs[j] = (byte)((codes[j] & 0xF) | ((codes[j + 16] & 0xF) << 4));
            high |= (uint)(codes[j] >> 4) << j;
            high |= (uint)(codes[j + 16] >> 4) << (j + 16);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(qh, high);
    }
}
