using DeepSharp.Training.Stages;

namespace DeepSharp.Training.Tests;

public class CosineScheduleTests
{
    [Fact]
    public void Warms_up_linearly_then_decays_to_the_floor()
    {
        Assert.Equal(0.1, CosineSchedule.At(0, 111, 10, 1.0, 0.1), 12);
        Assert.Equal(1.0, CosineSchedule.At(9, 111, 10, 1.0, 0.1), 12);
        Assert.Equal(1.0, CosineSchedule.At(10, 111, 10, 1.0, 0.1), 12);
        // Steps 10..110 decay; step 60 is halfway, where the cosine factor is 0.5: 0.1 + 0.9 × 0.5.
        Assert.Equal(0.55, CosineSchedule.At(60, 111, 10, 1.0, 0.1), 12);
        Assert.Equal(0.1, CosineSchedule.At(110, 111, 10, 1.0, 0.1), 12);
    }
}
