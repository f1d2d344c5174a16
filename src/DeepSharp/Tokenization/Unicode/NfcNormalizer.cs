using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;

namespace DeepSharp.Tokenization.Unicode;

/// <summary>
/// Unicode Normalization Form C over code points, from the tables in <see cref="NfcData"/>. It exists because
/// the runtime runs with InvariantGlobalization, where <see cref="string.Normalize()"/> leaves text unchanged.
/// The tables cover the Unicode 9.0 repertoire, like the normaliser inside Hugging Face tokenizers, so
/// characters assigned later pass through untouched there and here alike.
/// </summary>
internal static class NfcNormalizer
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Tables s_tables = new();

    /// <summary>The NFC form of <paramref name="text"/>; the same instance when it is already normalized.</summary>
    public static string Normalize(string text) => IsNormalized(text) ? text : NormalizeSlow(text);

    /// <summary>
    /// NFC quick check: true when the text is certainly in NFC (no character that may change and combining
    /// classes in order). False means "maybe not"; <see cref="Normalize"/> then does the full work.
    /// </summary>
    public static bool IsNormalized(ReadOnlySpan<char> text)
    {
        var attention = s_tables.Attention;
        int lastClass = 0;
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if (c < 0x300)
            {
                // Nothing below U+0300 decomposes, combines with what precedes it, or has a combining class.
                lastClass = 0;
                i++;
                continue;
            }
            i += CharClassifier.Read(text, i, out int cp);
            if ((attention[cp >> 5] & (1u << (cp & 31))) == 0)
            {
                lastClass = 0;
                continue;
            }
            if (s_tables.QuickCheckNoOrMaybe.Contains(cp))
            {
                return false;
            }
            int cc = CombiningClass(cp);
            if (cc != 0 && lastClass > cc)
            {
                return false;
            }
            lastClass = cc;
        }
        return true;
    }

    private static string NormalizeSlow(string text)
    {
        var decomposed = new List<int>(text.Length + 8);
        for (int i = 0; i < text.Length;)
        {
            i += CharClassifier.Read(text, i, out int cp);
            Decompose(cp, decomposed);
        }
        ReorderCanonically(decomposed);
        Compose(decomposed);
        var sb = new StringBuilder(decomposed.Count + 4);
        foreach (int cp in decomposed)
        {
            sb.Append(new Rune(cp));
        }
        return sb.ToString();
    }

    private static void Decompose(int cp, List<int> output)
    {
        if ((uint)(cp - SBase) < SCount)
        {
            int s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0)
            {
                output.Add(TBase + s % TCount);
            }
            return;
        }
        if (s_tables.Decompositions.TryGetValue(cp, out var range))
        {
            var values = NfcData.DecompositionValues;
            for (int k = range.Start; k < range.End; k++)
            {
                output.Add(values[k]);
            }
            return;
        }
        output.Add(cp);
    }

    // Stable insertion sort of each run of non-starters by combining class (runs are short).
    private static void ReorderCanonically(List<int> cps)
    {
        for (int i = 1; i < cps.Count; i++)
        {
            int cc = CombiningClass(cps[i]);
            if (cc == 0)
            {
                continue;
            }
            int j = i;
            int cp = cps[i];
            while (j > 0 && CombiningClass(cps[j - 1]) > cc)
            {
                cps[j] = cps[j - 1];
                j--;
            }
            cps[j] = cp;
        }
    }

    // Canonical composition: each character joins the last starter unless something between them blocks it.
    private static void Compose(List<int> cps)
    {
        int starter = -1;
        int lastClass = 0;
        int write = 0;
        for (int read = 0; read < cps.Count; read++)
        {
            int cp = cps[read];
            int cc = CombiningClass(cp);
            if (starter >= 0)
            {
                bool adjacent = write - 1 == starter;
                if ((adjacent || (lastClass != 0 && lastClass < cc)) && TryCompose(cps[starter], cp, out int composite))
                {
                    cps[starter] = composite;
                    continue;
                }
            }
            cps[write] = cp;
            if (cc == 0)
            {
                starter = write;
            }
            lastClass = cc;
            write++;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        if ((uint)(first - LBase) < LCount && (uint)(second - VBase) < VCount)
        {
            composite = SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
            return true;
        }
        if ((uint)(first - SBase) < SCount && (first - SBase) % TCount == 0 && (uint)(second - TBase - 1) < TCount - 1)
        {
            composite = first + (second - TBase);
            return true;
        }
        return s_tables.Compositions.TryGetValue(((long)first << 21) | (uint)second, out composite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CombiningClass(int cp) =>
        (s_tables.Attention[cp >> 5] & (1u << (cp & 31))) != 0 && s_tables.CombiningClasses.TryGetValue(cp, out byte cc) ? cc : 0;

    private sealed class Tables
    {
        public Tables()
        {
            var ccc = new Dictionary<int, byte>();
            var runs = NfcData.CombiningClassRuns;
            for (int i = 0; i < runs.Length; i += 3)
            {
                for (int cp = runs[i]; cp <= runs[i + 1]; cp++)
                {
                    ccc[cp] = (byte)runs[i + 2];
                    Mark(cp);
                }
            }
            CombiningClasses = ccc.ToFrozenDictionary();

            var decompositions = new Dictionary<int, (int Start, int End)>();
            var keys = NfcData.DecompositionKeys;
            var offsets = NfcData.DecompositionOffsets;
            for (int i = 0; i < keys.Length; i++)
            {
                decompositions[keys[i]] = (offsets[i], offsets[i + 1]);
            }
            Decompositions = decompositions.ToFrozenDictionary();

            var maybeOrNo = new HashSet<int>();
            var compositions = new Dictionary<long, int>();
            var comps = NfcData.Compositions;
            for (int i = 0; i < comps.Length; i += 3)
            {
                compositions[((long)comps[i] << 21) | (uint)comps[i + 1]] = comps[i + 2];
                maybeOrNo.Add(comps[i + 1]); // a possible second half makes the quick check "maybe"
            }
            Compositions = compositions.ToFrozenDictionary();

            for (int cp = VBase; cp < VBase + VCount; cp++)
            {
                maybeOrNo.Add(cp);
            }
            for (int cp = TBase + 1; cp < TBase + TCount; cp++)
            {
                maybeOrNo.Add(cp);
            }
            var no = NfcData.QuickCheckNoRuns;
            for (int i = 0; i < no.Length; i += 3)
            {
                for (int cp = no[i]; cp <= no[i + 1]; cp++)
                {
                    maybeOrNo.Add(cp);
                }
            }
            foreach (int cp in maybeOrNo)
            {
                Mark(cp);
            }
            QuickCheckNoOrMaybe = maybeOrNo.ToFrozenSet();
        }

        /// <summary>One bit per code point: set where the character has a combining class or is not NFC_QC=Yes.</summary>
        public uint[] Attention { get; } = new uint[0x110000 / 32];

        public FrozenDictionary<int, byte> CombiningClasses { get; }

        public FrozenDictionary<int, (int Start, int End)> Decompositions { get; }

        public FrozenDictionary<long, int> Compositions { get; }

        public FrozenSet<int> QuickCheckNoOrMaybe { get; }

        private void Mark(int cp) => Attention[cp >> 5] |= 1u << (cp & 31);
    }
}
