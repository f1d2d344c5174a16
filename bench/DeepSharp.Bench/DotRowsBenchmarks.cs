using BenchmarkDotNet.Attributes;
using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>
/// One GEMV on one thread: <see cref="IQuantFormat.DotRows"/> of a whole weight matrix with one prepared
/// activation row, per format and kernel path. The matrices (0.3 to 12 MB) stay in the caches between
/// invocations, so this measures the kernels rather than memory; <see cref="BandwidthProbe"/> covers memory.
/// </summary>
public abstract class DotRowsBenchmarks
{
    private IQuantFormat _format = null!;
    private byte[] _weights = [];
    private byte[] _activations = [];
    private float[] _destination = [];
    private int _rowBytes;

    /// <summary>The format and shape; the parameter source is in each derived class.</summary>
    public abstract KernelCase Case { get; set; }

    [ParamsSource(nameof(Paths))]
    public KernelPath Path { get; set; }

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
