using SkiaSharp;

namespace BacklogFunctions.Reports;

/// <summary>
/// The board pack's font, loaded from files the build copies next to the program (<c>fonts/</c>). Skia's
/// Linux assets use no system fonts, and with no usable typeface it silently draws no text at all; so the font
/// is loaded once, shared with ScottPlot, and a missing or empty font fails at start-up, never as a blank pack.
/// </summary>
public sealed class ReportFonts : IDisposable
{
    public const string Family = "Liberation Sans";
    public const string RegularFile = "LiberationSans-Regular.ttf";
    public const string BoldFile = "LiberationSans-Bold.ttf";

    private static readonly Lock ScottPlotRegistration = new();

    private ReportFonts(SKTypeface regular, SKTypeface bold)
    {
        Regular = regular;
        Bold = bold;
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>Where the build puts the font files: <c>fonts/</c> next to the program.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "fonts");

    /// <exception cref="InvalidOperationException">A font file is missing or has no glyphs.</exception>
    public static ReportFonts Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        var regular = LoadFace(Path.Combine(directory, RegularFile));
        var bold = LoadFace(Path.Combine(directory, BoldFile));
        lock (ScottPlotRegistration)
        {
            ScottPlot.Fonts.AddFontFile(Family, Path.Combine(directory, RegularFile), bold: false, italic: false);
            ScottPlot.Fonts.AddFontFile(Family, Path.Combine(directory, BoldFile), bold: true, italic: false);
            ScottPlot.Fonts.Default = Family;
        }

        return new ReportFonts(regular, bold);
    }

    private static SKTypeface LoadFace(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The board pack font {path} is missing. The build copies it from Debian's fonts-liberation2 package (scripts/install-tools.sh installs it); set Reports:FontDirectory to a folder with {RegularFile} and {BoldFile} otherwise.");
        }

        var typeface = SKTypeface.FromFile(path);
        if (typeface is null || typeface.GlyphCount == 0)
        {
            typeface?.Dispose();
            throw new InvalidOperationException($"The board pack font {path} has no glyphs: the pack would have no text.");
        }

        return typeface;
    }

    public void Dispose()
    {
        Regular.Dispose();
        Bold.Dispose();
    }
}
