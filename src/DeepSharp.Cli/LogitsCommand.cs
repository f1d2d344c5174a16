using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeepSharp.Compute;
using DeepSharp.Inference;
using DeepSharp.Models;

namespace DeepSharp.Cli;

/// <summary><c>deepsharp logits MODEL --tokens 1,2,3 [--all] [--json]</c>: the model's logits after a token sequence.</summary>
internal static class LogitsCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path to a GGUF file" };
        var tokens = new Option<string>("--tokens") { Description = "Comma-separated token ids, evaluated exactly as given (no BOS is added)", Required = true };
        var all = new Option<bool>("--all") { Description = "Print the logits of every position, not only the last" };
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"tokens\": [...], \"logits\": [[...], ...]}" };
        var kvF32 = new Option<bool>("--kv-f32") { Description = "Keep the KV cache in F32 instead of F16" };
        var command = new Command("logits", "Evaluate token ids and print the logits")
        {
            model, tokens, all, json, kvF32,
        };
        command.SetAction(r => CliErrors.Guard(() =>
            Run(r.GetValue(model)!, ParseTokens(r.GetValue(tokens)!), r.GetValue(all), r.GetValue(json), r.GetValue(kvF32), Console.Out)));
        return command;
    }

    public static int Run(string path, int[] tokens, bool allPositions, bool asJson, bool kvF32, TextWriter output)
    {
        using var model = TransformerModel.Load(path);
        var session = new InferenceSession(model, new SessionOptions
        {
            ContextLength = Math.Min(model.Config.ContextLength, Math.Max(tokens.Length, 1)),
            KvCacheType = kvF32 ? KvCacheType.F32 : KvCacheType.F16,
        });
        float[][] rows = allPositions ? session.EvaluateAll(tokens) : [session.Evaluate(tokens).ToArray()];
        if (asJson)
        {
            var result = new JsonObject
            {
                ["tokens"] = new JsonArray(tokens.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
                ["positions"] = new JsonArray((allPositions ? Enumerable.Range(0, tokens.Length) : [tokens.Length - 1]).Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
                ["logits"] = new JsonArray(rows.Select(row => (JsonNode)new JsonArray(row.Select(v => (JsonNode)JsonValue.Create(v)).ToArray())).ToArray()),
            };
            output.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        }
        else
        {
            int first = allPositions ? 0 : tokens.Length - 1;
            for (int i = 0; i < rows.Length; i++)
            {
                var top = Enumerable.Range(0, rows[i].Length).OrderByDescending(j => rows[i][j]).Take(10);
                output.WriteLine($"position {first + i} (token {tokens[first + i]}): top " +
                    string.Join(", ", top.Select(j => $"{j}:{rows[i][j].ToString("0.0000", CultureInfo.InvariantCulture)}")));
            }
        }
        return 0;
    }

    internal static int[] ParseTokens(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException("--tokens lists no token ids");
        }
        return parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) && id >= 0
            ? id
            : throw new ArgumentException($"'{p}' in --tokens is not a token id")).ToArray();
    }
}
