using DeepSharp.Evaluation;

namespace DeepSharp.Tests.Evaluation;

public class StepCreditTests
{
    // 596 + 979, worked by hand: 6+9+0=15, 9+7+1=17, 5+9+1=15.
    [Theory]
    [InlineData("6+9+0=15\n9+7+1=17\n5+9+1=15\n", 1.0)]
    [InlineData("6+9+0=15\n0+9+1=10\n5+9+1=15\n", 2.0 / 3)]
    [InlineData("6+9+0=15\n", 1.0 / 3)]
    [InlineData("6+9+0=15\n9+7+1=17\n5+9+1=15\n0+0+1=1\n", 3.0 / 4)]
    [InlineData("9+7+1=17\n6+9+0=15\n", 0.0)]
    [InlineData(" 6+9+0=15 \n\n9+7+1=17\n5+9+1=15", 1.0)]
    [InlineData("", 0.0)]
    public void Credits_the_reference_lines_written_in_place(string reasoning, double expected)
    {
        var problem = ArithmeticTask.Create(ArithmeticOperation.Add, 596, 979);
        Assert.Equal("6+9+0=15\n9+7+1=17\n5+9+1=15", problem.Reasoning);
        Assert.Equal(expected, StepCredit.Score(reasoning, problem.Reasoning), 12);
    }
}
