using System.Globalization;
using System.Text;

namespace DeepSharp.Chat.Templates;

/// <summary>Python's <c>strftime</c> directives (C locale) for the <c>strftime_now</c> global.</summary>
internal static class Strftime
{
    public static string Format(DateTimeOffset t, string format)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            char d = format[++i];
            bool noPad = false;
            if (d == '-' && i + 1 < format.Length)
            {
                noPad = true; // glibc's "%-d": no zero padding
                d = format[++i];
            }
            string Num(int value, int width) => noPad ? value.ToString(c) : value.ToString(c).PadLeft(width, '0');
            sb.Append(d switch
            {
                'a' => t.ToString("ddd", c),
                'A' => t.ToString("dddd", c),
                'b' or 'h' => t.ToString("MMM", c),
                'B' => t.ToString("MMMM", c),
                'd' => Num(t.Day, 2),
                'e' => t.Day.ToString(c).PadLeft(2, ' '),
                'm' => Num(t.Month, 2),
                'y' => Num(t.Year % 100, 2),
                'Y' => t.Year.ToString(c),
                'H' => Num(t.Hour, 2),
                'I' => Num(t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2),
                'M' => Num(t.Minute, 2),
                'S' => Num(t.Second, 2),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'j' => Num(t.DayOfYear, 3),
                'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", c),
                'z' => t.ToString("zzz", c).Replace(":", "", StringComparison.Ordinal),
                'w' => ((int)t.DayOfWeek).ToString(c),
                'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(c),
                'F' => t.ToString("yyyy-MM-dd", c),
                'T' => t.ToString("HH:mm:ss", c),
                'D' => t.ToString("MM/dd/yy", c),
                '%' => "%",
                _ => "%" + (noPad ? "-" : "") + d,
            });
        }
        return sb.ToString();
    }
}
