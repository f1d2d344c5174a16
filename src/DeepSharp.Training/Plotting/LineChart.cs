using System.Globalization;

namespace DeepSharp.Training.Plotting;

/// <summary>A line chart with a title, axes, min/max tick labels and a legend, drawn on a <see cref="PngCanvas"/>.</summary>
public sealed class LineChart(string title, string xLabel)
{
    private static readonly (byte, byte, byte)[] s_palette = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189)];
    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points)> _series = [];

    /// <summary>Adds a series.</summary>
    public LineChart Add(string name, IReadOnlyList<(double X, double Y)> points)
    {
        _series.Add((name, points));
        return this;
    }

    /// <summary>Renders the chart at <paramref name="width"/> × <paramref name="height"/>.</summary>
    public PngCanvas Render(int width = 640, int height = 400)
    {
        var canvas = new PngCanvas(width, height);
        var black = ((byte)0, (byte)0, (byte)0);
        var grey = ((byte)200, (byte)200, (byte)200);
        int left = 70, right = width - 20, top = 40, bottom = height - 50;
        canvas.Text(left, 12, title, black, 2);
        canvas.Text((left + right) / 2 - (xLabel.Length * 3), height - 18, xLabel, black);
        var all = _series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y)).ToList();
        if (all.Count == 0)
        {
            return canvas;
        }
        double x0 = all.Min(p => p.X), x1 = all.Max(p => p.X), y0 = all.Min(p => p.Y), y1 = all.Max(p => p.Y);
        if (x1 == x0)
        {
            x1 = x0 + 1;
        }
        if (y1 == y0)
        {
            y1 = y0 + 1;
        }
        for (int i = 0; i <= 4; i++)
        {
            int y = bottom - ((bottom - top) * i / 4);
            canvas.Line(left, y, right, y, grey);
            canvas.Text(4, y - 3, Format(y0 + ((y1 - y0) * i / 4)), black);
        }
        canvas.Line(left, top, left, bottom, black);
        canvas.Line(left, bottom, right, bottom, black);
        canvas.Text(left, bottom + 6, Format(x0), black);
        string xMax = Format(x1);
        canvas.Text(right - (xMax.Length * 6), bottom + 6, xMax, black);
        for (int s = 0; s < _series.Count; s++)
        {
            var colour = s_palette[s % s_palette.Length];
            var points = _series[s].Points.Where(p => double.IsFinite(p.Y)).ToList();
            int Px(double x) => left + (int)Math.Round((x - x0) / (x1 - x0) * (right - left));
            int Py(double y) => bottom - (int)Math.Round((y - y0) / (y1 - y0) * (bottom - top));
            for (int i = 1; i < points.Count; i++)
            {
                canvas.Line(Px(points[i - 1].X), Py(points[i - 1].Y), Px(points[i].X), Py(points[i].Y), colour, 2);
            }
            if (points.Count == 1)
            {
                canvas.Line(Px(points[0].X) - 2, Py(points[0].Y), Px(points[0].X) + 2, Py(points[0].Y), colour, 3);
            }
            int ly = top + 4 + (s * 12);
            canvas.Line(right - 150, ly + 3, right - 135, ly + 3, colour, 2);
            canvas.Text(right - 130, ly, _series[s].Name, black);
        }
        return canvas;
    }

    private static string Format(double v) => Math.Abs(v) >= 1000 ? v.ToString("F0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
}
