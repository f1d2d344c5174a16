using System.Runtime.InteropServices;
using System.Text.Json;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// Vectors computed by llama.cpp's own ggml library (TestData/make_ggml_reference.py): reference quantisations,
/// dequantisations, activation quantisations, scalar dot products and F16/BF16 conversions.
/// </summary>
internal sealed class GgmlReference
{
    private static readonly Lazy<GgmlReference> s_instance = new(Load);

    private GgmlReference(JsonElement root)
    {
        N = root.GetProperty("n").GetInt32();
        X = Floats(root.GetProperty("x"));
        Y = Floats(root.GetProperty("y"));
        foreach (var a in root.GetProperty("activations").EnumerateObject())
        {
            Activations[Enum.Parse<GgmlType>(a.Name)] = a.Value.GetBytesFromBase64();
        }
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var type = Enum.Parse<GgmlType>(c.GetProperty("type").GetString()!);
            Cases[type] = new Case(
                type,
                Enum.Parse<GgmlType>(c.GetProperty("dot_type").GetString()!),
                OptionalBytes(c, "quant"),
                OptionalFloats(c, "quant_deq"),
                OptionalBytes(c, "rand"),
                OptionalFloats(c, "rand_deq"),
                OptionalSingle(c, "dot_quant"),
                OptionalSingle(c, "dot_rand"));
        }
        foreach (var c in root.GetProperty("conversions").EnumerateArray())
        {
            Conversions.Add(new Conversion(
                c.GetProperty("f32").GetUInt32(), c.GetProperty("f16").GetUInt16(), c.GetProperty("bf16").GetUInt16()));
        }
    }

    public static GgmlReference Instance => s_instance.Value;

    /// <summary>Elements in every row.</summary>
    public int N { get; }

    /// <summary>The weight row that was quantised.</summary>
    public float[] X { get; }

    /// <summary>The activation row, with blocks that make the activation quantisers round exact halves.</summary>
    public float[] Y { get; }

    /// <summary><see cref="Y"/> quantised by ggml to Q8_0, Q8_1 and Q8_K.</summary>
    public Dictionary<GgmlType, byte[]> Activations { get; } = [];

    public Dictionary<GgmlType, Case> Cases { get; } = [];

    public List<Conversion> Conversions { get; } = [];

    /// <summary>
    /// One type: ggml's reference quantisation of X and its decoding; random blocks and their decoding; ggml's
    /// dot products of both with Y in the dot type.
    /// </summary>
    public sealed record Case(GgmlType Type, GgmlType DotType, byte[]? Quant, float[]? QuantDeq, byte[]? Rand,
        float[]? RandDeq, float? DotQuant, float? DotRand);

    /// <summary>A float by bit pattern and ggml's F16 and BF16 roundings of it.</summary>
    public sealed record Conversion(uint F32, ushort F16, ushort BF16);

    private static GgmlReference Load()
    {
        string path = Path.Combine(TestPaths.RepoRoot, "tests", "DeepSharp.Tests", "Quantization", "TestData", "ggml_reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return new GgmlReference(doc.RootElement);
    }

    private static float[] Floats(JsonElement e) => MemoryMarshal.Cast<byte, float>(e.GetBytesFromBase64()).ToArray();

    private static byte[]? OptionalBytes(JsonElement c, string name) =>
        c.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetBytesFromBase64() : null;

    private static float[]? OptionalFloats(JsonElement c, string name) =>
        c.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? Floats(e) : null;

    private static float? OptionalSingle(JsonElement c, string name) =>
        c.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetSingle() : null;
}
