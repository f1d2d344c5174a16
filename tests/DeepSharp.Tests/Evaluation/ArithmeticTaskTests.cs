using System.Globalization;
using System.Text.RegularExpressions;
using DeepSharp.Evaluation;

namespace DeepSharp.Tests.Evaluation;

public partial class ArithmeticTaskTests
{
    [GeneratedRegex(@"^What is (\d+) ([-+*]) (\d+)\?$")]
    private static partial Regex Question();

    [GeneratedRegex(@"^(1?\d)([-+*])(\d)([-+])(\d)=(\d+)$")]
    private static partial Regex Step();

    [Theory]
    [InlineData("arith-easy")]
    [InlineData("arith-sft")]
    [InlineData("arith-hard")]
    public void Every_step_and_answer_is_right(string name)
    {
        var task = ReasoningTasks.Get(name);
        var random = new Random(42);
        for (int i = 0; i < 500; i++)
        {
            var p = task.Generate(random, i % 2 == 0 ? ProblemSplit.Train : ProblemSplit.HeldOut);
            var q = Question().Match(p.Question);
            Assert.True(q.Success, p.Question);
            long a = long.Parse(q.Groups[1].Value, CultureInfo.InvariantCulture), b = long.Parse(q.Groups[3].Value, CultureInfo.InvariantCulture);
            long expected = q.Groups[2].Value switch { "+" => a + b, "-" => a - b, _ => a * b };
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), p.Answer);

            // Each line "x op y ± c = r" must be true arithmetic, and the answer reads off the lines bottom-up.
            var lines = p.Reasoning.Split('\n');
            var digits = new List<string>();
            foreach (string line in lines)
            {
                var m = Step().Match(line);
                Assert.True(m.Success, $"{p.Question}: bad step '{line}'");
                int x = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), y = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                int c = int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture), r = int.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture);
                int value = m.Groups[2].Value switch { "+" => x + y + c, "-" => x - y - c, _ => (x * y) + c };
                Assert.Equal(value, r);
                digits.Add(m.Groups[6].Value);
            }
            string readOut = digits[^1] + string.Concat(digits.Take(digits.Count - 1).Reverse().Select(d => d[^1]));
            Assert.Equal(p.Answer, readOut.TrimStart('0') is "" ? "0" : readOut.TrimStart('0'));
        }
    }

    [Fact]
    public void Train_and_held_out_problems_never_overlap()
    {
        var task = ReasoningTasks.Get("arith-easy");
        var random = new Random(1);
        var train = Enumerable.Range(0, 3000).Select(_ => task.Generate(random, ProblemSplit.Train).Question).ToHashSet();
        var heldOut = Enumerable.Range(0, 1000).Select(_ => task.Generate(random, ProblemSplit.HeldOut).Question).ToHashSet();
        Assert.Empty(train.Intersect(heldOut));
        Assert.All(heldOut, q => Assert.Equal(ProblemSplit.HeldOut, ArithmeticTask.SplitOf(q)));
    }

    [Fact]
    public void Worked_example_matches_a_hand_written_one()
    {
        var p = ArithmeticTask.Create(ArithmeticOperation.Subtract, 4821, 397);
        Assert.Equal("What is 4821 - 397?", p.Question);
        Assert.Equal("11-7-0=4\n12-9-1=2\n8-3-1=4\n4-0-0=4", p.Reasoning);
        Assert.Equal("4424", p.Answer);
        Assert.Equal("11-7-0=4\n12-9-1=2\n8-3-1=4\n4-0-0=4\n</think>\n\n4424<｜end▁of▁sentence｜>", p.Completion);
    }

    [Fact]
    public void Hard_problems_have_more_digits_than_the_sft_set()
    {
        var sft = (ArithmeticTask)ReasoningTasks.Get("arith-sft");
        var hard = (ArithmeticTask)ReasoningTasks.Get("arith-hard");
        Assert.True(hard.MaxDigits > sft.MaxDigits);
        Assert.True(hard.MinDigits >= sft.MaxDigits);
    }

    [Fact]
    public void Unknown_task_names_are_reported()
    {
        var e = Assert.Throws<ArgumentException>(() => ReasoningTasks.Get("calculus"));
        Assert.Contains("arith-hard", e.Message);
    }
}
