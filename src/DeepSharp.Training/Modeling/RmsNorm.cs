using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>RMSNorm as llama.cpp computes it: <c>x / sqrt(mean(x²) + eps) · w</c>.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly float _eps;

    /// <summary>Creates a norm over the last dimension of width <paramref name="dim"/>, weights one.</summary>
    public RmsNorm(long dim, float eps) : base(nameof(RmsNorm))
    {
        _eps = eps;
        Weight = nn.Parameter(ones(dim));
        register_parameter("weight", Weight);
    }

    /// <summary>The scale vector (GGUF <c>*_norm.weight</c>).</summary>
    public TorchSharp.Modules.Parameter Weight { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => x * rsqrt(x.pow(2).mean([-1], keepdim: true) + _eps) * Weight;
}
