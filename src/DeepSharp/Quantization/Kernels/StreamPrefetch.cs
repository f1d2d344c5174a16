using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// Software prefetch for the weight stream of a product with one activation row: each step of a kernel asks for the
/// cache lines <see cref="Distance"/> bytes ahead of the bytes it reads now.
/// </summary>
/// <remarks>
/// <para>
/// Decoding streams every weight once, and the hardware prefetchers alone left the GEMVs short of what memory
/// delivers: a Q4_K GEMV over 270 MB streamed at 27.6 GB/s on one core and 44–45 GB/s on two, against 29–30 and
/// 48–51 with this at 4–8 KiB ahead (512 bytes: no gain; session A's prefetch of the row four rows ahead had made
/// decoding slower). Decoding the Q4_K fixture went from 49.2–49.6 to 54.7–55.3 tokens/s at 8 KiB
/// (16 and 32 KiB: the same within noise).
/// </para>
/// <para>
/// A chunk of rows is followed by the next chunk of the same thread's run (<c>ComputePool</c>), so the lines asked
/// for past a chunk's end are usually the next ones it reads. Prefetch instructions never fault, so asking past
/// the end of a matrix is harmless. Without SSE (not x86) nothing is asked.
/// </para>
/// </remarks>
internal static class StreamPrefetch
{
    /// <summary>How far ahead of the bytes being read the prefetched lines start.</summary>
    public const int Distance = 8192;

    /// <summary>
    /// Asks for the lines of <paramref name="bytes"/> bytes (a constant per kernel step, at most 256) starting
    /// <see cref="Distance"/> after <paramref name="at"/>. Successive steps cover every line of the stream: a step of
    /// b bytes asks for ⌈b / 64⌉ lines from its own start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Ahead(ref byte at, int bytes)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        byte* ahead = (byte*)Unsafe.AsPointer(ref at) + Distance;
        Sse.Prefetch0(ahead);
        if (bytes > 64)
        {
            Sse.Prefetch0(ahead + 64);
        }
        if (bytes > 128)
        {
            Sse.Prefetch0(ahead + 128);
        }
        if (bytes > 192)
        {
            Sse.Prefetch0(ahead + 192);
        }
    }
}
