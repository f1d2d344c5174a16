using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q2_K: 256 elements as <c>u8 scales[16]; u8 qs[64]; half d; half dmin</c>. Sixteen sub-blocks of 16 consecutive
/// elements; scales byte k holds the 4-bit scale (low nibble) and 4-bit minimum (high nibble) of sub-block k.
/// Element <c>128h + 32j + l</c> (h = 0..1, j = 0..3, l = 0..31) is bits 2j..2j+1 of <c>qs[32h + l]</c>;
/// <c>y = (d·sc)·q − dmin·m</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q2KFormat : AffineSuperBlockFormat
{
    private const int Qs = 16;

    private Q2KFormat()
        : base(GgmlType.Q2_K, subSize: 16, maxCode: 3, scaleLevels: 15, d: 80, dmin: 82)
    {
    }

    public static Q2KFormat Instance { get; } = new();

    protected override void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes)
    {
        for (int e = 0; e < 256; e++)
        {
            codes[e] = (byte)((block[Qs + 32 * (e >> 7) + (e & 31)] >> (2 * ((e >> 5) & 3))) & 3);
        }
    }

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block)
    {
        for (int e = 0; e < 256; e++)
        {
            block[Qs + 32 * (e >> 7) + (e & 31)] |= (byte)(codes[e] << (2 * ((e >> 5) & 3)));
        }
    }

    protected override (int Scale, int Min) ScaleMin(ReadOnlySpan<byte> block, int k) => (block[k] & 0xF, block[k] >> 4);

    protected override void PackScales(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> mins, Span<byte> block)
    {
        for (int k = 0; k < 16; k++)
        {
            block[k] = (byte)(scales[k] | (mins[k] << 4));
        }
    }

    private protected override TileKernel? SimdKernel(KernelPath path) => SuperBlockKernels<Decoder>.For(path);

    /// <summary>SIMD decoding: 2-bit codes from <c>qs</c>; scale and min nibbles per 16-element group.</summary>
    internal readonly struct Decoder : ISuperBlock<Decoder>
    {
        public static int Bytes => 84;

        public static SuperBlockKind Kind => SuperBlockKind.Affine;

        public static int OffsetShift => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> FloatScales(ref byte block) => Fp16.ReadPair(ref block, 80);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint ScaleHalves(ref byte block) => Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, 80));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<sbyte> GroupScales(ref byte block, out Vector128<byte> mins)
        {
            var packed = Vector128.LoadUnsafe(ref block);
            mins = Vector128.ShiftRightLogical(packed, 4);
            return (packed & Vector128.Create((byte)0x0F)).AsSByte();
        }

        /// <summary>Chunk c = 4h + j: bits 2j..2j+1 of <c>qs[32h ..]</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Codes256(ref byte block, int pair, out Vector256<byte> odd)
        {
            int half = pair >> 1, shift = 4 * (pair & 1);
            var two = Vector256.Create((byte)0x03);
            var packed = Vector256.LoadUnsafe(ref block, (nuint)(Qs + 32 * half));
            odd = Vector256.ShiftRightLogical(packed, shift + 2) & two;
            return Vector256.ShiftRightLogical(packed, shift) & two;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Codes128(ref byte block, int chunk, out Vector128<byte> high)
        {
            nuint offset = (nuint)(Qs + 32 * (chunk >> 2));
            int shift = 2 * (chunk & 3);
            var two = Vector128.Create((byte)0x03);
            high = Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, offset + 16), shift) & two;
            return Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, offset), shift) & two;
        }
    }
}
