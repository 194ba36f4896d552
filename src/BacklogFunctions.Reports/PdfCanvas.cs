using SkiaSharp;

namespace BacklogFunctions.Reports;

/// <summary>Where pages are drawn: a PDF document, or a picture of the first page.</summary>
internal interface IPageTarget
{
    SKCanvas BeginPage(float width, float height);

    void EndPage();
}

/// <summary>Pages of a PDF document.</summary>
internal sealed class PdfTarget(SKDocument document) : IPageTarget
{
    public SKCanvas BeginPage(float width, float height) => document.BeginPage(width, height);

    public void EndPage() => document.EndPage();
}

/// <summary>The first page as a PNG image (for previews); later pages are drawn into nothing.</summary>
internal sealed class FirstPageImage(float scale) : IPageTarget, IDisposable
{
    private SKSurface? _surface;
    private SKPictureRecorder? _discard;

    public byte[]? Png { get; private set; }

    public SKCanvas BeginPage(float width, float height)
    {
        if (Png is null)
        {
            _surface = SKSurface.Create(new SKImageInfo((int)(width * scale), (int)(height * scale)));
            _surface.Canvas.Clear(SKColors.White);
            _surface.Canvas.Scale(scale);
            return _surface.Canvas;
        }

        _discard = new SKPictureRecorder();
        return _discard.BeginRecording(new SKRect(0, 0, width, height));
    }

    public void EndPage()
    {
        if (_surface is not null)
        {
            using var image = _surface.Snapshot();
            using var png = image.Encode(SKEncodedImageFormat.Png, 90);
            Png = png.ToArray();
            _surface.Dispose();
            _surface = null;
        }

        if (_discard is not null)
        {
            using var picture = _discard.EndRecording();
            _discard.Dispose();
            _discard = null;
        }
    }

    public void Dispose()
    {
        _surface?.Dispose();
        _discard?.Dispose();
    }
}

/// <summary>Alignment of a table column.</summary>
public enum Align
{
    Left,
    Right,
}

/// <summary>A table column: header, width in points, alignment.</summary>
public sealed record Column(string Header, float Width, Align Align = Align.Right);

/// <summary>A table row; <see cref="Strong"/> rows (totals) are bold with a rule above, <see cref="Alert"/> rows red.</summary>
public sealed record Row(IReadOnlyList<string> Cells, bool Strong = false, bool Alert = false);

/// <summary>
/// Writes A4 pages of a PDF with a running header and footer: headings, paragraphs, tables that continue on
/// the next page, and ScottPlot charts drawn as vectors. Positions are in points (1/72 inch).
/// </summary>
internal sealed class PdfCanvas : IDisposable
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;
    public const float Margin = 42f;
    public const float ContentWidth = PageWidth - (2 * Margin);
    private const float Top = Margin + 26f;
    private const float Bottom = PageHeight - Margin - 18f;

    private static readonly SKColor Ink = new(0x1f, 0x29, 0x37);
    private static readonly SKColor Muted = new(0x6b, 0x72, 0x80);
    private static readonly SKColor Rule = new(0xd1, 0xd5, 0xdb);
    private static readonly SKColor Band = new(0xf3, 0xf4, 0xf6);
    private static readonly SKColor Red = new(0xb9, 0x1c, 0x1c);
    private static readonly SKColor Accent = new(0x1d, 0x4e, 0xd8);

    private readonly IPageTarget _document;
    private readonly ReportFonts _fonts;
    private readonly string _runningTitle;
    private readonly SKPaint _fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
    private readonly SKPaint _stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f };
    private SKCanvas? _canvas;
    private int _page;

    public PdfCanvas(IPageTarget document, ReportFonts fonts, string runningTitle)
    {
        _document = document;
        _fonts = fonts;
        _runningTitle = runningTitle;
    }

    public float Y { get; private set; }

    private SKCanvas Canvas => _canvas ?? throw new InvalidOperationException("no page is open");

    public void NewPage(string section)
    {
        EndPage();
        _canvas = _document.BeginPage(PageWidth, PageHeight);
        _page++;
        using (var small = Font(false, 7.5f))
        {
            Text(_runningTitle, Margin, Margin, small, Muted);
            Text(section, PageWidth - Margin, Margin, small, Muted, Align.Right);
            Text($"Page {_page}", PageWidth - Margin, PageHeight - Margin, small, Muted, Align.Right);
            Text("Figures as stored by the month-end close; negatives in parentheses.", Margin, PageHeight - Margin, small, Muted);
        }

        Line(Margin, Margin + 5f, PageWidth - Margin, Margin + 5f, Rule);
        Y = Top;
    }

    public void EndPage()
    {
        if (_canvas is not null)
        {
            _document.EndPage();
            _canvas = null;
        }
    }

    public void Title(string title, string subtitle)
    {
        using var big = Font(true, 22f);
        using var sub = Font(false, 11f);
        Text(title, Margin, Y + 18f, big, Ink);
        Text(subtitle, Margin, Y + 36f, sub, Muted);
        Y += 52f;
    }

    public void Heading(string text, float size = 13f)
    {
        EnsureSpace(size + 40f);
        Y += 6f;
        using var font = Font(true, size);
        Text(text, Margin, Y + size, font, Accent);
        Y += size + 8f;
    }

    public void Paragraph(string text, float size = 8.5f, bool alert = false)
    {
        using var font = Font(false, size);
        foreach (var line in Wrap(text, font, ContentWidth))
        {
            EnsureSpace(size + 4f);
            Text(line, Margin, Y + size, font, alert ? Red : Ink);
            Y += size + 3.5f;
        }

        Y += 3f;
    }

    /// <summary>A table; it continues on a new page (header repeated) when the page is full.</summary>
    public void Table(IReadOnlyList<Column> columns, IEnumerable<Row> rows, float size = 8f)
    {
        var rowHeight = size + 5f;
        using var regular = Font(false, size);
        using var bold = Font(true, size);
        EnsureSpace(rowHeight * 3);
        Header();
        foreach (var row in rows)
        {
            if (Y + rowHeight > Bottom)
            {
                NewPage("continued");
                Header();
            }

            if (row.Strong)
            {
                Line(Margin, Y, Margin + columns.Sum(c => c.Width), Y, Ink);
            }

            Cells(row.Cells, row.Strong ? bold : regular, row.Alert ? Red : Ink);
            Y += rowHeight;
        }

        Y += 8f;

        void Header()
        {
            _fill.Color = Band;
            Canvas.DrawRect(Margin, Y, columns.Sum(c => c.Width), rowHeight, _fill);
            Cells(columns.Select(c => c.Header).ToList(), bold, Ink);
            Y += rowHeight;
        }

        void Cells(IReadOnlyList<string> cells, SKFont font, SKColor color)
        {
            var x = Margin;
            for (var i = 0; i < columns.Count; i++)
            {
                var column = columns[i];
                var text = Fit(i < cells.Count ? cells[i] : string.Empty, font, column.Width - 6f);
                if (column.Align == Align.Right)
                {
                    Text(text, x + column.Width - 3f, Y + size + 1f, font, color, Align.Right);
                }
                else
                {
                    Text(text, x + 3f, Y + size + 1f, font, color);
                }

                x += column.Width;
            }
        }
    }

    /// <summary>Draws a chart as vectors in a box at (x, current Y + dy).</summary>
    public void Chart(ScottPlot.Plot plot, float x, float dy, float width, float height)
    {
        var w = (int)width;
        var h = (int)height;
        plot.RenderManager.ClearCanvasBeforeEachRender = false;

        // ScottPlot lays a plot out twice on its first render: do that once off the page.
        using (var recorder = new SKPictureRecorder())
        {
            var scratch = recorder.BeginRecording(new SKRect(0, 0, w, h));
            plot.Render(scratch, w, h);
            using var discarded = recorder.EndRecording();
        }

        var canvas = Canvas;
        canvas.Save();
        canvas.Translate(x, Y + dy);
        canvas.ClipRect(new SKRect(0, 0, w, h));
        plot.Render(canvas, w, h);
        canvas.Restore();
    }

    public void Advance(float height) => Y += height;

    public void EnsureSpace(float height)
    {
        if (Y + height > Bottom)
        {
            NewPage("continued");
        }
    }

    public void Dispose()
    {
        EndPage();
        _fill.Dispose();
        _stroke.Dispose();
    }

    private SKFont Font(bool bold, float size) => new(bold ? _fonts.Bold : _fonts.Regular, size) { Subpixel = true };

    private void Text(string text, float x, float y, SKFont font, SKColor color, Align align = Align.Left)
    {
        _fill.Color = color;
        Canvas.DrawText(text, x, y, align == Align.Right ? SKTextAlign.Right : SKTextAlign.Left, font, _fill);
    }

    private void Line(float x0, float y0, float x1, float y1, SKColor color)
    {
        _stroke.Color = color;
        Canvas.DrawLine(x0, y0, x1, y1, _stroke);
    }

    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        while (text.Length > 1 && font.MeasureText(text + "…") > width)
        {
            text = text[..^1];
        }

        return text + "…";
    }

    private static IEnumerable<string> Wrap(string text, SKFont font, float width)
    {
        var line = string.Empty;
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && font.MeasureText(candidate) > width)
            {
                yield return line;
                line = word;
            }
            else
            {
                line = candidate;
            }
        }

        if (line.Length > 0)
        {
            yield return line;
        }
    }
}
