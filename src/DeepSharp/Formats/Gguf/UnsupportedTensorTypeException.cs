using DeepSharp.Quantization;

namespace DeepSharp.Formats.Gguf;

/// <summary>A tensor is stored in a ggml type that DeepSharp does not compute with.</summary>
public sealed class UnsupportedTensorTypeException : NotSupportedException
{
    /// <summary>Creates the exception for one tensor.</summary>
    public UnsupportedTensorTypeException(GgmlType type, string tensorName)
        : base($"unsupported tensor type {type} in tensor {tensorName}")
    {
        Type = type;
        TensorName = tensorName;
    }

    /// <summary>The type that is not supported.</summary>
    public GgmlType Type { get; }

    /// <summary>The tensor stored in it.</summary>
    public string TensorName { get; }
}
