using BenchmarkDotNet.Attributes;

namespace DeepSharp.Bench;

/// <summary><see cref="DotRowsBenchmarks"/> on Qwen2-1.5B's 1536 × 1536 attention matrices.</summary>
public class AttentionDotRowsBenchmarks : DotRowsBenchmarks
{
    [ParamsSource(nameof(Cases))]
    public override KernelCase Case { get; set; } = null!;

    public static IEnumerable<KernelCase> Cases() => KernelCase.On((1536, 1536));
}
