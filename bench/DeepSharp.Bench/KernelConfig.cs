using BenchmarkDotNet.Configs;

namespace DeepSharp.Bench;

/// <summary>The default configuration plus the throughput columns of the kernel benchmarks.</summary>
public sealed class KernelConfig : ManualConfig
{
    public KernelConfig()
    {
        Add(DefaultConfig.Instance);
        AddColumn(
            new ThroughputColumn("GB/s", "weight bytes read per nanosecond", c => c.WeightBytes),
            new ThroughputColumn("GFLOP/s", "2 × rows × columns per nanosecond (multiply-adds counted twice)", c => c.Operations));
    }
}
