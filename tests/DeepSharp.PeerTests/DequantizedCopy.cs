using System.Runtime.InteropServices;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Writes a copy of a GGUF file whose quantized tensors are decoded to F32: the same model with exact weights, whose
/// F32 evaluation is the oracle a quantized evaluation's rounding error is measured against.
/// </summary>
internal static class DequantizedCopy
{
    public static void Write(string source, string destination)
    {
        using var file = GgufFile.Open(source);
        var writer = new GgufWriter();
        foreach (var (key, value) in file.Metadata.Pairs)
        {
            writer.Add(key, value);
        }
        foreach (var t in file.Tensors)
        {
            var tensor = t;
            if (t.Type == GgmlType.F32)
            {
                writer.AddTensor(t.Name, t.Dimensions, GgmlType.F32, file.GetBytes(t).AsSpan().ToArray());
                continue;
            }
            writer.AddTensor(t.Name, t.Dimensions, GgmlType.F32, stream =>
            {
                var format = QuantFormats.Get(tensor.Type);
                var row = new float[tensor.RowLength];
                var bytes = file.GetBytes(tensor);
                for (long r = 0; r < tensor.RowCount; r++)
                {
                    format.Dequantize(bytes.Slice(r * tensor.RowBytes, (int)tensor.RowBytes), row);
                    stream.Write(MemoryMarshal.AsBytes(row.AsSpan()));
                }
            });
        }
        writer.WriteTo(destination);
    }
}
