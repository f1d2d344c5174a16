using System.Runtime.CompilerServices;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// How many activation rows one pass of a row kernel serves (1..4, or 8), as a type so that the JIT compiles one loop
/// per count and drops the unused accumulators: each decoded weight block is reused for all of them.
/// </summary>
internal interface IActivationCount
{
    /// <summary>Activation rows per pass.</summary>
    static abstract int Count { get; }
}

/// <summary>Stores the results of one row kernel pass.</summary>
internal static class ActivationResults
{
    /// <summary>
    /// Writes the first <typeparamref name="TActs"/> of <paramref name="r0"/>..<paramref name="r3"/> to
    /// <c>destination[t·stride]</c>; the JIT drops the unused ones, and the work that computed them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TActs>(ref float destination, nint stride, float r0, float r1, float r2, float r3)
        where TActs : struct, IActivationCount
    {
        destination = r0;
        if (TActs.Count > 1)
        {
            Unsafe.Add(ref destination, stride) = r1;
        }
        if (TActs.Count > 2)
        {
            Unsafe.Add(ref destination, 2 * stride) = r2;
        }
        if (TActs.Count > 3)
        {
            Unsafe.Add(ref destination, 3 * stride) = r3;
        }
    }

    /// <summary>
    /// <see cref="Store{TActs}(ref float, nint, float, float, float, float)"/> for up to eight results: rows 4..7
    /// are written only for <see cref="EightActivations"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TActs>(ref float destination, nint stride, float r0, float r1, float r2, float r3, float r4, float r5, float r6, float r7)
        where TActs : struct, IActivationCount
    {
        Store<TActs>(ref destination, stride, r0, r1, r2, r3);
        if (TActs.Count > 4)
        {
            Unsafe.Add(ref destination, 4 * stride) = r4;
            Unsafe.Add(ref destination, 5 * stride) = r5;
            Unsafe.Add(ref destination, 6 * stride) = r6;
            Unsafe.Add(ref destination, 7 * stride) = r7;
        }
    }
}

/// <summary>One activation row (a GEMV).</summary>
internal readonly struct OneActivation : IActivationCount
{
    public static int Count => 1;
}

/// <summary>Two activation rows.</summary>
internal readonly struct TwoActivations : IActivationCount
{
    public static int Count => 2;
}

/// <summary>Three activation rows.</summary>
internal readonly struct ThreeActivations : IActivationCount
{
    public static int Count => 3;
}

/// <summary>Four activation rows, the widest tile of most kernels: four accumulators per weight block.</summary>
internal readonly struct FourActivations : IActivationCount
{
    public static int Count => 4;
}

/// <summary>Eight activation rows, for kernels with registers for eight accumulators (<see cref="IRowKernel.MaxActivations"/>).</summary>
internal readonly struct EightActivations : IActivationCount
{
    public static int Count => 8;
}
