using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DeepSharp.Tokenization;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp tokenize MODEL (TEXT | --file F) [--json] [--special] [--no-bos]</c>: prints the token ids of a
/// text under a model's tokenizer (a GGUF file, a tokenizer.json, or a folder holding one).
/// </summary>
internal static class TokenizeCommand
{
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A GGUF file, a tokenizer.json, or a folder holding tokenizer.json" };
        var text = new Argument<string?>("text") { Description = "The text to tokenize", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "Read the text from this UTF-8 file ('-' for standard input)" };
        var json = new Option<bool>("--json") { Description = "Print only a JSON array of the ids" };
        var special = new Option<bool>("--special") { Description = "Recognise special tokens written in the text, such as <｜User｜>" };
        var noBos = new Option<bool>("--no-bos") { Description = "Do not add the BOS/EOS tokens the model asks for" };
        var command = new Command("tokenize", "Print the token ids of a text") { model, text, file, json, special, noBos };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(text) is null) == (result.GetValue(file) is null))
            {
                result.AddError("give the text either as an argument or with --file (exactly one of them)");
            }
        });
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                string input = parseResult.GetValue(text) ?? ReadFile(parseResult.GetValue(file)!);
                var tokenizer = Tokenizer.Load(parseResult.GetRequiredValue(model));
                int[] ids = tokenizer.Encode(input, addSpecial: !parseResult.GetValue(noBos), parseSpecial: parseResult.GetValue(special));
                if (parseResult.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(ids));
                }
                else
                {
                    foreach (int id in ids)
                    {
                        output.WriteLine($"{id,8} {JsonSerializer.Serialize(tokenizer.Decode([id]), s_json)}");
                    }
                    output.WriteLine($"{ids.Length} tokens");
                }
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string ReadFile(string path) =>
        path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path, Encoding.UTF8);
}
