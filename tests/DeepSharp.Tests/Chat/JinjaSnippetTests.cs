using System.Text.Json.Nodes;
using DeepSharp.Chat;

namespace DeepSharp.Tests.Chat;

/// <summary>
/// Each feature snippet renders byte-identically to the reference renderer (live when fetched) and to the
/// checked-in golden output it produced.
/// </summary>
[Collection(JinjaOracleCollection.Name)]
public sealed class JinjaSnippetTests(JinjaOracle oracle)
{
    private const string GoldenFolder = "_snippets";

    public static TheoryData<string> Ids() => new(JinjaSnippets.All.Select(s => s.Id));

    private static OracleResult RenderOurs(JinjaSnippet snippet)
    {
        var variables = JsonNode.Parse(snippet.Variables)!.AsObject();
        var context = new ChatTemplateContext
        {
            Variables = variables.ToDictionary(kv => kv.Key, kv => (object?)kv.Value?.DeepClone()),
        };
        return OracleResult.Capture(() => ChatTemplate.Parse(snippet.Template).Render(context));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void MatchesGoldenOutput(string id)
    {
        var golden = GoldenFiles.Read(GoldenFolder, id);
        if (golden is null && GoldenFiles.Writing)
        {
            Assert.Skip("golden file is being written by the oracle test");
        }
        Assert.True(golden is not null, $"no golden output for snippet {id}; run tests/DeepSharp.Tests/Chat/oracle/regen-golden.sh");
        golden.AssertMatchedBy(RenderOurs(JinjaSnippets.Get(id)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void MatchesReferenceRenderer(string id)
    {
        oracle.RequireAvailable();
        var snippet = JinjaSnippets.Get(id);
        // The context always defines these; give the reference the same view.
        var variables = JsonNode.Parse(snippet.Variables)!.AsObject();
        variables.TryAdd("messages", new JsonArray());
        variables.TryAdd("tools", null);
        variables.TryAdd("add_generation_prompt", false);
        var reference = oracle.Render(snippet.Template, variables.ToJsonString());
        if (GoldenFiles.Writing)
        {
            GoldenFiles.Write(GoldenFolder, id, reference);
        }
        reference.AssertMatchedBy(RenderOurs(snippet));
    }
}
