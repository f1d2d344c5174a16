using BenchmarkDotNet.Running;
using DeepSharp.Bench;

// Kernel benchmarks (BenchmarkDotNet; pass its usual arguments, e.g. --filter '*DotRows*' --job short), or
// "bandwidth" for the memory-bandwidth probe and the large Q4_K GEMV measured against it.
if (args.Length > 0 && args[0] == "bandwidth")
{
    BandwidthProbe.Run(args.Skip(1).ToArray());
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new KernelConfig());
