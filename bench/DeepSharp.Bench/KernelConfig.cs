using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace DeepSharp.Bench;

/// <summary>
/// The default configuration plus the fastest iteration and the throughput columns, computed from it: on a shared
/// machine other processes only ever slow an iteration down, so the minimum is the steadiest estimate.
/// </summary>
public sealed class KernelConfig : ManualConfig
{
    public KernelConfig()
    {
        Add(DefaultConfig.Instance);
        AddColumn(
            StatisticColumn.Min,
            new ThroughputColumn("GB/s", "weight bytes read per nanosecond", c => c.WeightBytes),
            new ThroughputColumn("GFLOP/s", "2 × rows × columns per nanosecond (multiply-adds counted twice)", c => c.Operations));
    }
}
