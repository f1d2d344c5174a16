using System.CommandLine;
using DeepSharp.Models;

namespace DeepSharp.Cli;

/// <summary>The optional MODEL argument of <c>run</c> and <c>chat</c>: a GGUF path, else the bundled model (or its fallback).</summary>
internal static class ModelPathArgument
{
    public static Argument<string?> Create() => new("model")
    {
        Description = $"Path to a GGUF file; default: the bundled {BundledModel.FileName} (or {BundledModel.FallbackFileName} when it is absent)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static string Resolve(string? path) => path ?? BundledModel.LocateOrFallback();
}
