using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>Dense SwiGLU feed-forward: <c>down(silu(gate(x)) ⊙ up(x))</c>.</summary>
public sealed class SwiGluFeedForward : IFeedForward
{
    private readonly WeightMatrix[] _gateUp;
    private readonly WeightMatrix _down;

    /// <summary>Binds the block and checks the shapes: gate and up map width → hidden, down maps hidden → width.</summary>
    public SwiGluFeedForward(WeightMatrix gate, WeightMatrix up, WeightMatrix down)
    {
        if (up.Rows != gate.Rows || up.Columns != gate.Columns || down.Columns != gate.Rows || down.Rows != gate.Columns)
        {
            throw new InvalidDataException(
                $"feed-forward shapes disagree: {gate.Name} {gate.Rows}×{gate.Columns}, {up.Name} {up.Rows}×{up.Columns}, {down.Name} {down.Rows}×{down.Columns}");
        }
        _gateUp = [gate, up];
        _down = down;
    }

    /// <summary>Hidden width.</summary>
    public int HiddenLength => _gateUp[0].Rows;

    /// <inheritdoc />
    public void Forward(ForwardContext context, int layer, ReadOnlySpan<float> input, int tokens, Span<float> output)
    {
        int hidden = tokens * HiddenLength;
        var gateUp = context.Workspace.Get("ffn.gate_up", 2 * hidden);
        context.MatMulShared(_gateUp, input, tokens, gateUp);
        var gate = gateUp[..hidden];
        Activations.SwiGlu(gate, gateUp[hidden..], gate);
        context.MatMul(_down, gate, tokens, output);
    }
}
