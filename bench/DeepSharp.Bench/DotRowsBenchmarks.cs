using BenchmarkDotNet.Attributes;
using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>
/// One GEMV on one thread: <see cref="IQuantFormat.DotRows"/> of a whole weight matrix with one prepared
/// activation row, per format, shape and kernel path. The matrices (0.3 to 12 MB) stay in the caches between
/// invocations, so this measures the kernels rather than memory; <see cref="BandwidthProbe"/> covers memory.
/// </summary>
public class DotRowsBenchmarks
{
    private IQuantFormat _format = null!;
    private byte[] _weights = [];
    private byte[] _activations = [];
    private float[] _destination = [];
    private int _rowBytes;

    [ParamsSource(nameof(Cases))]
    public KernelCase Case { get; set; } = null!;

    [ParamsSource(nameof(Paths))]
    public KernelPath Path { get; set; }

    public static IEnumerable<KernelCase> Cases() => KernelCase.All();

    public static IEnumerable<KernelPath> Paths() => KernelPaths.Supported;

    [GlobalSetup]
    public void Setup()
    {
        KernelPaths.Active = Path;
        _format = QuantFormats.Get(Case.Format);
        _weights = Matrices.Weights(_format, Case.Rows, Case.Columns);
        _activations = Matrices.Activations(_format, Case.Columns, 1);
        _destination = new float[Case.Rows];
        _rowBytes = _format.RowBytes(Case.Columns);
    }

    [Benchmark]
    public void DotRows() => _format.DotRows(_weights, _rowBytes, Case.Rows, _activations, Case.Columns, _destination);
}
