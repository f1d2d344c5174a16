using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>The SwiGLU feed-forward block <c>down(silu(gate(x)) ⊙ up(x))</c>.</summary>
public sealed class SwiGlu : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates a block of hidden width <paramref name="hidden"/>.</summary>
    public SwiGlu(long dim, long hidden) : base(nameof(SwiGlu))
    {
        Gate = nn.Linear(dim, hidden, hasBias: false);
        Up = nn.Linear(dim, hidden, hasBias: false);
        Down = nn.Linear(hidden, dim, hasBias: false);
        register_module("gate", Gate);
        register_module("up", Up);
        register_module("down", Down);
    }

    /// <summary>Gate projection.</summary>
    public Linear Gate { get; }

    /// <summary>Up projection.</summary>
    public Linear Up { get; }

    /// <summary>Down projection.</summary>
    public Linear Down { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Down.forward(nn.functional.silu(Gate.forward(x)) * Up.forward(x));
}
