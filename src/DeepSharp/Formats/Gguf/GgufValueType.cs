namespace DeepSharp.Formats.Gguf;

/// <summary>Metadata value type ids of the GGUF format (FACTS.md §1.3).</summary>
public enum GgufValueType : uint
{
#pragma warning disable CS1591 // names follow the GGUF specification
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
#pragma warning restore CS1591
}
