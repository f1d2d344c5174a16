using DeepSharp.Cli;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;
using DeepSharp.Tests.Engine;

namespace DeepSharp.Tests.Cli;

public sealed class RunCommandTests
{
    /// <summary>The printed text is the prompt followed by the decoded greedy continuation of BOS + prompt.</summary>
    [Fact]
    public async Task PrintsThePromptAndItsGreedyContinuation()
    {
        var output = new StringWriter();
        int code = await RunCommand.RunAsync(EngineFixture.ModelPath, "The sky is", 10, 0, SamplingOptions.Greedy, output, CancellationToken.None);
        Assert.Equal(0, code);

        using var engine = EngineFixture.Load();
        var ids = engine.Tokenizer.Encode("The sky is");
        var tokens = TokenGenerator.Generate(new InferenceSession(engine.Model), ids,
            new GenerationOptions { MaxTokens = 10, Sampling = SamplingOptions.Greedy, StopTokens = engine.Tokenizer.Vocabulary.EndOfGenerationIds })
            .Where(s => s.Finish != FinishReason.StopToken).Select(s => s.Token).ToArray();
        Assert.Equal("The sky is" + engine.Tokenizer.Decode(tokens) + Environment.NewLine, output.ToString());
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameSampledText()
    {
        var sampling = new SamplingOptions { Temperature = 1.0f, Seed = 42 };
        var a = new StringWriter();
        var b = new StringWriter();
        await RunCommand.RunAsync(EngineFixture.ModelPath, "x", 12, 0, sampling, a, CancellationToken.None);
        await RunCommand.RunAsync(EngineFixture.ModelPath, "x", 12, 0, sampling, b, CancellationToken.None);
        Assert.Equal(a.ToString(), b.ToString());
    }

    [Fact]
    public void TheCommandLineParsesSamplingOptions()
    {
        var root = new System.CommandLine.RootCommand { RunCommand.Create() };
        var parse = root.Parse(["run", EngineFixture.ModelPath, "-p", "hi", "-n", "3", "--temp", "0", "--top-k", "5", "--seed", "7"]);
        Assert.Empty(parse.Errors);
        Assert.NotEmpty(root.Parse(["run", EngineFixture.ModelPath]).Errors); // -p is required
    }
}
