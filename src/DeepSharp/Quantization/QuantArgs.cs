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

    /// <summary>
    /// Checks the spans of a tile of dot products (<see cref="IQuantFormat.DotTile"/>) over rows of
    /// <paramref name="blocks"/> blocks.
    /// </summary>
    public static void Tile(
        GgmlType type, int blocks, int blockBytes, int dotBlockBytes, int weightBytes, int rowBytes, int rowCount,
        int activationBytes, int activationCount, int destinationLength, int destinationStride)
    {
        long rowLength = (long)blocks * blockBytes;
        if (rowCount < 0 || activationCount < 0)
        {
            Throw($"{type}: {rowCount} weight rows and {activationCount} activation rows; neither may be negative", rowCount < 0 ? "rowCount" : "activationCount");
        }
        if (rowCount > 0 && rowBytes < rowLength)
        {
            Throw($"{type}: rows of {blocks} blocks take {rowLength} bytes, more than the row stride {rowBytes}", "rowBytes");
        }
        long weightsNeeded = rowCount == 0 ? 0 : (long)(rowCount - 1) * rowBytes + rowLength;
        if (weightBytes < weightsNeeded)
        {
            Throw($"{type}: {rowCount} rows {rowBytes} bytes apart need {weightsNeeded} bytes, but the span holds {weightBytes}", "weightRows");
        }
        long activationsNeeded = (long)activationCount * blocks * dotBlockBytes;
        if (activationBytes != activationsNeeded)
        {
            Throw($"{type}: {activationCount} activation rows of {blocks} blocks take {activationsNeeded} bytes, but the span holds {activationBytes}", "activations");
        }
        if (activationCount > 1 && destinationStride < rowCount)
        {
            Throw($"{type}: a destination stride of {destinationStride} is shorter than the {rowCount} results of one activation row", "destinationStride");
        }
        long destinationNeeded = activationCount == 0 || rowCount == 0 ? 0 : (long)(activationCount - 1) * destinationStride + rowCount;
        if (destinationLength < destinationNeeded)
        {
            Throw($"{type}: {activationCount} × {rowCount} results {destinationStride} apart need {destinationNeeded} floats, but the span holds {destinationLength}", "destination");
        }
    }

    [DoesNotReturn]
    private static void Throw(string message, string paramName) => throw new ArgumentException(message, paramName);
}
