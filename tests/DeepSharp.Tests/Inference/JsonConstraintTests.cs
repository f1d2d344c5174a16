using System.Text;
using System.Text.Json;
using CsCheck;
using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Tests.Inference;

/// <summary>
/// The JSON constraint against System.Text.Json as the judge of what valid JSON is: the byte scanner accepts exactly
/// the texts it parses as one object, and a model sampled under the constraint writes such a text every time, ending
/// in time even when the token limit is tight.
/// </summary>
public sealed class JsonConstraintTests
{
    private static bool Scans(string text, out bool complete)
    {
        var scanner = new JsonScanner();
        complete = false;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            if (!scanner.Push(b))
            {
                return false;
            }
        }
        complete = scanner.IsComplete;
        return true;
    }

    private static bool ParsesAsObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Random JSON values written by System.Text.Json itself (compact or indented).</summary>
    private static readonly Gen<string> s_objects = Gen.Select(Gen.Int[0, 1_000_000], Gen.Bool).Select((seed, indented) =>
    {
        var random = new Random(seed);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            WriteObject(writer, random, 0);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    });

    private static void WriteObject(Utf8JsonWriter writer, Random random, int depth)
    {
        writer.WriteStartObject();
        for (int i = random.Next(depth < 4 ? 4 : 1); i > 0; i--)
        {
            writer.WritePropertyName(RandomString(random));
            WriteValue(writer, random, depth + 1);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, Random random, int depth)
    {
        switch (random.Next(depth < 4 ? 8 : 6))
        {
            case 0: writer.WriteStringValue(RandomString(random)); break;
            case 1: writer.WriteNumberValue(random.Next(-1000, 1000)); break;
            case 2: writer.WriteNumberValue((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30))); break;
            case 3: writer.WriteBooleanValue(random.Next(2) == 0); break;
            case 4: writer.WriteNullValue(); break;
            case 5: writer.WriteStringValue(""); break;
            case 6: WriteObject(writer, random, depth); break;
            default:
                writer.WriteStartArray();
                for (int i = random.Next(4); i > 0; i--)
                {
                    WriteValue(writer, random, depth + 1);
                }
                writer.WriteEndArray();
                break;
        }
    }

    private static readonly string[] s_stringPieces = ["a", "bc", " ", "\"", "\\", "/", "\n", "\t", "é", "€", "😀", "\u0001", "<", ">"];

    private static string RandomString(Random random)
    {
        var text = new StringBuilder();
        for (int i = random.Next(6); i > 0; i--)
        {
            text.Append(s_stringPieces[random.Next(s_stringPieces.Length)]);
        }
        return text.ToString();
    }

    [Fact]
    public void EveryObjectSystemTextJsonWritesScansCompleteOnlyAtItsEnd()
    {
        s_objects.Sample(text =>
        {
            var scanner = new JsonScanner();
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            for (int i = 0; i < bytes.Length; i++)
            {
                Assert.False(scanner.IsComplete, $"complete before byte {i} of {text}");
                Assert.True(scanner.Push(bytes[i]), $"byte {i} of {text} refused");
            }
            Assert.True(scanner.IsComplete, text);
            Assert.Equal(0, scanner.ClosingCost);
        }, iter: 2000);
    }

    [Fact]
    public void ScannerAgreesWithSystemTextJsonOnRandomTexts()
    {
        var piece = Gen.OneOf<string>("{", "}", "[", "]", "\"", ":", ",", " ", "0", "1", "-", ".", "e", "E", "+", "true", "false", "null",
            "tru", "\\", "\\u00e9", "\\x", "a", "\"a\"", "{\"k\":", "\n", "é", "\u0001");
        piece.Array[0, 14].Select(parts => string.Concat(parts)).Sample(text =>
        {
            // The scanner ends at the object's closing brace (generation stops there), so whitespace after it is
            // refused, while System.Text.Json allows it.
            bool expected = ParsesAsObject(text) && text.TrimEnd(' ', '\t', '\n', '\r').Length == text.Length;
            bool accepted = Scans(text, out bool complete);
            Assert.Equal(expected, accepted && complete);
        }, iter: 20000);
    }

    [Theory]
    [InlineData("{\"a\": 01}")]
    [InlineData("{\"a\": 1.}")]
    [InlineData("{\"a\": .5}")]
    [InlineData("{\"a\": -}")]
    [InlineData("{\"a\": 1e}")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{\"a\": [1,]}")]
    [InlineData("{a: 1}")]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\": \"\\q\"}")]
    [InlineData("{\"a\": nul}")]
    [InlineData("{} {}")]
    public void InvalidJsonIsRefused(string text)
    {
        Assert.False(ParsesAsObject(text));
        Assert.False(Scans(text, out bool complete) && complete);
    }

    [Fact]
    public void ClosingCostIsTheLengthOfAShortestCompletion()
    {
        // Hand-checked prefixes with one shortest completion each: the cost must equal its length, and it must complete.
        (string Prefix, string Completion)[] cases =
        [
            ("", "{}"), ("{", "}"), ("{\"", "\":0}"), ("{\"k", "\":0}"), ("{\"k\"", ":0}"), ("{\"k\":", "0}"), ("{\"k\":[", "]}"),
            ("{\"k\":[1,", "0]}"), ("{\"k\":tr", "ue}"), ("{\"k\":\"\\u00", "00\"}"), ("{\"k\":-", "0}"), ("{\"k\":1.", "0}"),
            ("{\"k\":{\"j\":1", "}}"), ("{\"a\":1,", "\"\":0}"), ("{\"k\":\"\\", "n\"}"),
        ];
        foreach (var (prefix, completion) in cases)
        {
            var scanner = new JsonScanner();
            foreach (byte b in Encoding.UTF8.GetBytes(prefix))
            {
                Assert.True(scanner.Push(b), prefix);
            }
            Assert.Equal(completion.Length, scanner.ClosingCost);
            Assert.True(ParsesAsObject(prefix + completion), prefix + completion);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(17)]
    [InlineData(60)]
    public async Task SampledRepliesAreValidJsonObjectsWithinTheLimit(int maxTokens)
    {
        using var engine = ChatEngine.Load(Path.Combine(TestPaths.RepoRoot, "models", "deepsharp-tiny-r1.gguf"));
        for (ulong seed = 1; seed <= 6; seed++)
        {
            var constraint = new JsonConstraint(engine.Tokenizer.Vocabulary, maxTokens);
            var options = new ChatRequestOptions
            {
                MaxTokens = maxTokens,
                Thinking = false,
                Sampling = new SamplingOptions { Temperature = 1.2f, TopK = 0, TopP = 1, MinP = 0, Seed = seed, Constraints = [constraint] },
            };
            var text = new StringBuilder();
            ChatUpdate last = default;
            await foreach (var update in engine.ChatAsync([DeepSharp.Chat.ChatMessage.User("Reply in JSON: 3+4?")], options))
            {
                text.Append(update.Text);
                last = update;
            }
            Assert.True(ParsesAsObject(text.ToString()), $"seed {seed}, limit {maxTokens}: '{text}' is not a JSON object");
            Assert.Equal(DeepSharp.Inference.FinishReason.StopToken, last.FinishReason);
            Assert.True(constraint.IsComplete);
        }
    }
}
