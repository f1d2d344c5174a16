namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// How many activation rows one pass of a row kernel serves (1..4), as a type so that the JIT compiles one loop
/// per count and drops the unused accumulators: each decoded weight block is reused for all of them.
/// </summary>
internal interface IActivationCount
{
    /// <summary>Activation rows per pass.</summary>
    static abstract int Count { get; }
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

/// <summary>Four activation rows, the widest tile: four accumulators per weight block.</summary>
internal readonly struct FourActivations : IActivationCount
{
    public static int Count => 4;
}
