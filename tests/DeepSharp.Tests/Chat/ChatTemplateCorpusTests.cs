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

    private static OracleResult RenderOurs(TemplateCase template, ChatScenario scenario) =>
        OracleResult.Capture(() => ChatTemplate.Parse(template.Source).Render(ChatScenarios.ToContext(template, scenario)));

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
        golden.AssertMatchedBy(RenderOurs(template, scenario));
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
        reference.AssertMatchedBy(RenderOurs(template, scenario));
    }

    [Fact]
    public void CatalogCoversEveryTemplateFile()
    {
        var files = Directory.GetFiles(TestPaths.Shared("chat-templates"), "*.jinja").Select(File.ReadAllText).ToHashSet();
        var covered = TemplateCatalog.All.Select(t => t.Source).ToHashSet();
        Assert.Empty(files.Except(covered));
    }
}
