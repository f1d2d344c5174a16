using System.Text.Json;
using DeepSharp.Models;
using DeepSharp.Training.Modeling;

namespace DeepSharp.Training.Stages;

/// <summary>
/// A stage's saved state in its folder: model weights and router biases (<c>model.bin</c>), AdamW moments
/// (<c>optim.bin</c>) and <c>state.json</c> with the completed step and the model configuration.
/// </summary>
public sealed record Checkpoint(int Step, bool WithMtp, ModelConfig Config)
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>Model weights file in <paramref name="dir"/>.</summary>
    public static string ModelPath(string dir) => Path.Combine(dir, "model.bin");

    /// <summary>Optimizer state file in <paramref name="dir"/>.</summary>
    public static string OptimizerPath(string dir) => Path.Combine(dir, "optim.bin");

    /// <summary>Reads <c>state.json</c> of <paramref name="dir"/>, or null when the folder has no checkpoint.</summary>
    public static Checkpoint? TryRead(string dir)
    {
        string path = Path.Combine(dir, "state.json");
        if (!File.Exists(path) || !File.Exists(ModelPath(dir)))
        {
            return null;
        }
        return JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path), s_json)
            ?? throw new InvalidDataException($"'{path}' is not a checkpoint state");
    }

    /// <summary>Reads the checkpoint of <paramref name="dir"/> or fails with a message naming the folder.</summary>
    public static Checkpoint Read(string dir) =>
        TryRead(dir) ?? throw new FileNotFoundException($"'{dir}' holds no checkpoint (state.json and model.bin); run the previous stage first");

    /// <summary>Builds the model and loads the weights of <paramref name="dir"/>.</summary>
    public TinyDeepSeek LoadModel(string dir)
    {
        var model = new TinyDeepSeek(Config, WithMtp);
        model.load(ModelPath(dir));
        return model;
    }

    /// <summary>Saves the model, the optimizer and the state atomically enough for resuming (state.json last).</summary>
    public void Save(string dir, TinyDeepSeek model, TorchSharp.Modules.OptimizerHelper? optimizer)
    {
        Directory.CreateDirectory(dir);
        model.save(ModelPath(dir) + ".tmp");
        File.Move(ModelPath(dir) + ".tmp", ModelPath(dir), overwrite: true);
        if (optimizer is not null)
        {
            optimizer.save_state_dict(OptimizerPath(dir) + ".tmp");
            File.Move(OptimizerPath(dir) + ".tmp", OptimizerPath(dir), overwrite: true);
        }
        File.WriteAllText(Path.Combine(dir, "state.json"), JsonSerializer.Serialize(this, s_json));
    }
}
