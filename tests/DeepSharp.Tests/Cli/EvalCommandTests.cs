using System.Text.RegularExpressions;
using DeepSharp.Cli;
using DeepSharp.Evaluation;
using DeepSharp.Models;

namespace DeepSharp.Tests.Cli;

public sealed class EvalCommandTests
{
    [Fact]
    public async Task Scores_the_bundled_model_through_its_chat_template()
    {
        string path = Path.Combine(TestPaths.RepoRoot, "models", BundledModel.FileName);
        var output = new StringWriter();
        int code = await EvalCommand.RunAsync(path, ReasoningTasks.Get("arith-easy"), 20, 96, output, CancellationToken.None);
        Assert.Equal(0, code);
        var m = Regex.Match(output.ToString(), @"^arith-easy: (\d+)/20 correct \([\d.]+%\), ([\d.]+)% well formed");
        Assert.True(m.Success, output.ToString());
        // The trained model closes its reasoning and answers with an integer; on 1–3-digit problems it is mostly right.
        Assert.True(double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) >= 90, output.ToString());
        Assert.True(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 10, output.ToString());
    }
}
