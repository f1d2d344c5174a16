using System.Runtime.InteropServices;
using DeepSharp.Compute;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.Models;

/// <summary>
/// Looks up a model's tensors by GGUF name and checks their shapes. Matrices stay in the mapping; small vectors
/// (norms, biases, RoPE factors) are widened to float arrays.
/// </summary>
public sealed class ModelWeights
{
    /// <summary>Wraps an open file.</summary>
    public ModelWeights(GgufFile file) => File = file;

    /// <summary>The file the tensors live in.</summary>
    public GgufFile File { get; }

    /// <summary>True when the file has a tensor of this name.</summary>
    public bool Has(string name) => File.TryGetTensor(name, out _);

    /// <summary>The matrix <paramref name="name"/> with <paramref name="rows"/> rows of <paramref name="columns"/> values.</summary>
    /// <exception cref="InvalidDataException">The tensor is missing or has another shape.</exception>
    public WeightMatrix Matrix(string name, int columns, int rows)
    {
        var t = Tensor(name);
        if (t.Dimensions.Count != 2 || t.Dimensions[0] != columns || t.Dimensions[1] != rows)
        {
            throw new InvalidDataException($"tensor '{name}' has shape [{string.Join(", ", t.Dimensions)}], expected [{columns}, {rows}]");
        }
        return WeightMatrix.FromTensor(File, t);
    }

    /// <summary>
    /// The 3-D tensor <paramref name="name"/> (GGUF ne = {columns, rows, count}) as <paramref name="count"/> matrices of
    /// <paramref name="rows"/> × <paramref name="columns"/>, each a view of its slab: stacked experts, or per-head matrices.
    /// </summary>
    /// <exception cref="InvalidDataException">The tensor is missing or has another shape.</exception>
    public IReadOnlyList<WeightMatrix> Slabs(string name, int columns, int rows, int count)
    {
        var t = Tensor(name);
        if (t.Dimensions.Count != 3 || t.Dimensions[0] != columns || t.Dimensions[1] != rows || t.Dimensions[2] != count)
        {
            throw new InvalidDataException($"tensor '{name}' has shape [{string.Join(", ", t.Dimensions)}], expected [{columns}, {rows}, {count}]");
        }
        var all = new WeightMatrix(name, t.Type, checked(rows * count), columns, File.GetBytes(t));
        return Enumerable.Range(0, count).Select(i => all.RowRange(i * rows, rows, $"{name}[{i}]")).ToArray();
    }

    /// <summary>The 1-D tensor <paramref name="name"/> of <paramref name="length"/> values as floats.</summary>
    /// <exception cref="InvalidDataException">The tensor is missing, has another shape or a type that is not F32/F16/BF16.</exception>
    public float[] Vector(string name, int length)
    {
        var t = Tensor(name);
        if (t.ElementCount != length || t.RowLength != length)
        {
            throw new InvalidDataException($"tensor '{name}' has shape [{string.Join(", ", t.Dimensions)}], expected [{length}]");
        }
        var bytes = File.GetBytes(t).AsSpan();
        var result = new float[length];
        switch (t.Type)
        {
            case GgmlType.F32:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result);
                break;
            case GgmlType.F16:
            case GgmlType.BF16:
                RowKernel.For(t.Type, name).Dequantize(bytes, result);
                break;
            default:
                throw new InvalidDataException($"tensor '{name}' is {t.Type}; a vector must be F32, F16 or BF16");
        }
        return result;
    }

    /// <summary><see cref="Vector"/> if the tensor exists, else null.</summary>
    public float[]? OptionalVector(string name, int length) => Has(name) ? Vector(name, length) : null;

    private GgufTensorInfo Tensor(string name) =>
        File.TryGetTensor(name, out var t) ? t : throw new InvalidDataException($"model file lacks tensor '{name}'");
}
