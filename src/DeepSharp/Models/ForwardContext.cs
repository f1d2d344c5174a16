using DeepSharp.Compute;

namespace DeepSharp.Models;

/// <summary>What a forward pass runs with: scratch buffers, worker threads and an optional activation tap.</summary>
/// <param name="Workspace">Scratch buffers (one per session).</param>
/// <param name="Pool">Threads for row-parallel kernels.</param>
/// <param name="Sink">Receives named activations, or null.</param>
public sealed record ForwardContext(Workspace Workspace, ComputePool Pool, IActivationSink? Sink = null)
{
    /// <summary>Counts weight reads and expert choices, or null.</summary>
    public ForwardMeter? Meter { get; init; }

    /// <summary>Reports an activation to <see cref="Sink"/> if there is one.</summary>
    public void Tap(int layer, string name, int tokens, ReadOnlySpan<float> values) => Sink?.Report(layer, name, tokens, values);

    /// <summary><paramref name="output"/> = <paramref name="weights"/> · each of <paramref name="count"/> input rows, on <see cref="Pool"/>, metered.</summary>
    public void MatMul(WeightMatrix weights, ReadOnlySpan<float> input, int count, Span<float> output)
    {
        weights.MatMul(input, count, output, Pool);
        Meter?.AddWeightBytes(weights.Bytes);
    }

    /// <summary>The same input rows times each of <paramref name="matrices"/>, products one matrix after another (<see cref="WeightMatrix.MatMulShared"/>), metered.</summary>
    public void MatMulShared(ReadOnlySpan<WeightMatrix> matrices, ReadOnlySpan<float> input, int count, Span<float> output)
    {
        WeightMatrix.MatMulShared(matrices, input, count, output, Pool);
        AddWeightBytes(matrices);
    }

    /// <summary>Matrix i times the input row at i × <paramref name="inputStride"/>, in one run (<see cref="WeightMatrix.MatVecEach"/>), metered.</summary>
    public void MatVecEach(ReadOnlySpan<WeightMatrix> matrices, ReadOnlySpan<float> inputs, int inputStride, Span<float> output)
    {
        WeightMatrix.MatVecEach(matrices, inputs, inputStride, output, Pool);
        AddWeightBytes(matrices);
    }

    /// <summary><paramref name="output"/> = <paramref name="weights"/>ᵀ · each of <paramref name="count"/> input rows, on <see cref="Pool"/>, metered.</summary>
    public void MatMulTransposed(WeightMatrix weights, ReadOnlySpan<float> input, int count, Span<float> output)
    {
        weights.MatMulTransposed(input, count, output, Pool);
        Meter?.AddWeightBytes(weights.Bytes);
    }

    private void AddWeightBytes(ReadOnlySpan<WeightMatrix> matrices)
    {
        if (Meter is { } meter)
        {
            foreach (var m in matrices)
            {
                meter.AddWeightBytes(m.Bytes);
            }
        }
    }
}
