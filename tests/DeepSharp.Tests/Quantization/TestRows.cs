namespace DeepSharp.Tests.Quantization;

/// <summary>Seeded test rows for quantisation tests.</summary>
internal static class TestRows
{
    /// <summary>Standard normal values (Box–Muller on a seeded generator), scaled per 32 elements by a factor in
    /// [0.5, 2] so that blocks differ in range as real weight rows do.</summary>
    public static float[] Gaussian(int n, int seed, float scale = 1)
    {
        var rng = new Random(seed);
        var x = new float[n];
        float blockScale = 1;
        for (int i = 0; i < n; i++)
        {
            if (i % 32 == 0)
            {
                blockScale = scale * (float)Math.Pow(2, rng.NextDouble() * 2 - 1);
            }
            double u = 1 - rng.NextDouble(), v = rng.NextDouble();
            x[i] = blockScale * (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }
        return x;
    }

    /// <summary>A Gaussian row with one element 50 times the typical size.</summary>
    public static float[] WithOutlier(int n, int seed)
    {
        var x = Gaussian(n, seed);
        x[n / 3] = 50;
        return x;
    }

    public static float[] Constant(int n, float value) => Enumerable.Repeat(value, n).ToArray();
}
