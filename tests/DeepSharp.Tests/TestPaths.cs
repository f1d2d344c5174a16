namespace DeepSharp.Tests;

/// <summary>Locates the repository and the shared test data from the test binary's folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared data folder, which lies beside the repository (../shared/data).</summary>
    public static string SharedData => Path.Combine(RepoRoot, "..", "shared", "data");

    public static string Shared(params string[] parts) => Path.Combine([SharedData, .. parts]);

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
