using System.Diagnostics;
using CsCheck;
using DeepSharp.Chat;

namespace DeepSharp.Tests.Chat;

/// <summary>Bad templates fail with a positioned <see cref="ChatTemplateException"/>; hostile ones cannot hang.</summary>
public sealed class ChatTemplateErrorTests
{
    private static readonly ChatTemplateLimits Tight = new() { MaxSteps = 20_000, MaxOutputLength = 100_000, MaxCallDepth = 16 };

    private static string Render(string template, ChatTemplateLimits? limits = null) =>
        ChatTemplate.Parse(template).Render(new ChatTemplateContext { Limits = limits ?? ChatTemplateLimits.Default });

    [Theory]
    [InlineData("{% if true %}\nno end", "endif", 2, 7)]
    [InlineData("a\n{% frobnicate %}", "unknown statement 'frobnicate'", 2, 4)]
    [InlineData("x\n  {{ 'unterminated }}", "unterminated string", 2, 6)]
    [InlineData("{{ 1 + }}", "unexpected '}}'", 1, 8)]
    [InlineData("{{ a $ b }}", "unexpected character '$'", 1, 6)]
    [InlineData("{# never closed", "unclosed comment", 1, 1)]
    [InlineData("{{ x", "missing '}}'", 1, 1)]
    [InlineData("{% for x in %}{% endfor %}", "unexpected '%}'", 1, 13)]
    [InlineData("{% set x.y.z = 1 %}", "expected '%}'", 1, 11)]
    public void SyntaxErrorsNameTheProblemAndPosition(string template, string problem, int line, int column)
    {
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template));
        Assert.Contains(problem, e.Problem);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Contains($"line {line}, column {column}", e.Message);
    }

    [Theory]
    [InlineData("ok\n{{ missing.attr }}", "'missing' is undefined", 2, 4)]
    [InlineData("{{ 1 + 'a' }}", "unsupported operand type(s) for +: 'int' and 'str'", 1, 6)]
    [InlineData("{{ nope() }}", "'nope' is undefined", 1, 4)]
    [InlineData("{% set x = 1 %}{% set x.y = 2 %}", "only namespace() objects", 1, 19)]
    [InlineData("{{ 'a' | nosuchfilter }}", "unknown filter 'nosuchfilter'", 1, 8)]
    [InlineData("{{ 1 // 0 }}", "division or modulo by zero", 1, 6)]
    [InlineData("{% for a, b in [1] %}{% endfor %}", "cannot unpack", 1, 4)]
    public void RuntimeErrorsNameTheProblemAndPosition(string template, string problem, int line, int column)
    {
        var e = Assert.Throws<ChatTemplateException>(() => Render(template));
        Assert.Contains(problem, e.Problem);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void RaiseExceptionIsDistinguishable()
    {
        var e = Assert.Throws<ChatTemplateRaisedException>(() => Render("{% if true %}\n  {{ raise_exception('roles must alternate') }}{% endif %}"));
        Assert.Equal("roles must alternate", e.TemplateMessage);
        Assert.Equal(2, e.Line);
    }

    [Theory]
    [InlineData("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loop iterations")]
    [InlineData("{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", "longer than")]
    [InlineData("{{ 'x' * 1000000000 }}", "longer than")]
    [InlineData("{{ range(1000000000000) | length }}", "longer than")]
    [InlineData("{% for i in range(1000) %}{{ 'abcdefghij' * 100 }}{% endfor %}", "longer than")]
    [InlineData("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "nested deeper")]
    [InlineData("{{ 3 ** 99999999999 }}", "overflow")]
    [InlineData("{{ (-1) ** 999999999999999999 }}", "")]
    public void HostileTemplatesStopQuickly(string template, string problem)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            Render(template, Tight);
            Assert.Equal("", problem); // only templates expected to succeed get here
        }
        catch (ChatTemplateException e)
        {
            Assert.Contains(problem, e.Problem);
        }
        // A generous bound: it catches a runaway loop, not a slow (loaded) machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
    }

    [Fact]
    public void DefaultLimitsStopAnEndlessLoop()
    {
        // 10^12 iterations would never end: the default iteration limit is what stops it (no wall-clock assertion,
        // which a loaded machine makes flaky).
        var e = Assert.Throws<ChatTemplateException>(() =>
            Render("{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}"));
        Assert.Contains("loop iterations", e.Problem);
    }

    [Theory]
    [InlineData(100_000, "(", ")")]
    [InlineData(100_000, "[", "]")]
    [InlineData(100_000, "{% if true %}", "{% endif %}")]
    [InlineData(100_000, "-", "")]
    [InlineData(100_000, "not ", "")]
    public void DeepNestingIsRejectedNotACrash(int depth, string open, string close)
    {
        string body = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        string template = open.StartsWith("{%", StringComparison.Ordinal) ? body : "{{ " + body + " }}";
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template));
        Assert.Contains("nesting", e.Problem);
    }

    [Fact]
    public void LongOperatorChainsAreRejectedNotACrash()
    {
        string template = "{{ 1" + string.Concat(Enumerable.Repeat(" + 1", 200_000)) + " }}";
        Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(template));
    }

    [Fact]
    public void RandomTemplatesEitherRenderOrFailCleanly()
    {
        // Fragments of template syntax glued at random: parsing and rendering must end with output or a
        // ChatTemplateException, never another exception type, a hang or a crash.
        var fragment = Gen.OneOf<string>(
            "{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", " if ", " for ", " in ", " endif ", " endfor ", " set ",
            " x ", " ns.a ", " = ", " + ", " ~ ", " * ", "(", ")", "[", "]", "{", "}", ",", ":", ".", " | ", " is ",
            " not ", " and ", " or ", "'s'", "\"t\"", "1", "2.5", " none ", " true ", " defined ", " tojson ",
            " length ", " range(3) ", " namespace(a=1) ", " macro ", " endmacro ", " loop.index ", " messages ",
            "\n", "  ", "text", " else ", " elif ", " raise_exception('r') ", "[::-1]", ".split(',')", " -");
        fragment.Array[0, 40].Select(parts => string.Concat(parts)).Sample(source =>
        {
            try
            {
                ChatTemplate.Parse(source).Render(new ChatTemplateContext { Messages = [ChatMessage.User("u")], Limits = Tight });
            }
            catch (ChatTemplateException)
            {
            }
        }, iter: 3000);
    }
}
