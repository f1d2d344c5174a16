using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization;

/// <summary>
/// Which <see cref="KernelPath"/> the dot products take. The best path the processor supports is chosen once at
/// startup; tests and benchmarks may pin another one that this processor supports.
/// </summary>
public static class KernelPaths
{
    private static KernelPath s_active = Detect();

    /// <summary>The fastest path this processor and runtime support (the <c>DOTNET_Enable*</c> switches count).</summary>
    public static KernelPath Best { get; } = Detect();

    /// <summary>Every path this processor supports, slowest first; always starts with <see cref="KernelPath.Scalar"/>.</summary>
    public static IReadOnlyList<KernelPath> Supported { get; } =
        Array.AsReadOnly(Enum.GetValues<KernelPath>().Where(IsSupported).ToArray());

    /// <summary>The path the formats' <c>Dot</c>, <c>DotRows</c> and <c>DotTile</c> use; <see cref="Best"/> unless pinned.</summary>
    /// <exception cref="NotSupportedException">Setting a path this processor does not support.</exception>
    public static KernelPath Active
    {
        get => s_active;
        set
        {
            if (!IsSupported(value))
            {
                throw new NotSupportedException($"kernel path {value} is not supported on this processor (supported: {string.Join(", ", Supported)})");
            }
            s_active = value;
        }
    }

    /// <summary>True when this processor and runtime can run <paramref name="path"/> in hardware.</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Scalar => true,
        KernelPath.Vector128 => Vector128.IsHardwareAccelerated,
        KernelPath.Avx2 => Avx2.IsSupported,
        KernelPath.AvxVnni => Avx2.IsSupported && AvxVnni.IsSupported,
        KernelPath.Avx512 => Avx512BW.IsSupported && Avx512BW.VL.IsSupported && Vector512.IsHardwareAccelerated && Avx2.IsSupported,
        _ => false,
    };

    private static KernelPath Detect()
    {
        for (var path = KernelPath.Avx512; path > KernelPath.Scalar; path--)
        {
            if (IsSupported(path))
            {
                return path;
            }
        }
        return KernelPath.Scalar;
    }
}
