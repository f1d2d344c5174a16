using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>Dense SwiGLU feed-forward: <c>down(silu(gate(x)) ⊙ up(x))</c>.</summary>
public sealed class SwiGluFeedForward : IFeedForward
{
    private readonly WeightMatrix _gate;
    private readonly WeightMatrix _up;
    private readonly WeightMatrix _down;

    /// <summary>Binds the block and checks the shapes: gate and up map width → hidden, down maps hidden → width.</summary>
    public SwiGluFeedForward(WeightMatrix gate, WeightMatrix up, WeightMatrix down)
    {
        if (up.Rows != gate.Rows || up.Columns != gate.Columns || down.Columns != gate.Rows || down.Rows != gate.Columns)
        {
            throw new InvalidDataException(
                $"feed-forward shapes disagree: {gate.Name} {gate.Rows}×{gate.Columns}, {up.Name} {up.Rows}×{up.Columns}, {down.Name} {down.Rows}×{down.Columns}");
        }
        _gate = gate;
        _up = up;
        _down = down;
    }

    /// <summary>Hidden width.</summary>
    public int HiddenLength => _gate.Rows;

    /// <inheritdoc />
    public void Forward(ForwardContext context, int layer, ReadOnlySpan<float> input, int tokens, Span<float> output)
    {
        var gate = context.Workspace.Get("ffn.gate", tokens * HiddenLength);
        var up = context.Workspace.Get("ffn.up", tokens * HiddenLength);
        context.MatMul(_gate, input, tokens, gate);
        context.MatMul(_up, input, tokens, up);
        Activations.SwiGlu(gate, up, gate);
        context.MatMul(_down, gate, tokens, output);
    }
}
