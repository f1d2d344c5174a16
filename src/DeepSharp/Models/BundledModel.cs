namespace DeepSharp.Models;

/// <summary>
/// The model that ships with DeepSharp: a tiny deepseek2 reasoning model trained by the project's own recipe
/// (see models/README-deepsharp-tiny-r1.md). Commands that take a model use it when none is named, so the
/// project works offline out of the box.
/// </summary>
public static class BundledModel
{
    /// <summary>File name of the bundled model.</summary>
    public const string FileName = "deepsharp-tiny-r1.gguf";

    /// <summary>
    /// The bundled model's path: <c>models/</c> beside the application (where the CLI's build copies it), else the
    /// first <c>models/</c> folder holding it in the working directory or one of its parents (a source checkout).
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither place has the file.</exception>
    public static string Locate() => TryLocate(AppContext.BaseDirectory, Environment.CurrentDirectory)
        ?? throw new FileNotFoundException($"the bundled model '{FileName}' was not found beside the application or in a models/ folder above the working directory; pass a model path");

    /// <summary>
    /// The random-weight test model shipped in the source tree (<c>models/tiny-random-qwen2.gguf</c>), used in place of
    /// the bundled model while a checkout or build lacks it.
    /// </summary>
    public const string FallbackFileName = "tiny-random-qwen2.gguf";

    /// <summary>
    /// The bundled model's path, else the fallback test model's (<see cref="FallbackFileName"/>), searched the same way.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither model was found.</exception>
    public static string LocateOrFallback() =>
        TryLocate(AppContext.BaseDirectory, Environment.CurrentDirectory)
        ?? TryLocate(AppContext.BaseDirectory, Environment.CurrentDirectory, FallbackFileName)
        ?? throw new FileNotFoundException($"neither the bundled model '{FileName}' nor the fallback '{FallbackFileName}' was found beside the application or in a models/ folder above the working directory; pass a model path");

    /// <summary>Looks in <c>models/</c> under <paramref name="appDirectory"/>, then above <paramref name="workingDirectory"/>.</summary>
    public static string? TryLocate(string appDirectory, string workingDirectory) => TryLocate(appDirectory, workingDirectory, FileName);

    private static string? TryLocate(string appDirectory, string workingDirectory, string fileName)
    {
        string beside = Path.Combine(appDirectory, "models", fileName);
        if (File.Exists(beside))
        {
            return beside;
        }
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "models", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
