namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// Texts chosen to exercise every branch of the pre-tokenizers: several scripts, code, emoji and other
/// characters outside the BMP, combining marks, white-space runs of every kind, digit runs of every length,
/// contractions, and the special tokens of the three model families.
/// </summary>
internal static class MultilingualCorpus
{
    public static IReadOnlyList<string> Texts { get; } = Build();

    private static List<string> Build()
    {
        var texts = new List<string>
        {
            // English
            "The quick brown fox jumps over the lazy dog.",
            "I'm sure they'll say it's fine, but we'd better check: don't you think? WE'RE SURE. It'S OK, I'Ve, YOU'LL",
            "Mr. O'Neil's dog's bone -- \"quoted\", (parenthesised) [bracketed] {braced} <angled>!?",
            "  leading spaces, trailing spaces   ",
            "It was the best of times,\nit was the worst of times;\n\nit was the age of wisdom...",
            // German
            "Äpfel, Öl und Übermut: Größenwahn in der Straße, ß und ẞ, Fußgängerübergänge!",
            "Die Bundesrepublik Deutschland ist ein demokratischer und sozialer Bundesstaat.",
            // Chinese
            "我们的目标是在2025年之前完成这个项目。北京欢迎你！",
            "繁體中文：臺灣的資訊科技產業發達，電腦與網際網路普及。",
            // Japanese
            "こんにちは、世界！カタカナとひらがなと漢字を混ぜた文章です。「引用」と『二重引用』。",
            "東京都渋谷区で、ｶﾀｶﾅ（半角）とＡＢＣ（全角）を使う。",
            // Korean, Russian, Greek, Arabic, Hebrew, Hindi, Thai, Vietnamese
            "안녕하세요, 세계! 한국어 문장입니다.",
            "Привет, мир! Съешь же ещё этих мягких французских булок.",
            "Γειά σου Κόσμε! Ἀρχὴ ἥμισυ παντός.",
            "مرحبا بالعالم! الأرقام: ١٢٣٤٥٦٧٨٩٠",
            "שלום עולם! עִבְרִית עם ניקוד.",
            "नमस्ते दुनिया! हिन्दी में लिखा गया वाक्य।",
            "สวัสดีชาวโลก ภาษาไทยไม่มีช่องว่างระหว่างคำ",
            "Tiếng Việt có dấu: Trăm năm trong cõi người ta.",
            // Code
            "public static int Add(int a, int b)\n{\n    return a + b; // sum\n}\n",
            "def f(x):\n\tif x > 0:\n\t\treturn x ** 2\n\treturn -x\r\n",
            "{\"key\": [1, 2.5, -3e10, true, null], \"nested\": {\"a\": \"b\"}}",
            "for (var i = 0; i < n; i++) { sum += arr[i] * 0x1F; } /* comment */ #define X 42",
            "<div class=\"x\">&nbsp;&lt;tag&gt;</div> <br/> http://example.com/path?q=1&r=two#frag",
            "regex: ^[A-Za-z_][A-Za-z0-9_]*$ | \\d{3}-\\d{4} | (?<name>\\w+)",
            "$ ls -la | grep '.cs' && echo \"done\" >> log.txt; ~/bin/run --flag=1",
            ".NET _private __dunder__ @attr #tag $var %mod ^caret `tick` |pipe ~tilde",
            // Emoji and other characters outside the BMP
            "😀 😃 😄 😁 😆 🫨 🫠 Hello 😀world",
            "Family: 👨‍👩‍👧‍👦, flags: 🇩🇪🇯🇵, skin: 👍🏽, keycap: 1️⃣, heart: ❤️, ⭐️",
            "𝐇𝐞𝐥𝐥𝐨 𝔀𝓸𝓻𝓵𝓭 𝟙𝟚𝟛 — math letters and digits",
            "Deseret 𐐀𐐁𐐨 and Gothic 𐌰𐌱𐌲, CJK Ext-B 𠀀𠮷𪚥, Linear B 𐀀𐀁",
            "emoji then letters: 🚀abc, letters then emoji: abc🚀, digit emoji: 5🚀5",
            "🏳️‍🌈 🧑🏿‍💻 🤌 🥲 🫶🏻",
            // Combining marks and normalisation
            "e\u0301 vs é, A\u030A vs Å, n\u0303 vs ñ, o\u0308\u0304, a\u0328\u0301",
            "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357\u0334\u0362\u0335\u031c\u0330\u0354L\u0368\u0367\u0369\u0358\u0320G\u0311\u0357\u030e\u0305\u035b\u0341\u0334\u033b\u0348\u034d\u0354\u0339O\u0342\u030c\u030c\u0358\u0328\u0335\u0339\u033b\u031d\u0333",
            "\u1100\u1161\u11A8 (jamo) vs 각, \u212B angstrom, \u2126 ohm, \uFB01 ligature",
            // White space
            "a  b   c    d",
            "tab\there\t\tand\t\t\tthere",
            "windows\r\nline\r\nendings\r\n\r\n",
            "mixed \n\t \r\n  \n",
            "\n\n\n",
            "   ",
            " ",
            "\t",
            "\r",
            "nbsp\u00A0here, ideographic\u3000space, nel\u0085line, ls\u2028ps\u2029, thin\u2009space, en\u2002quad",
            "trailing newline\n",
            "\n leading newline",
            "    indented\n        more\n    less",
            // Numbers of every length
            "3.14159 2.71828 1,000,000 1.000.000,00 -42 +7 1e-9 0xFF 0b1010",
            "version 10.0.401, phone 555-0123, date 2025-01-31, time 23:59:59",
            "² ³ ½ ¾ Ⅻ ⅷ ① ⑳ ٣ ७ ๓",
            // Special tokens of the three families (recognised when special tokens are parsed)
            "<｜begin▁of▁sentence｜>You are helpful.<｜User｜>Hi<｜Assistant｜><think>\nhmm\n</think>Hello<｜end▁of▁sentence｜>",
            "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
            "<|im_start|>system\nYou are Qwen.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            "<|EOT|> <|endoftext|> <tool_call> </tool_call> <|fim_prefix|> <｜fim▁hole｜>",
            "not special: <｜User | <|im_start> <|begin_of_text| <think",
            "",
        };

        // Digit runs of every length from 1 to 24, alone, after a letter, and inside words.
        var digits = new System.Text.StringBuilder();
        for (int n = 1; n <= 24; n++)
        {
            string run = string.Concat(Enumerable.Range(0, n).Select(i => (char)('0' + (i * 7 + n) % 10)));
            texts.Add(run);
            digits.Append(run).Append(' ').Append('x').Append(run).Append("y ");
        }
        texts.Add(digits.ToString());
        return texts;
    }
}
