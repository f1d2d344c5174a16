using BenchmarkDotNet.Attributes;

namespace DeepSharp.Bench;

/// <summary><see cref="DotRowsBenchmarks"/> on DeepSeek-V2-Lite's expert gate/up (1408 × 2048) and down (2048 × 1408) matrices.</summary>
public class ExpertDotRowsBenchmarks : DotRowsBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public override KernelCase Case { get; set; } = null!;

    public static IEnumerable<KernelCase> Cases() => KernelCase.On((1408, 2048), (2048, 1408));
}
