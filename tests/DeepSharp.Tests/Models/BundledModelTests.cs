using DeepSharp.Models;

namespace DeepSharp.Tests.Models;

public sealed class BundledModelTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("deepsharp-bundled-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Prefers_the_copy_beside_the_application()
    {
        string app = Directory.CreateDirectory(Path.Combine(_root, "app", "models")).Parent!.FullName;
        File.WriteAllText(Path.Combine(app, "models", BundledModel.FileName), "");
        string work = Directory.CreateDirectory(Path.Combine(_root, "repo", "models")).Parent!.FullName;
        File.WriteAllText(Path.Combine(work, "models", BundledModel.FileName), "");
        Assert.Equal(Path.Combine(app, "models", BundledModel.FileName), BundledModel.TryLocate(app, work));
    }

    [Fact]
    public void Finds_the_checkout_copy_from_a_subfolder()
    {
        string repo = Directory.CreateDirectory(Path.Combine(_root, "repo", "models")).Parent!.FullName;
        File.WriteAllText(Path.Combine(repo, "models", BundledModel.FileName), "");
        string sub = Directory.CreateDirectory(Path.Combine(repo, "src", "x")).FullName;
        Assert.Equal(Path.Combine(repo, "models", BundledModel.FileName), BundledModel.TryLocate(Path.Combine(_root, "empty"), sub));
    }

    [Fact]
    public void Reports_absence_as_null()
    {
        Assert.Null(BundledModel.TryLocate(Path.Combine(_root, "a"), _root));
    }
}
