using System.Globalization;
using System.Text;

namespace DeepSharp.Evaluation;

/// <summary>
/// Multi-digit arithmetic with worked column-by-column steps. Each step line shows the digits and the carry
/// (or borrow) that enter a column and the column's result, from the least significant digit up, so the
/// answer can be read off the lines bottom to top.
/// </summary>
public sealed class ArithmeticTask : IReasoningTask
{
    private readonly ArithmeticOperation[] _operations;

    /// <summary>Creates a task drawing operands of <paramref name="minDigits"/> to <paramref name="maxDigits"/> digits.</summary>
    public ArithmeticTask(string name, IReadOnlyList<ArithmeticOperation> operations, int minDigits, int maxDigits)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (operations.Count == 0)
        {
            throw new ArgumentException("an arithmetic task needs at least one operation", nameof(operations));
        }
        if (minDigits < 1 || maxDigits < minDigits || maxDigits > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDigits), $"digits must satisfy 1 ≤ {minDigits} ≤ {maxDigits} ≤ 9");
        }
        Name = name;
        _operations = [.. operations];
        MinDigits = minDigits;
        MaxDigits = maxDigits;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Description => $"{string.Join("/", _operations)} with {MinDigits}–{MaxDigits}-digit operands";

    /// <summary>Fewest digits of an operand.</summary>
    public int MinDigits { get; }

    /// <summary>Most digits of an operand.</summary>
    public int MaxDigits { get; }

    /// <inheritdoc />
    public ReasoningProblem Generate(Random random, ProblemSplit split)
    {
        // Rejection sampling against the fixed hash partition; about one problem in eight is held out.
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            var op = _operations[random.Next(_operations.Length)];
            long a = Operand(random, random.Next(MinDigits, MaxDigits + 1));
            long b = op == ArithmeticOperation.Multiply ? random.Next(2, 10) : Operand(random, random.Next(MinDigits, MaxDigits + 1));
            if (op == ArithmeticOperation.Subtract && b > a)
            {
                (a, b) = (b, a);
            }
            var problem = Create(op, a, b);
            if (SplitOf(problem.Question) == split)
            {
                return problem;
            }
        }
        throw new InvalidOperationException($"task '{Name}' found no {split} problem (range too small)");
    }

    /// <summary>The split a question belongs to, fixed by a hash of its text.</summary>
    public static ProblemSplit SplitOf(string question)
    {
        uint hash = 2166136261;
        foreach (char c in question)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash % 8 == 0 ? ProblemSplit.HeldOut : ProblemSplit.Train;
    }

    /// <summary>The problem "a op b" with its worked steps.</summary>
    public static ReasoningProblem Create(ArithmeticOperation op, long a, long b)
    {
        if (a < 0 || b < 0 || (op == ArithmeticOperation.Subtract && b > a) || (op == ArithmeticOperation.Multiply && b > 9))
        {
            throw new ArgumentOutOfRangeException(nameof(b), $"unsupported operands {a}, {b} for {op}");
        }
        var (symbol, answer, steps) = op switch
        {
            ArithmeticOperation.Add => ("+", a + b, AddSteps(a, b)),
            ArithmeticOperation.Subtract => ("-", a - b, SubtractSteps(a, b)),
            _ => ("*", a * b, MultiplySteps(a, b)),
        };
        string question = string.Create(CultureInfo.InvariantCulture, $"What is {a} {symbol} {b}?");
        return new ReasoningProblem(question, steps, answer.ToString(CultureInfo.InvariantCulture));
    }

    private static long Operand(Random random, int digits)
    {
        long low = digits == 1 ? 0 : Pow10(digits - 1);
        return random.NextInt64(low, Pow10(digits));
    }

    private static long Pow10(int n)
    {
        long v = 1;
        for (int i = 0; i < n; i++)
        {
            v *= 10;
        }
        return v;
    }

    private static int[] Digits(long v) => [.. v.ToString(CultureInfo.InvariantCulture).Reverse().Select(c => c - '0')];

    private static string AddSteps(long a, long b)
    {
        int[] x = Digits(a), y = Digits(b);
        var sb = new StringBuilder();
        int carry = 0;
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            int p = i < x.Length ? x[i] : 0, q = i < y.Length ? y[i] : 0, s = p + q + carry;
            Line(sb, $"{p}+{q}+{carry}={s}");
            carry = s / 10;
        }
        return sb.ToString();
    }

    private static string SubtractSteps(long a, long b)
    {
        int[] x = Digits(a), y = Digits(b);
        var sb = new StringBuilder();
        int borrow = 0;
        for (int i = 0; i < x.Length; i++)
        {
            int p = x[i], q = i < y.Length ? y[i] : 0, d = p - q - borrow;
            // A borrowed column is written with its digit as 1p (p + 10); the next column then subtracts 1.
            Line(sb, d >= 0 ? $"{p}-{q}-{borrow}={d}" : $"1{p}-{q}-{borrow}={d + 10}");
            borrow = d >= 0 ? 0 : 1;
        }
        return sb.ToString();
    }

    private static string MultiplySteps(long a, long b)
    {
        int[] x = Digits(a);
        var sb = new StringBuilder();
        int carry = 0;
        foreach (int p in x)
        {
            int s = (p * (int)b) + carry;
            Line(sb, $"{p}*{b}+{carry}={s}");
            carry = s / 10;
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string line)
    {
        if (sb.Length > 0)
        {
            sb.Append('\n');
        }
        sb.Append(line);
    }
}
