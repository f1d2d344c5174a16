namespace DeepSharp.Compute;

/// <summary>Element type of the KV cache.</summary>
public enum KvCacheType
{
    /// <summary>Half precision, as llama.cpp stores it by default: half the memory of F32.</summary>
    F16,

    /// <summary>Single precision.</summary>
    F32,
}
