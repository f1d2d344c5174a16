namespace DeepSharp.Models;

/// <summary>Maps <see cref="ModelArchitecture"/> to and from the GGUF architecture string.</summary>
public static class ModelArchitectureNames
{
    /// <summary>The GGUF name of an architecture.</summary>
    public static string ToGgufName(this ModelArchitecture architecture) => architecture switch
    {
        ModelArchitecture.Llama => "llama",
        ModelArchitecture.Qwen2 => "qwen2",
        ModelArchitecture.Qwen3 => "qwen3",
        ModelArchitecture.DeepSeek2 => "deepseek2",
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, null),
    };

    /// <summary>Parses a GGUF architecture name.</summary>
    public static bool TryParse(string name, out ModelArchitecture architecture)
    {
        foreach (var candidate in Enum.GetValues<ModelArchitecture>())
        {
            if (candidate.ToGgufName() == name)
            {
                architecture = candidate;
                return true;
            }
        }
        architecture = default;
        return false;
    }
}
