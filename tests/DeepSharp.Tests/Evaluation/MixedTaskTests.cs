using System.Text.RegularExpressions;
using DeepSharp.Evaluation;

namespace DeepSharp.Tests.Evaluation;

public partial class MixedTaskTests
{
    [GeneratedRegex(@"^What is (\d+) [-+*] (\d+)\?$")]
    private static partial Regex Question();

    [Fact]
    public void Arith_mix_draws_hard_and_easy_problems_in_three_to_one_proportion()
    {
        var mix = ReasoningTasks.Get("arith-mix");
        var random = new Random(7);
        int hardOnly = 0, total = 4000;
        for (int i = 0; i < total; i++)
        {
            var m = Question().Match(mix.Generate(random, ProblemSplit.Train).Question);
            Assert.True(m.Success);
            // Only the hard part (3–4 digits) writes a 4-digit operand; the easy part has 1–3.
            int first = m.Groups[1].Value.Length, second = m.Groups[2].Value.Length;
            if (first == 4 || second == 4)
            {
                hardOnly++;
            }
            Assert.InRange(first, 1, 4);
        }
        // The hard part (3/4 of draws) has a 4-digit operand in half its products and three quarters of its sums and
        // differences: 3/4 · 2/3 = 0.5.
        double share = (double)hardOnly / total;
        Assert.InRange(share, 0.45, 0.55);
    }

    [Fact]
    public void Held_out_draws_stay_held_out_in_every_part()
    {
        var mix = ReasoningTasks.Get("arith-mix");
        var random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal(ProblemSplit.HeldOut, ArithmeticTask.SplitOf(mix.Generate(random, ProblemSplit.HeldOut).Question));
        }
    }

    [Fact]
    public void Weights_must_be_positive_and_parts_present()
    {
        var easy = ReasoningTasks.Get("arith-easy");
        Assert.Throws<ArgumentException>(() => new MixedTask("m", []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MixedTask("m", [(easy, 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MixedTask("m", [(easy, double.NaN)]));
        Assert.Contains("arith-easy", new MixedTask("m", [(easy, 1)]).Description);
    }
}
