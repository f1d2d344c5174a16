using System.Diagnostics.CodeAnalysis;

namespace DeepSharp.Quantization;

/// <summary>Length checks shared by every format's public entry points.</summary>
internal static class QuantArgs
{
    /// <summary>The number of blocks in <paramref name="elements"/>, which must be a whole number of them.</summary>
    public static int Blocks(GgmlType type, int blockSize, int elements, string paramName)
    {
        if (elements < 0 || elements % blockSize != 0)
        {
            Throw($"{type}: {elements} elements are not a whole number of {blockSize}-element blocks", paramName);
        }
        return elements / blockSize;
    }

    /// <summary>Checks that a byte span holds exactly <paramref name="blocks"/> blocks.</summary>
    public static void Bytes(GgmlType type, int blocks, int blockBytes, int actual, string paramName)
    {
        long expected = (long)blocks * blockBytes;
        if (actual != expected)
        {
            Throw($"{type}: {blocks} blocks take {expected} bytes, but the span holds {actual}", paramName);
        }
    }

    /// <summary>Checks that a float span holds exactly <paramref name="expected"/> elements.</summary>
    public static void Elements(GgmlType type, int expected, int actual, string paramName)
    {
        if (actual != expected)
        {
            Throw($"{type}: expected {expected} elements, but the span holds {actual}", paramName);
        }
    }

    /// <summary>Checks the arguments of a dot product over one-element "blocks" (the plain float formats).</summary>
    public static void ElementDot(GgmlType type, int count, int elementBytes, int weightBytes, int activationBytes)
    {
        Blocks(type, 1, count, nameof(count));
        Bytes(type, count, elementBytes, weightBytes, "weights");
        Bytes(type, count, elementBytes, activationBytes, "activations");
    }

    [DoesNotReturn]
    private static void Throw(string message, string paramName) => throw new ArgumentException(message, paramName);
}
