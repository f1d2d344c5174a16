using DeepSharp.Training.Stages;

namespace DeepSharp.Training.Tests;

public class GroupAdvantagesTests
{
    [Fact]
    public void Normalises_each_group_by_its_own_mean_and_standard_deviation()
    {
        // Group 1: rewards 1.1, 0, 0, 1.1 → mean 0.55, population std 0.55 → ±1.
        // Group 2: 0.1, 0.1, 0.1, 1.1 → mean 0.35, std sqrt((3·0.0625 + 0.5625)/4) = sqrt(0.1875) = 0.4330127.
        double[] rewards = [1.1, 0, 0, 1.1, 0.1, 0.1, 0.1, 1.1];
        var a = GroupAdvantages.Compute(rewards, 4, epsilon: 0);
        double[] expected = [1, -1, -1, 1, -0.25 / 0.4330127, -0.25 / 0.4330127, -0.25 / 0.4330127, 0.75 / 0.4330127];
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(expected[i], a[i], 6);
        }
    }

    [Fact]
    public void A_group_with_equal_rewards_has_zero_advantage()
    {
        var a = GroupAdvantages.Compute([0.1, 0.1, 0.1, 0.1], 4);
        Assert.All(a, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Rejects_rewards_that_do_not_form_whole_groups()
    {
        Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([1, 0, 1], 2));
    }
}
