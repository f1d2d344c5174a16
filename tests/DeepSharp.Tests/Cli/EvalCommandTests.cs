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

    [Fact]
    public async Task Sampled_scores_repeat_with_the_seed_and_differ_from_greedy_text()
    {
        string path = Path.Combine(TestPaths.RepoRoot, "models", BundledModel.FileName);
        var sampling = new DeepSharp.Inference.Sampling.SamplingOptions { Temperature = 1.5f, Seed = 11 };
        async Task<string> Run(DeepSharp.Inference.Sampling.SamplingOptions? s)
        {
            var output = new StringWriter();
            Assert.Equal(0, await EvalCommand.RunAsync(path, ReasoningTasks.Get("arith-hard"), 40, 96, output, CancellationToken.None, s));
            return output.ToString();
        }
        string first = await Run(sampling), again = await Run(sampling), greedy = await Run(null);
        Assert.Equal(first, again);
        Assert.Matches(@"^arith-hard: \d+/40 correct", first);
        // At temperature 1.5 the tiny model's 40 answers are not all what greedy decoding writes.
        Assert.NotEqual(greedy, first);
    }
}
