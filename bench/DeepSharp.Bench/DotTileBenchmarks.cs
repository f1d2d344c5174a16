using BenchmarkDotNet.Attributes;
using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>
/// Prefill: 16 activation rows against a 1536 × 1536 matrix on one thread, as one <see cref="IQuantFormat.DotTile"/>
/// (each weight block decoded once per four activation rows) against 16 separate <see cref="IQuantFormat.DotRows"/>.
/// </summary>
public class DotTileBenchmarks
{
    private const int Size = 1536;
    private const int Activations = 16;

    private IQuantFormat _format = null!;
    private byte[] _weights = [];
    private byte[] _activations = [];
    private float[] _destination = [];
    private int _rowBytes;
    private int _activationBytes;

    [Params(GgmlType.Q4_K, GgmlType.Q8_0, GgmlType.Q6_K, GgmlType.Q5_0)]
    public GgmlType Format { get; set; }

    [ParamsSource(nameof(Paths))]
    public KernelPath Path { get; set; }

    public static IEnumerable<KernelPath> Paths() => KernelPaths.Supported.Where(p => p != KernelPath.Scalar);

    [GlobalSetup]
    public void Setup()
    {
        KernelPaths.Active = Path;
        _format = QuantFormats.Get(Format);
        _weights = Matrices.Weights(_format, Size, Size);
        _activations = Matrices.Activations(_format, Size, Activations);
        _destination = new float[Activations * Size];
        _rowBytes = _format.RowBytes(Size);
        _activationBytes = _format.ActivationBytes(Size);
    }

    [Benchmark(Baseline = true)]
    public void RowsPerActivation()
    {
        for (int t = 0; t < Activations; t++)
        {
            _format.DotRows(_weights, _rowBytes, Size, _activations.AsSpan(t * _activationBytes, _activationBytes), Size, _destination.AsSpan(t * Size, Size));
        }
    }

    [Benchmark]
    public void Tile() => _format.DotTile(_weights, _rowBytes, Size, _activations, Activations, Size, _destination, Size);
}
