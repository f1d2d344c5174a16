namespace DeepSharp.Training.Data;

/// <summary>Plain English prose for the language part of pretraining: a text file split into paragraphs.</summary>
public static class TextCorpus
{
    /// <summary>The paragraphs of <paramref name="path"/> (blank-line separated, lines joined by spaces), skipping very short ones.</summary>
    public static List<string> ReadParagraphs(string path, int minChars = 40)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"prose corpus '{path}' does not exist", path);
        }
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                Flush();
                continue;
            }
            current.Add(line);
        }
        Flush();
        return paragraphs;

        void Flush()
        {
            string text = string.Join(' ', current);
            current.Clear();
            if (text.Length >= minChars)
            {
                paragraphs.Add(text);
            }
        }
    }
}
