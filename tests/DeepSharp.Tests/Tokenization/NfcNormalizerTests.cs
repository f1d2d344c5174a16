using System.Globalization;
using System.Text;
using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// Our NFC against CPython's unicodedata (TestData/nfc-cases.txt, written by tools/unicode/gen_nfc_cases.py):
/// every character with a decomposition or combining class, its NFD, and random mark/jamo sequences.
/// </summary>
public sealed class NfcNormalizerTests
{
    [Fact]
    public void MatchesCPython()
    {
        string path = Path.Combine(TestPaths.RepoRoot, "tests", "DeepSharp.Tests", "Tokenization", "TestData", "nfc-cases.txt");
        int checkedCases = 0;
        var failures = new StringBuilder();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            string[] parts = line.Split(';');
            string input = FromHex(parts[0]), expected = FromHex(parts[1]);
            string actual = NfcNormalizer.Normalize(input);
            if (actual != expected && failures.Length < 2000)
            {
                failures.AppendLine($"{parts[0]} → expected {parts[1]}, got {ToHex(actual)}");
            }
            // The quick check may say "maybe" for normalised text, but never "yes" for text that changes.
            if (NfcNormalizer.IsNormalized(input) && input != expected)
            {
                failures.AppendLine($"{parts[0]}: quick check said normalised");
            }
            checkedCases++;
        }
        Assert.True(checkedCases > 10_000, $"only {checkedCases} cases");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public void LeavesNormalisedTextAlone()
    {
        const string text = "Grüße, 你好, 안녕하세요, café 😀";
        Assert.True(NfcNormalizer.IsNormalized(text));
        Assert.Same(text, NfcNormalizer.Normalize(text));
    }

    [Fact]
    public void CharactersAfterUnicode9AreLeftAsTheyAre()
    {
        // U+1AC1 (Unicode 14, combining class 230 today) is unknown to Hugging Face's normaliser, so it is
        // not reordered after U+0334 (class 1); U+0301 (Unicode 1.1, class 230) is, and then joins the a.
        Assert.Equal("a\u1AC1\u0334", NfcNormalizer.Normalize("a\u1AC1\u0334"));
        Assert.Equal("\u00E1\u0334", NfcNormalizer.Normalize("a\u0301\u0334"));
    }

    private static string FromHex(string hex) => string.Concat(
        hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber))));

    private static string ToHex(string s) => string.Join(' ', s.EnumerateRunes().Select(r => r.Value.ToString("X")));
}
