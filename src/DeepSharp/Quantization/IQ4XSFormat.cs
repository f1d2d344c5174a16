using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// IQ4_XS: 256 elements as <c>half d; u16 scales_h; u8 scales_l[4]; u8 qs[128]</c>. Eight sub-blocks of 32 with
/// 6-bit scales: the low nibble of sub-block b is nibble b mod 2 of <c>scales_l[b/2]</c>, the top two bits are
/// bits 2b..2b+1 of <c>scales_h</c>, and the scale is that value minus 32. Sub-block b uses
/// <c>qs[16b .. 16b + 15]</c> in Q4_0's nibble order, each nibble indexing the IQ4 codebook:
/// <c>y = (d·scale)·kv[q]</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class IQ4XSFormat : ScaledSuperBlockFormat
{
    private const int ScalesLow = 4;
    private const int Qs = 8;

    private IQ4XSFormat()
        : base(GgmlType.IQ4_XS, subSize: 32, scaleMin: -32, scaleMax: 31, d: 0)
    {
    }

    public static IQ4XSFormat Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        var kv = Iq4Codebook.Values;
        Span<byte> codes = stackalloc byte[32];
        for (int b = 0; b < 8; b++)
        {
            LegacyCodes.UnpackNibbles(block.Slice(Qs + 16 * b, 16), codes);
            for (int j = 0; j < 32; j++)
            {
                values[32 * b + j] = kv[codes[j]];
            }
        }
    }

    protected override int Scale(ReadOnlySpan<byte> block, int k)
    {
        int low = (block[ScalesLow + k / 2] >> (4 * (k & 1))) & 0xF;
        int high = (BinaryPrimitives.ReadUInt16LittleEndian(block.Slice(2, 2)) >> (2 * k)) & 3;
        return (low | (high << 4)) - 32;
    }

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitCodebook(x);

    protected override float ScaleError(ReadOnlySpan<float> x, float scale) => ScaleSearch.CodebookError(x, scale);

    protected override byte Encode(float v) => (byte)Iq4Codebook.Nearest(v);

    /// <summary>Scales are stored plus 32; codes are codebook indices.</summary>
    protected override void Pack(ReadOnlySpan<int> scales, ReadOnlySpan<byte> codes, Span<byte> block)
    {
        int high = 0;
        for (int b = 0; b < 8; b++)
        {
            int stored = scales[b] + 32;
            block[ScalesLow + b / 2] |= (byte)((stored & 0xF) << (4 * (b & 1)));
            high |= (stored >> 4) << (2 * b);
            LegacyCodes.PackNibbles(codes.Slice(32 * b, 32), block.Slice(Qs + 16 * b, 16));
        }
        BinaryPrimitives.WriteUInt16LittleEndian(block.Slice(2, 2), (ushort)high);
    }

    private protected override TileKernel? SimdKernel(KernelPath path) => SuperBlockKernels<Decoder>.For(path);

    /// <summary>SIMD decoding: codebook levels by byte shuffle; the eight 6-bit scales, each over two groups.</summary>
    internal readonly struct Decoder : ISuperBlock<Decoder>
    {
        public static int Bytes => 136;

        public static SuperBlockKind Kind => SuperBlockKind.Signed;

        public static int OffsetShift => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> FloatScales(ref byte block) => Vector128.CreateScalar(Fp16.Read(ref block, 0));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint ScaleHalves(ref byte block) => Unsafe.ReadUnaligned<ushort>(ref block);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<sbyte> GroupScales(ref byte block, out Vector128<byte> mins)
        {
            mins = default;
            uint low = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, ScalesLow));
            uint high = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref block, 2));
            ulong stored = 0;
            for (int b = 0; b < 8; b++)
            {
                ulong scale = ((low >> (4 * b)) & 0xF) | (((high >> (2 * b)) & 3) << 4);
                stored |= scale << (8 * b);
            }
            return SuperBlock.PerGroup(stored).AsSByte() - Vector128.Create((sbyte)32);
        }

        /// <summary>
        /// Sub-blocks 2p and 2p + 1 are <c>qs[32p .. 32p + 31]</c>: the low nibbles of each 16-byte half are its
        /// elements 0..15, the high nibbles 16..31, so the two 128-bit halves of the low and high nibble vectors
        /// are regrouped per sub-block before the in-lane codebook shuffle.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Codes256(ref byte block, int pair, out Vector256<byte> odd)
        {
            var packed = Vector256.LoadUnsafe(ref block, (nuint)(Qs + 32 * pair));
            var nibble = Vector256.Create((byte)0x0F);
            var levels = Vector256.Create(Iq4Codebook.Levels, Iq4Codebook.Levels);
            var low = Avx2.Shuffle(levels, packed & nibble);
            var high = Avx2.Shuffle(levels, Vector256.ShiftRightLogical(packed, 4) & nibble);
            odd = Avx2.Permute2x128(low, high, 0x31);
            return Avx2.Permute2x128(low, high, 0x20);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Codes128(ref byte block, int chunk, out Vector128<byte> high)
        {
            var low = LegacyCodes.Nibbles(ref Unsafe.Add(ref block, Qs + 16 * chunk), out high);
            high = Vector128.ShuffleNative(Iq4Codebook.Levels, high);
            return Vector128.ShuffleNative(Iq4Codebook.Levels, low);
        }
    }
}
