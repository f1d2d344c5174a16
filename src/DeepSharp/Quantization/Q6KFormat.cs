using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q6_K: 256 elements as <c>u8 ql[128]; u8 qh[64]; i8 scales[16]; half d</c>. Sixteen sub-blocks of 16 with
/// int8 scales. In half h (elements 128h..), for l = 0..31 and r = 0..3, element <c>128h + 32r + l</c> takes
/// its low nibble from <c>ql[64h + l + 32(r mod 2)]</c> (high nibble when r ≥ 2) and its top two bits from bits
/// 2r..2r+1 of <c>qh[32h + l]</c>; <c>y = (d·scale)·(q − 32)</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q6KFormat : ScaledSuperBlockFormat
{
    private const int Qh = 128;
    private const int Scales = 192;

    private Q6KFormat()
        : base(GgmlType.Q6_K, subSize: 16, scaleMin: -128, scaleMax: 127, d: 208)
    {
    }

    public static Q6KFormat Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        for (int e = 0; e < 256; e++)
        {
            int h = e >> 7, r = (e >> 5) & 3, l = e & 31;
            int low = (block[64 * h + l + 32 * (r & 1)] >> (4 * (r >> 1))) & 0xF;
            int high = (block[Qh + 32 * h + l] >> (2 * r)) & 3;
            values[e] = (sbyte)((low | (high << 4)) - 32);
        }
    }

    protected override int Scale(ReadOnlySpan<byte> block, int k) => (sbyte)block[Scales + k];

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitSigned(x, -32, 31);

    protected override float ScaleError(ReadOnlySpan<float> x, float scale) => ScaleSearch.SignedError(x, -32, 31, scale);

    protected override byte Encode(float v) => (byte)(ScaleSearch.SignedCode(v, -32, 31) + 32);

    /// <summary>Codes are value + 32 (0..63): the low nibble goes to <c>ql</c>, the top two bits to <c>qh</c>.</summary>
    protected override void Pack(ReadOnlySpan<int> scales, ReadOnlySpan<byte> codes, Span<byte> block)
    {
        for (int k = 0; k < 16; k++)
        {
            block[Scales + k] = (byte)(sbyte)scales[k];
        }
        for (int e = 0; e < 256; e++)
        {
            int h = e >> 7, r = (e >> 5) & 3, l = e & 31;
            block[64 * h + l + 32 * (r & 1)] |= (byte)((codes[e] & 0xF) << (4 * (r >> 1)));
            block[Qh + 32 * h + l] |= (byte)((codes[e] >> 4) << (2 * r));
        }
    }

    private protected override TileKernel? SimdKernel(KernelPath path) => SuperBlockKernels<Decoder>.For(path);

    /// <summary>
    /// SIMD decoding: the codes q = value + 32 (0..63), low nibble from <c>ql</c> and two high bits from
    /// <c>qh</c>; the kernels take the 32 back out through the activation group sums.
    /// </summary>
    internal readonly struct Decoder : ISuperBlock<Decoder>
    {
        public static int Bytes => 210;

        public static SuperBlockKind Kind => SuperBlockKind.Offset;

        public static int OffsetShift => 5;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> FloatScales(ref byte block) => Vector128.CreateScalar(Fp16.Read(ref block, 208));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint ScaleHalves(ref byte block) => Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref block, 208));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<sbyte> GroupScales(ref byte block, out Vector128<byte> mins)
        {
            mins = default;
            return Vector128.LoadUnsafe(ref block, Scales).AsSByte();
        }

        /// <summary>
        /// Pair p lies in half h = p / 2 as chunks r = 2(p mod 2) and r + 1: both take the same nibble (low for
        /// p even, high for p odd) of <c>ql[64h ..]</c> and <c>ql[64h + 32 ..]</c>, and bits 2r, 2r + 2 of
        /// <c>qh[32h ..]</c>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Codes256(ref byte block, int pair, out Vector256<byte> odd)
        {
            int half = pair >> 1, nibbleShift = 4 * (pair & 1), bitShift = 4 * (pair & 1);
            var nibble = Vector256.Create((byte)0x0F);
            var two = Vector256.Create((byte)0x03);
            var high = Vector256.LoadUnsafe(ref block, (nuint)(Qh + 32 * half));
            var first = Vector256.LoadUnsafe(ref block, (nuint)(64 * half));
            var second = Vector256.LoadUnsafe(ref block, (nuint)(64 * half + 32));
            odd = (Vector256.ShiftRightLogical(second, nibbleShift) & nibble) | ((Vector256.ShiftRightLogical(high, bitShift + 2) & two) << 4);
            return (Vector256.ShiftRightLogical(first, nibbleShift) & nibble) | ((Vector256.ShiftRightLogical(high, bitShift) & two) << 4);
        }

        /// <summary>
        /// The same 64 codes at 512 bits: chunks r and r + 1 lie back to back in <c>ql[64h ..]</c>, and their top
        /// bits are bits s..s+1 of <c>qh</c> and of <c>qh</c> shifted down by two (s = 0 or 4); word shifts leak
        /// bits between neighbouring bytes only into positions the masks drop.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<byte> Codes512(ref byte block, int pair)
        {
            int half = pair >> 1, shift = 4 * (pair & 1);
            var low = Vector512.ShiftRightLogical(Vector512.LoadUnsafe(ref block, (nuint)(64 * half)).AsUInt16(), shift).AsByte() & Vector512.Create((byte)0x0F);
            var bits = Vector256.LoadUnsafe(ref block, (nuint)(Qh + 32 * half));
            var high = bits.ToVector512Unsafe().WithUpper(Vector256.ShiftRightLogical(bits.AsUInt16(), 2).AsByte());
            return low | (Vector512.ShiftLeft(high.AsUInt16(), 4 - shift).AsByte() & Vector512.Create((byte)0x30));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Codes128(ref byte block, int chunk, out Vector128<byte> high)
        {
            int half = chunk >> 2, r = chunk & 3;
            nuint low = (nuint)(64 * half + 32 * (r & 1));
            nuint bits = (nuint)(Qh + 32 * half);
            int nibbleShift = 4 * (r >> 1);
            var nibble = Vector128.Create((byte)0x0F);
            var two = Vector128.Create((byte)0x03);
            high = (Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, low + 16), nibbleShift) & nibble)
                | ((Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, bits + 16), 2 * r) & two) << 4);
            return (Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, low), nibbleShift) & nibble)
                | ((Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, bits), 2 * r) & two) << 4);
        }
    }
}
