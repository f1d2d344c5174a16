using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q3_K: 256 elements as <c>u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d</c>. Sixteen sub-blocks of 16 with
/// signed 6-bit scales (<see cref="Q3KScales"/>). Element <c>128h + 32j + l</c> has its low two bits at bits
/// 2j..2j+1 of <c>qs[32h + l]</c> and its high bit at bit 4h + j of <c>hmask[l]</c>; the value is
/// <c>low − (high ? 0 : 4)</c> in −4..3 and <c>y = (d·scale)·value</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q3KFormat : ScaledSuperBlockFormat
{
    private const int Qs = 32;
    private const int Scales = 96;

    private Q3KFormat()
        : base(GgmlType.Q3_K, subSize: 16, scaleMin: -32, scaleMax: 31, d: 108)
    {
    }

    public static Q3KFormat Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        for (int e = 0; e < 256; e++)
        {
            int j = (e >> 5) & 3, l = e & 31, h = e >> 7;
            int low = (block[Qs + 32 * h + l] >> (2 * j)) & 3;
            int high = (block[l] >> (4 * h + j)) & 1;
            values[e] = (sbyte)(low - (high != 0 ? 0 : 4));
        }
    }

    protected override int Scale(ReadOnlySpan<byte> block, int k) => Q3KScales.Get(block.Slice(Scales, 12), k);

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitSigned(x, -4, 3);

    protected override float ScaleError(ReadOnlySpan<float> x, float scale) => ScaleSearch.SignedError(x, -4, 3, scale);

    protected override byte Encode(float v) => (byte)(ScaleSearch.SignedCode(v, -4, 3) + 4);

    /// <summary>Codes are value + 4 (0..7): bits 0..1 go to <c>qs</c>, bit 2 to <c>hmask</c>.</summary>
    protected override void Pack(ReadOnlySpan<int> scales, ReadOnlySpan<byte> codes, Span<byte> block)
    {
        Q3KScales.Set(block.Slice(Scales, 12), scales);
        for (int e = 0; e < 256; e++)
        {
            int j = (e >> 5) & 3, l = e & 31, h = e >> 7;
            block[Qs + 32 * h + l] |= (byte)((codes[e] & 3) << (2 * j));
            block[l] |= (byte)((codes[e] >> 2) << (4 * h + j));
        }
    }

    private protected override TileKernel? SimdKernel(KernelPath path) => SuperBlockKernels<Decoder>.For(path);

    /// <summary>
    /// The sixteen scales as bytes from three little-endian words <c>a, b, c</c> of the 12 scale bytes (see
    /// <see cref="Q3KScales"/>): groups 0..3 and 4..7 take the low nibbles of <c>a</c> and <c>b</c>, groups
    /// 8..11 and 12..15 their high nibbles; the top two bits of group 4i + j are bits 2i..2i+1 of byte j of
    /// <c>c</c>. Stored plus 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<sbyte> GroupScales(ref byte scales)
    {
        uint a = Unsafe.ReadUnaligned<uint>(ref scales);
        uint b = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref scales, 4));
        uint c = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref scales, 8));
        const uint Nibbles = 0x0F0F0F0F, Twos = 0x03030303;
        var stored = Vector128.Create(
            (a & Nibbles) | ((c & Twos) << 4),
            (b & Nibbles) | (((c >> 2) & Twos) << 4),
            ((a >> 4) & Nibbles) | (((c >> 4) & Twos) << 4),
            ((b >> 4) & Nibbles) | (((c >> 6) & Twos) << 4));
        return stored.AsSByte() - Vector128.Create((sbyte)32);
    }

    /// <summary>
    /// SIMD decoding: codes q = value + 4 (0..7), two low bits from <c>qs</c> and the third from <c>hmask</c>; the
    /// kernels take the 4 back out through the activation group sums.
    /// </summary>
    internal readonly struct Decoder : ISuperBlock<Decoder>
    {
        public static int Bytes => 110;

        public static SuperBlockKind Kind => SuperBlockKind.Offset;

        public static int OffsetShift => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> FloatScales(ref byte block) => Vector128.CreateScalar(Fp16.Read(ref block, 108));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static uint ScaleHalves(ref byte block) => Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref block, 108));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<sbyte> GroupScales(ref byte block, out Vector128<byte> mins)
        {
            mins = default;
            return Q3KFormat.GroupScales(ref Unsafe.Add(ref block, Scales));
        }

        /// <summary>Chunk c = 4h + j: bits 2j..2j+1 of <c>qs[32h ..]</c>, bit c of <c>hmask</c> as 4.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Codes256(ref byte block, int pair, out Vector256<byte> odd)
        {
            int half = pair >> 1, shift = 4 * (pair & 1);
            var two = Vector256.Create((byte)0x03);
            var four = Vector256.Create((byte)0x04);
            var low = Vector256.LoadUnsafe(ref block, (nuint)(Qs + 32 * half));
            var mask = Vector256.LoadUnsafe(ref block);
            var evenBit = Vector256.Create((byte)(1 << (2 * pair)));
            var oddBit = Vector256.Create((byte)(2 << (2 * pair)));
            odd = (Vector256.ShiftRightLogical(low, shift + 2) & two) | (Vector256.Equals(mask & oddBit, oddBit) & four);
            return (Vector256.ShiftRightLogical(low, shift) & two) | (Vector256.Equals(mask & evenBit, evenBit) & four);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Codes128(ref byte block, int chunk, out Vector128<byte> high)
        {
            int half = chunk >> 2, shift = 2 * (chunk & 3);
            nuint offset = (nuint)(Qs + 32 * half);
            var two = Vector128.Create((byte)0x03);
            var one = Vector128.Create((byte)0x01);
            high = (Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, offset + 16), shift) & two)
                | ((Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, 16), chunk) & one) << 2);
            return (Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, offset), shift) & two)
                | ((Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block), chunk) & one) << 2);
        }
    }
}
