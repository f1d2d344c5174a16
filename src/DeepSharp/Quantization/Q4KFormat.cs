using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q4_K: 256 elements as <c>half d; half dmin; u8 scales[12]; u8 qs[128]</c>. Eight sub-blocks of 32 with 6-bit
/// (scale, min) pairs (<see cref="Q4KScales"/>). Chunk c (0..3) uses <c>qs[32c .. 32c + 31]</c>: element
/// <c>64c + l</c> is the low nibble of <c>qs[32c + l]</c> (sub-block 2c), element <c>64c + 32 + l</c> the high
/// nibble (sub-block 2c + 1). <c>y = (d·sc)·q − dmin·m</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q4KFormat : AffineSuperBlockFormat
{
    internal const int Scales = 4;
    internal const int Qs = 16;

    private static readonly TileKernel s_avx512 = Q4KAvx512.Tile;

    private Q4KFormat()
        : base(GgmlType.Q4_K, subSize: 32, maxCode: 15, scaleLevels: 63, d: 0, dmin: 2)
    {
    }

    public static Q4KFormat Instance { get; } = new();

    /// <summary>Unpacks the 128 bytes of chunked nibbles shared by Q4_K and Q5_K into 256 codes (0..15).</summary>
    internal static void UnpackNibbles(ReadOnlySpan<byte> qs, Span<byte> codes)
    {
        for (int c = 0; c < 4; c++)
        {
            for (int l = 0; l < 32; l++)
            {
                codes[64 * c + l] = (byte)(qs[32 * c + l] & 0xF);
                codes[64 * c + 32 + l] = (byte)(qs[32 * c + l] >> 4);
            }
        }
    }

    /// <summary>Packs the low four bits of 256 codes into 128 bytes of chunked nibbles.</summary>
    internal static void PackNibbles(ReadOnlySpan<byte> codes, Span<byte> qs)
    {
        for (int c = 0; c < 4; c++)
        {
            for (int l = 0; l < 32; l++)
            {
                qs[32 * c + l] = (byte)((codes[64 * c + l] & 0xF) | ((codes[64 * c + 32 + l] & 0xF) << 4));
            }
        }
    }

    protected override void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes) => UnpackNibbles(block.Slice(Qs, 128), codes);

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block) => PackNibbles(codes, block.Slice(Qs, 128));

    protected override (int Scale, int Min) ScaleMin(ReadOnlySpan<byte> block, int k) => Q4KScales.Get(block.Slice(Scales, 12), k);

    protected override void PackScales(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> mins, Span<byte> block) =>
        Q4KScales.Set(block.Slice(Scales, 12), scales, mins);

    /// <summary>AVX-512 has a Q4_K kernel of its own (<see cref="Q4KAvx512"/>); the other paths run the generic one.</summary>
    private protected override TileKernel? SimdKernel(KernelPath path) => path == KernelPath.Avx512 ? s_avx512 : SuperBlockKernels<Decoder>.For(path);

    /// <summary>SIMD decoding: codes are the nibbles of the chunked <c>qs</c>; scales and mins per group.</summary>
    internal readonly struct Decoder : ISuperBlock<Decoder>
    {
        public static int Bytes => 144;

        public static SuperBlockKind Kind => SuperBlockKind.Affine;

        public static int OffsetShift => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> FloatScales(ref byte block) => Fp16.ReadPair(ref block, 0);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint ScaleHalves(ref byte block) => Unsafe.ReadUnaligned<uint>(ref block);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<sbyte> GroupScales(ref byte block, out Vector128<byte> mins)
        {
            return Q4KScales.GroupScales(ref Unsafe.Add(ref block, Scales), out mins);
        }

        /// <summary>Chunks 2p and 2p + 1 share <c>qs[32p .. 32p + 31]</c>: low nibbles, then high nibbles.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Codes256(ref byte block, int pair, out Vector256<byte> odd)
        {
            var packed = Vector256.LoadUnsafe(ref block, (nuint)(Qs + 32 * pair));
            var nibble = Vector256.Create((byte)0x0F);
            odd = Vector256.ShiftRightLogical(packed, 4) & nibble;
            return packed & nibble;
        }

        /// <summary>The same 64 codes at 512 bits: the 32 packed bytes, then the same bytes shifted down a nibble.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<byte> Codes512(ref byte block, int pair)
        {
            var packed = Vector256.LoadUnsafe(ref block, (nuint)(Qs + 32 * pair));
            return packed.ToVector512Unsafe().WithUpper(Vector256.ShiftRightLogical(packed.AsUInt16(), 4).AsByte()) & Vector512.Create((byte)0x0F);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Codes128(ref byte block, int chunk, out Vector128<byte> high)
        {
            nuint offset = (nuint)(Qs + 32 * (chunk >> 1));
            int shift = 4 * (chunk & 1);
            var nibble = Vector128.Create((byte)0x0F);
            high = Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, offset + 16), shift) & nibble;
            return Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, offset), shift) & nibble;
        }
    }
}
