using DeepSharp.Chat;

namespace DeepSharp.Tests.Chat;

/// <summary>A render's output, or its error message (from the reference, a golden file or our engine).</summary>
public sealed record OracleResult(string? Output, string? Error)
{
    /// <summary>Runs our renderer, turning a template error into <see cref="Error"/>.</summary>
    public static OracleResult Capture(Func<string> render)
    {
        try
        {
            return new OracleResult(render(), null);
        }
        catch (ChatTemplateException e)
        {
            return new OracleResult(null, e.Message);
        }
    }

    /// <summary>Our result must equal this expected one byte for byte, or fail when the expected one failed.</summary>
    public void AssertMatchedBy(OracleResult ours)
    {
        if (Output is null)
        {
            Assert.True(ours.Output is null, $"the reference failed with \"{Error}\" but ours rendered:\n{ours.Output}");
            return;
        }
        Assert.True(ours.Error is null, $"ours failed: {ours.Error}");
        Assert.Equal(Output, ours.Output);
    }
}
