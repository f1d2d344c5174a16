namespace DeepSharp.Evaluation;

/// <summary>An arithmetic operation whose worked solution a tiny model can learn digit by digit.</summary>
public enum ArithmeticOperation
{
    /// <summary>a + b, column by column with carries.</summary>
    Add,

    /// <summary>a − b with a ≥ b, column by column with borrows.</summary>
    Subtract,

    /// <summary>a × d for a single digit d, digit by digit with carries.</summary>
    Multiply,
}
