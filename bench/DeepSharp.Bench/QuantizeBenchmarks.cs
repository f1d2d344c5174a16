using BenchmarkDotNet.Attributes;
using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>The activation quantizers on a 2048-value row, per path.</summary>
public class QuantizeBenchmarks
{
    private const int Size = 2048;

    private IQuantFormat _format = null!;
    private float[] _source = [];
    private byte[] _destination = [];

    [Params(GgmlType.Q8_0, GgmlType.Q8_1, GgmlType.Q8_K)]
    public GgmlType Format { get; set; }

    [ParamsSource(nameof(Paths))]
    public KernelPath Path { get; set; }

    public static IEnumerable<KernelPath> Paths() => KernelPaths.Supported;

    [GlobalSetup]
    public void Setup()
    {
        KernelPaths.Active = Path;
        _format = QuantFormats.Get(Format);
        var rng = new Random(3);
        _source = Enumerable.Range(0, Size).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        _destination = new byte[_format.RowBytes(Size)];
    }

    [Benchmark]
    public void Quantize() => _format.Quantize(_source, _destination);
}
