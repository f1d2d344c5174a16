using System.Text;

namespace DeepSharp.Tests.Chat;

/// <summary>
/// Checked-in reference outputs under tests/DeepSharp.Tests/Chat/golden, produced by the reference renderer
/// (oracle/regen-golden.sh). A render that the reference rejects is stored as a <c>.error</c> file holding its
/// message.
/// </summary>
public static class GoldenFiles
{
    /// <summary>Set to 1 to (re)write golden files from the reference renderer.</summary>
    public const string WriteVariable = "DEEPSHARP_WRITE_GOLDEN";

    public static bool Writing => Environment.GetEnvironmentVariable(WriteVariable) == "1";

    public static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "DeepSharp.Tests", "Chat", "golden");

    private static string PathOf(string template, string scenario, string extension) => Path.Combine(Folder, template, scenario + extension);

    public static OracleResult? Read(string template, string scenario)
    {
        string text = PathOf(template, scenario, ".txt"), error = PathOf(template, scenario, ".error");
        if (File.Exists(text))
        {
            return new OracleResult(File.ReadAllText(text, Encoding.UTF8), null);
        }
        return File.Exists(error) ? new OracleResult(null, File.ReadAllText(error, Encoding.UTF8)) : null;
    }

    public static void Write(string template, string scenario, OracleResult result)
    {
        Directory.CreateDirectory(Path.Combine(Folder, template));
        File.Delete(PathOf(template, scenario, ".txt"));
        File.Delete(PathOf(template, scenario, ".error"));
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        if (result.Output is not null)
        {
            File.WriteAllText(PathOf(template, scenario, ".txt"), result.Output, utf8);
        }
        else
        {
            File.WriteAllText(PathOf(template, scenario, ".error"), result.Error, utf8);
        }
    }
}
