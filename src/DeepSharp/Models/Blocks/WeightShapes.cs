using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>Shape checks blocks run on their weights when they are bound, with messages naming the tensor.</summary>
internal static class WeightShapes
{
    public static void Expect(WeightMatrix m, int rows, int columns)
    {
        if (m.Rows != rows || m.Columns != columns)
        {
            throw new InvalidDataException($"'{m.Name}' is {m.Rows}×{m.Columns}, expected {rows}×{columns}");
        }
    }

    public static void ExpectLength(float[]? vector, int length, string what)
    {
        if (vector is not null && vector.Length != length)
        {
            throw new InvalidDataException($"{what} has {vector.Length} values, expected {length}");
        }
    }
}
