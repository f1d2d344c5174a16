using DeepSharp.Chat;

namespace DeepSharp.Tests.Chat;

/// <summary>
/// Every real template × every scenario renders byte-identically to the reference renderer
/// (@huggingface/jinja): live through Jint when the oracle is fetched, and always against the checked-in
/// golden outputs it produced.
/// </summary>
[Collection(JinjaOracleCollection.Name)]
public sealed class ChatTemplateCorpusTests(JinjaOracle oracle)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var template in TemplateCatalog.All)
        {
            foreach (var scenario in ChatScenarios.For(template.Profile))
            {
                data.Add(template.Id, scenario.Name);
            }
        }
        return data;
    }

    private static (TemplateCase, ChatScenario) Find(string templateId, string scenarioName)
    {
        var template = TemplateCatalog.Get(templateId);
        return (template, ChatScenarios.For(template.Profile).Single(s => s.Name == scenarioName));
    }

    private static OracleResult RenderOurs(TemplateCase template, ChatScenario scenario)
    {
        try
        {
            return new OracleResult(ChatTemplate.Parse(template.Source).Render(ChatScenarios.ToContext(template, scenario)), null);
        }
        catch (ChatTemplateException e)
        {
            return new OracleResult(null, e.Message);
        }
    }

    private static void AssertSame(OracleResult expected, OracleResult actual, string what)
    {
        if (expected.Output is null)
        {
            Assert.True(actual.Output is null, $"{what} failed with \"{expected.Error}\" but ours rendered:\n{actual.Output}");
            return;
        }
        Assert.True(actual.Error is null, $"ours failed: {actual.Error}");
        Assert.Equal(expected.Output, actual.Output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesGoldenOutput(string templateId, string scenarioName)
    {
        var (template, scenario) = Find(templateId, scenarioName);
        var golden = GoldenFiles.Read(templateId, scenarioName);
        if (golden is null && GoldenFiles.Writing)
        {
            Assert.Skip("golden file is being written by the oracle test");
        }
        Assert.True(golden is not null, $"no golden output for {templateId}/{scenarioName}; run tests/DeepSharp.Tests/Chat/oracle/regen-golden.sh");
        AssertSame(golden, RenderOurs(template, scenario), "the golden render");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesReferenceRenderer(string templateId, string scenarioName)
    {
        oracle.RequireAvailable();
        var (template, scenario) = Find(templateId, scenarioName);
        var reference = oracle.Render(template.Source, ChatScenarios.OracleVariables(template, scenario));
        if (GoldenFiles.Writing)
        {
            GoldenFiles.Write(templateId, scenarioName, reference);
        }
        AssertSame(reference, RenderOurs(template, scenario), "the reference renderer");
    }

    [Fact]
    public void CatalogCoversEveryTemplateFile()
    {
        var files = Directory.GetFiles(TestPaths.Shared("chat-templates"), "*.jinja").Select(File.ReadAllText).ToHashSet();
        var covered = TemplateCatalog.All.Select(t => t.Source).ToHashSet();
        Assert.Empty(files.Except(covered));
    }
}
