namespace DeepSharp.Server.Tests;

/// <summary>Locates the repository from the test binary's folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared(params string[] parts) => Path.Combine([RepoRoot, "..", "shared", "data", .. parts]);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DeepSharp.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("cannot find DeepSharp.sln above the test binaries");
    }
}
