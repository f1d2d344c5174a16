using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// The SIMD decoder of a 32-element weight format (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL). Every such block starts
/// with its half scale <c>d</c>; the affine ones (Q4_1, Q5_1) follow it with the half minimum <c>m</c>.
/// </summary>
/// <typeparam name="TSelf">The decoder itself, so that default members can call its other members.</typeparam>
internal interface IBlock32<TSelf>
    where TSelf : IBlock32<TSelf>
{
    /// <summary>Bytes per weight block.</summary>
    static abstract int Bytes { get; }

    /// <summary>
    /// True for <c>y = q·d + m</c> with unsigned codes (0..31), dotted with Q8_1 activations whose stored sum
    /// carries the <c>m</c> term; false for <c>y = d·v</c> with signed values (−128..127), dotted with Q8_0.
    /// </summary>
    static abstract bool IsAffine { get; }

    /// <summary>
    /// The block's 32 values (signed) or codes (affine), one byte per element: elements 0..15 are returned,
    /// elements 16..31 go to <paramref name="high"/>. Written with portable <c>Vector128</c> operations so that
    /// every path shares one decoder.
    /// </summary>
    static abstract Vector128<byte> Values(ref byte block, out Vector128<byte> high);

    /// <summary>
    /// The 32 values in one ymm register, element j in byte j, for the AVX2 and AVX-512 paths (so it may use AVX2).
    /// Formats decode them directly at this width; the default joins the two 128-bit halves.
    /// </summary>
    static virtual Vector256<byte> Values256(ref byte block)
    {
        var low = TSelf.Values(ref block, out var high);
        return low.ToVector256Unsafe().WithUpper(high);
    }

    /// <summary>
    /// For signed formats stored as unsigned codes <c>c = v + o</c> (Q4_0: 8, Q5_0: 16), <c>o</c>; 0 otherwise. With
    /// an offset the AVX-512 kernel multiplies the codes, which need no sign handling, and subtracts <c>o·Σ a</c>.
    /// </summary>
    static virtual byte CodeOffset => 0;

    /// <summary>
    /// Two consecutive blocks for the AVX-512 kernel, block b in bytes 0..31 and block b + 1 in bytes 32..63: the
    /// codes when <see cref="CodeOffset"/> is set or the format is affine, else the signed values. Formats with
    /// packed codes decode both blocks at this width; the default joins two <see cref="Values256"/>. (It must stay
    /// marked for inlining: without the mark the JIT called it once per block pair instead of inlining it.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static virtual Vector512<byte> Pair512(ref byte first) =>
        TSelf.Values256(ref first).ToVector512Unsafe().WithUpper(TSelf.Values256(ref Unsafe.Add(ref first, TSelf.Bytes)));
}
