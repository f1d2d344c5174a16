using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DeepSharp.Compute;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// The AVX-512 Q4_K kernel. Its activations are Q8_K blocks whose 256 codes are first put in the order of
/// <see cref="Reorder"/>, once per tile; the weights stay as stored.
/// </summary>
/// <remarks>
/// <para>
/// The generic kernel (<see cref="SuperBlockAvx512{TBlock}"/>) covers 64 consecutive elements per register, two
/// sub-blocks, so each of its four steps needs the scales of other sub-blocks: a permute and a multiply-add per step.
/// Here two <c>vpermt2q</c> gather the block's 128 code bytes into two registers whose eight qwords come from four
/// sub-blocks in the same order, and whose low and high nibbles (four code registers) hold eight codes per qword.
/// With the activation codes in the matching order, every code register's lane k belongs to the same sub-block in
/// both registers of a nibble, so the two <c>vpmaddubsw</c> pair sums of a nibble add in 16 bits (at most
/// 2·2·15·128 = 7,680) and one <c>vpmaddwd</c> per nibble applies the eight scales.
/// </para>
/// <para>
/// Sub-block of qword i (0..7): low nibbles <c>[0, 2, 0, 2, 4, 6, 4, 6]</c>, high nibbles one more. The group sums
/// (<c>bsums</c>) and the minimum terms keep Q8_K's order. Float work per block is the generic kernel's
/// (<see cref="SuperBlockAvx512{TBlock}.Accumulate"/>), so a row gives the same bits alone or in a tile; the
/// integer totals are the same, only their split over the float lanes differs from the generic kernel's.
/// </para>
/// <para>
/// One core, cached weights, against the generic kernel: one activation row 30.8 against 28.5 GB/s (1,536 columns),
/// 33.9 against 32.2 (4,096), 35.3 against 34.5 (8,192); eight rows 10.2 against 9.2 GB/s. Reordering costs one
/// pass over the activations per tile, small next to the weight rows that reuse it.
/// </para>
/// </remarks>
internal readonly struct Q4KAvx512 : IRowKernel
{
    [ThreadStatic]
    private static byte[]? t_reordered;

    /// <summary>Eight rows: four code registers, two scale registers and eight accumulators fit the 32 zmm registers.</summary>
    public static int MaxActivations => 8;

    /// <summary>The tile kernel: reorders the activation rows into a per-thread buffer, then runs the tile loop.</summary>
    public static void Tile(
        ref byte weights, nint rowBytes, int rowCount, ref byte activations, nint activationBytes, int activationCount,
        int blocks, ref float destination, nint destinationStride)
    {
        int rowActivationBytes = blocks * SuperBlock.ActivationBytes;
        int bytes = activationCount * rowActivationBytes;
        if (t_reordered is null || t_reordered.Length < bytes)
        {
            t_reordered = new byte[Math.Max(bytes, 2 * (t_reordered?.Length ?? 0))];
        }
        ref byte reordered = ref MemoryMarshal.GetArrayDataReference(t_reordered);
        for (int t = 0; t < activationCount; t++)
        {
            ref byte source = ref Unsafe.Add(ref activations, t * activationBytes);
            ref byte target = ref Unsafe.Add(ref reordered, t * rowActivationBytes);
            for (int b = 0; b < blocks; b++)
            {
                Reorder(ref Unsafe.Add(ref source, b * SuperBlock.ActivationBytes), ref Unsafe.Add(ref target, b * SuperBlock.ActivationBytes));
            }
        }
        TileDriver.Run<Q4KAvx512>(ref weights, rowBytes, rowCount, ref reordered, rowActivationBytes, activationCount, blocks, ref destination, destinationStride);
    }

    /// <summary>
    /// Copies one Q8_K block, its codes reordered: with <c>N_c</c> the qwords of codes <c>64c .. 64c + 63</c>, the
    /// four 64-byte registers become <c>[N0.0, N1.0, N0.1, N1.1, N2.0, N3.0, N2.1, N3.1]</c>, then the same with
    /// qwords 4 and 5 (the high nibbles' codes), 2 and 3, and 6 and 7: the order in which <see cref="Dot{TActs}"/>
    /// gathers the weight codes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Reorder(ref byte source, ref byte target)
    {
        Unsafe.WriteUnaligned(ref target, Unsafe.ReadUnaligned<uint>(ref source));
        Vector256.LoadUnsafe(ref source, SuperBlock.Sums).StoreUnsafe(ref target, SuperBlock.Sums);
        var n0 = Vector512.LoadUnsafe(ref source, SuperBlock.Codes).AsUInt64();
        var n1 = Vector512.LoadUnsafe(ref source, SuperBlock.Codes + 64).AsUInt64();
        var n2 = Vector512.LoadUnsafe(ref source, SuperBlock.Codes + 128).AsUInt64();
        var n3 = Vector512.LoadUnsafe(ref source, SuperBlock.Codes + 192).AsUInt64();
        var evenIndex = Vector512.Create(0ul, 8, 1, 9, 4, 12, 5, 13);
        var oddIndex = Vector512.Create(2ul, 10, 3, 11, 6, 14, 7, 15);
        var x01 = Avx512F.PermuteVar8x64x2(n0, evenIndex, n1);
        var y01 = Avx512F.PermuteVar8x64x2(n2, evenIndex, n3);
        var x23 = Avx512F.PermuteVar8x64x2(n0, oddIndex, n1);
        var y23 = Avx512F.PermuteVar8x64x2(n2, oddIndex, n3);
        Avx512F.Shuffle4x128(x01, y01, 0x44).StoreUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref target, SuperBlock.Codes)));
        Avx512F.Shuffle4x128(x01, y01, 0xEE).StoreUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref target, SuperBlock.Codes + 64)));
        Avx512F.Shuffle4x128(x23, y23, 0x44).StoreUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref target, SuperBlock.Codes + 128)));
        Avx512F.Shuffle4x128(x23, y23, 0xEE).StoreUnsafe(ref Unsafe.As<byte, ulong>(ref Unsafe.Add(ref target, SuperBlock.Codes + 192)));
    }

    /// <summary>Dots one weight row with <typeparamref name="TActs"/> reordered activation rows.</summary>
    public static void Dot<TActs>(ref byte weights, int blocks, ref byte activations, nint activationBytes, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        Sums sums = default;
        int b = 0;
        // Blocks in pairs: d and −dmin of both are widened together, and each block's factors are one permute of them.
        // Against widening per block (one core, cached, one row): 16,384 values 32.9–33.8 → 37.2–37.3 GB/s, 8,960
        // values (an odd last block) 34.2–34.5 → 36.2–36.6, 1,536 values 29.4–30.1 → 33.9–34.1; eight rows 9.5–9.6 →
        // 9.7–9.8. The four-block widening of the generic kernel, with its branches for a row's last blocks, had cost
        // rows of 1,536 values a fifth of their speed (24.5 against 30.8 GB/s).
        for (; b + 2 <= blocks; b += 2)
        {
            ref byte block = ref Unsafe.Add(ref weights, b * Q4KFormat.Decoder.Bytes);
            ref byte next = ref Unsafe.Add(ref block, Q4KFormat.Decoder.Bytes);
            var pairs = (Fp16.ReadTwoPairs(ref block, Q4KFormat.Decoder.Bytes) * Vector128.Create(1f, -1f, 1f, -1f)).ToVector256Unsafe().ToVector512Unsafe();
            ref byte act = ref Unsafe.Add(ref activations, b * SuperBlock.ActivationBytes);
            Block<TActs>(ref block, Avx512F.PermuteVar16x32(pairs, FirstFactorIndex), ref act, activationBytes, ref sums);
            Block<TActs>(ref next, Avx512F.PermuteVar16x32(pairs, SecondFactorIndex), ref Unsafe.Add(ref act, SuperBlock.ActivationBytes), activationBytes, ref sums);
        }
        if (b < blocks)
        {
            ref byte block = ref Unsafe.Add(ref weights, b * Q4KFormat.Decoder.Bytes);
            var pair = (Fp16.ReadPair(ref block, 0) * Vector128.Create(1f, -1f, 0, 0)).ToVector256Unsafe().ToVector512Unsafe();
            Block<TActs>(ref block, Avx512F.PermuteVar16x32(pair, FirstFactorIndex), ref Unsafe.Add(ref activations, b * SuperBlock.ActivationBytes), activationBytes, ref sums);
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride,
            LaneSum.Of(sums.S0), LaneSum.Of(sums.S1), LaneSum.Of(sums.S2), LaneSum.Of(sums.S3),
            LaneSum.Of(sums.S4), LaneSum.Of(sums.S5), LaneSum.Of(sums.S6), LaneSum.Of(sums.S7));
    }

    /// <summary>
    /// One weight block against every activation row: <paramref name="factors"/> holds the block's <c>d</c> in lanes
    /// 0..7 and <c>−dmin</c> in lanes 8..15.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TActs>(ref byte block, Vector512<float> factors, ref byte act0, nint activationBytes, ref Sums sums)
        where TActs : struct, IActivationCount
    {
        StreamPrefetch.Ahead(ref block, Q4KFormat.Decoder.Bytes);

        // Scales as shorts, each over the four shorts of its qword: sub-blocks [0, 2, 0, 2, 4, 6, 4, 6] for the
        // low nibbles, one more for the high ones. Mins spread over the 16 groups for the bsums.
        ulong subBlockScales = Q4KScales.SubBlockScales(ref Unsafe.Add(ref block, Q4KFormat.Scales), out ulong subBlockMins);
        var scaleBytes = Vector512.Create(subBlockScales).AsByte();
        var lowScales = Avx512BW.Shuffle(scaleBytes, LowScaleIndex).AsInt16();
        var highScales = Avx512BW.Shuffle(scaleBytes, HighScaleIndex).AsInt16();
        var sumWeights = Avx2.Shuffle(Vector256.Create(subBlockMins).AsByte(), GroupMinIndex).AsInt16();

        var z0 = Vector512.LoadUnsafe(ref block, Q4KFormat.Qs).AsUInt64();
        var z1 = Vector512.LoadUnsafe(ref block, Q4KFormat.Qs + 64).AsUInt64();
        var u01 = Avx512F.PermuteVar8x64x2(z0, Vector512.Create(0ul, 4, 1, 5, 8, 12, 9, 13), z1).AsByte();
        var u23 = Avx512F.PermuteVar8x64x2(z0, Vector512.Create(2ul, 6, 3, 7, 10, 14, 11, 15), z1).AsByte();
        var nibble = Vector512.Create((byte)0x0F);
        var low01 = u01 & nibble;
        var low23 = u23 & nibble;
        var high01 = Vector512.ShiftRightLogical(u01.AsUInt16(), 4).AsByte() & nibble;
        var high23 = Vector512.ShiftRightLogical(u23.AsUInt16(), 4).AsByte() & nibble;

        sums.S0 = Row(sums.S0, low01, low23, high01, high23, lowScales, highScales, sumWeights, factors, ref act0);
        if (TActs.Count > 1)
        {
            sums.S1 = Row(sums.S1, low01, low23, high01, high23, lowScales, highScales, sumWeights, factors, ref Unsafe.Add(ref act0, activationBytes));
        }
        if (TActs.Count > 2)
        {
            sums.S2 = Row(sums.S2, low01, low23, high01, high23, lowScales, highScales, sumWeights, factors, ref Unsafe.Add(ref act0, 2 * activationBytes));
        }
        if (TActs.Count > 3)
        {
            sums.S3 = Row(sums.S3, low01, low23, high01, high23, lowScales, highScales, sumWeights, factors, ref Unsafe.Add(ref act0, 3 * activationBytes));
        }
        if (TActs.Count > 4)
        {
            sums.S4 = Row(sums.S4, low01, low23, high01, high23, lowScales, highScales, sumWeights, factors, ref Unsafe.Add(ref act0, 4 * activationBytes));
            sums.S5 = Row(sums.S5, low01, low23, high01, high23, lowScales, highScales, sumWeights, factors, ref Unsafe.Add(ref act0, 5 * activationBytes));
            sums.S6 = Row(sums.S6, low01, low23, high01, high23, lowScales, highScales, sumWeights, factors, ref Unsafe.Add(ref act0, 6 * activationBytes));
            sums.S7 = Row(sums.S7, low01, low23, high01, high23, lowScales, highScales, sumWeights, factors, ref Unsafe.Add(ref act0, 7 * activationBytes));
        }
    }

    /// <summary><c>vpermps</c> indices spreading lane 0 (<c>d</c>) over lanes 0..7 and lane 1 (<c>−dmin</c>) over 8..15.</summary>
    private static Vector512<int> FirstFactorIndex
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    /// <summary>The same for the second block of a pair: lanes 2 and 3.</summary>
    private static Vector512<int> SecondFactorIndex
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    }

    /// <summary>The float accumulators of up to eight activation rows.</summary>
    private struct Sums
    {
        public Vector512<float> S0, S1, S2, S3, S4, S5, S6, S7;
    }

    /// <summary>
    /// <c>vpshufb</c> indices into the eight scale bytes (in every 128-bit lane) giving each short the scale of the
    /// low nibbles' sub-block of its qword, zero-extended: lane L covers qwords 2L and 2L + 1.
    /// </summary>
    private static Vector512<byte> LowScaleIndex
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create(
            0, 0x80, 0, 0x80, 0, 0x80, 0, 0x80, 2, 0x80, 2, 0x80, 2, 0x80, 2, 0x80,
            0, 0x80, 0, 0x80, 0, 0x80, 0, 0x80, 2, 0x80, 2, 0x80, 2, 0x80, 2, 0x80,
            4, 0x80, 4, 0x80, 4, 0x80, 4, 0x80, 6, 0x80, 6, 0x80, 6, 0x80, 6, 0x80,
            (byte)4, 0x80, 4, 0x80, 4, 0x80, 4, 0x80, 6, 0x80, 6, 0x80, 6, 0x80, 6, 0x80);
    }

    /// <summary><see cref="LowScaleIndex"/> for the high nibbles: the next sub-block (index bytes plus one).</summary>
    private static Vector512<byte> HighScaleIndex
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => LowScaleIndex | Vector512.Create((ushort)1).AsByte();
    }

    /// <summary><c>vpshufb</c> indices giving group g (0..15) the min of sub-block g / 2 as a short.</summary>
    private static Vector256<byte> GroupMinIndex
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(
            0, 0x80, 0, 0x80, 1, 0x80, 1, 0x80, 2, 0x80, 2, 0x80, 3, 0x80, 3, 0x80,
            (byte)4, 0x80, 4, 0x80, 5, 0x80, 5, 0x80, 6, 0x80, 6, 0x80, 7, 0x80, 7, 0x80);
    }

    /// <summary>One activation row's block: the two nibbles' scaled products, then the generic kernel's float step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(
        Vector512<float> sum, Vector512<byte> low01, Vector512<byte> low23, Vector512<byte> high01, Vector512<byte> high23,
        Vector512<short> lowScales, Vector512<short> highScales, Vector256<short> sumWeights, Vector512<float> factors, ref byte act)
    {
        var low = Avx512BW.MultiplyAddAdjacent(low01, Vector512.LoadUnsafe(ref act, SuperBlock.Codes).AsSByte())
            + Avx512BW.MultiplyAddAdjacent(low23, Vector512.LoadUnsafe(ref act, SuperBlock.Codes + 128).AsSByte());
        var high = Avx512BW.MultiplyAddAdjacent(high01, Vector512.LoadUnsafe(ref act, SuperBlock.Codes + 64).AsSByte())
            + Avx512BW.MultiplyAddAdjacent(high23, Vector512.LoadUnsafe(ref act, SuperBlock.Codes + 192).AsSByte());
        var code = Avx512BW.MultiplyAddAdjacent(low, lowScales) + Avx512BW.MultiplyAddAdjacent(high, highScales);
        return SuperBlockAvx512<Q4KFormat.Decoder>.Accumulate(sum, code, sumWeights, factors, ref act);
    }
}
