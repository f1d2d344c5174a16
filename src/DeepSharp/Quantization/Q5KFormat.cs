using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q5_K: 256 elements as <c>half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]</c>. As Q4_K, plus a fifth
/// bit: element <c>32k + l</c> (sub-block k) adds 16 when bit k of <c>qh[l]</c> is set.
/// <c>y = (d·sc)·q − dmin·m</c> with q in 0..31. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q5KFormat : AffineSuperBlockFormat
{
    private const int Scales = 4;
    private const int Qh = 16;
    private const int Qs = 48;

    private Q5KFormat()
        : base(GgmlType.Q5_K, subSize: 32, maxCode: 31, scaleLevels: 63, d: 0, dmin: 2)
    {
    }

    public static Q5KFormat Instance { get; } = new();

    protected override void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes)
    {
        Q4KFormat.UnpackNibbles(block.Slice(Qs, 128), codes);
        for (int e = 0; e < 256; e++)
        {
            codes[e] |= (byte)(((block[Qh + (e & 31)] >> (e >> 5)) & 1) << 4);
        }
    }

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block)
    {
        Q4KFormat.PackNibbles(codes, block.Slice(Qs, 128));
        for (int e = 0; e < 256; e++)
        {
            block[Qh + (e & 31)] |= (byte)((codes[e] >> 4) << (e >> 5));
        }
    }

    protected override (int Scale, int Min) ScaleMin(ReadOnlySpan<byte> block, int k) => Q4KScales.Get(block.Slice(Scales, 12), k);

    protected override void PackScales(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> mins, Span<byte> block) =>
        Q4KScales.Set(block.Slice(Scales, 12), scales, mins);

    private protected override TileKernel? SimdKernel(KernelPath path) => SuperBlockKernels<Decoder>.For(path);

    /// <summary>SIMD decoding: Q4_K's nibbles plus 16 where bit k of <c>qh[l]</c> is set (chunk k, element l).</summary>
    internal readonly struct Decoder : ISuperBlock<Decoder>
    {
        public static int Bytes => 176;

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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Codes256(ref byte block, int pair, out Vector256<byte> odd)
        {
            var packed = Vector256.LoadUnsafe(ref block, (nuint)(Qs + 32 * pair));
            var high = Vector256.LoadUnsafe(ref block, Qh);
            var nibble = Vector256.Create((byte)0x0F);
            var sixteen = Vector256.Create((byte)0x10);
            var evenBit = Vector256.Create((byte)(1 << (2 * pair)));
            var oddBit = Vector256.Create((byte)(2 << (2 * pair)));
            odd = (Vector256.ShiftRightLogical(packed, 4) & nibble) | (Vector256.Equals(high & oddBit, oddBit) & sixteen);
            return (packed & nibble) | (Vector256.Equals(high & evenBit, evenBit) & sixteen);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Codes128(ref byte block, int chunk, out Vector128<byte> high)
        {
            nuint offset = (nuint)(Qs + 32 * (chunk >> 1));
            int shift = 4 * (chunk & 1);
            var nibble = Vector128.Create((byte)0x0F);
            var one = Vector128.Create((byte)1);
            var fifthLow = (Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, Qh), chunk) & one) << 4;
            var fifthHigh = (Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, Qh + 16), chunk) & one) << 4;
            high = (Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, offset + 16), shift) & nibble) | fifthHigh;
            return (Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref block, offset), shift) & nibble) | fifthLow;
        }
    }
}
