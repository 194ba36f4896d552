using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BacklogFunctions.Reports;

/// <summary>
/// The workbook's cell formats: money with the currency's digits and negatives in parentheses (plain and bold for
/// totals), ISO dates, ratios, percentages, whole numbers and bold headings. The numbers are the cell format
/// indexes (<c>s</c>) of the stylesheet <see cref="Stylesheet"/> builds.
/// </summary>
internal static class WorkbookStyles
{
    public const uint Header = 1;
    public const uint Date = 2;
    public const uint Ratio = 3;
    public const uint Percent = 4;
    public const uint Whole = 5;
    public const uint Days = 6;
    public const uint Heading = 7;

    /// <summary>Money formats for 0 to 4 digits follow, then the same in bold.</summary>
    private const uint FirstMoney = 8;
    private const int MoneyDigits = 5;

    /// <summary>An FX rate: at least four decimals, up to ten (after the money formats).</summary>
    public const uint Rate = FirstMoney + (2 * MoneyDigits);

    public const string RateFormat = "0.0000######";

    /// <summary>The number format of money with <paramref name="digits"/> digits: <c>#,##0.00;(#,##0.00)</c>.</summary>
    public static string MoneyFormat(int digits)
    {
        var number = digits == 0 ? "#,##0" : "#,##0." + new string('0', digits);
        return $"{number};({number})";
    }

    public const string DateFormat = "yyyy-mm-dd";

    public static uint Money(int digits) => FirstMoney + (uint)Digits(digits);

    public static uint Total(int digits) => FirstMoney + MoneyDigits + (uint)Digits(digits);

    private static int Digits(int digits) => digits is >= 0 and < MoneyDigits ? digits : throw new ArgumentOutOfRangeException(nameof(digits), digits, "a currency has 0 to 4 digits");

    public static Stylesheet Stylesheet()
    {
        const uint moneyFormats = 164, dateFormat = moneyFormats + MoneyDigits, ratioFormat = dateFormat + 1, daysFormat = ratioFormat + 1, rateFormat = daysFormat + 1;
        var formats = new NumberingFormats(
            [
                .. Enumerable.Range(0, MoneyDigits).Select(d => new NumberingFormat { NumberFormatId = moneyFormats + (uint)d, FormatCode = MoneyFormat(d) }),
                new NumberingFormat { NumberFormatId = dateFormat, FormatCode = DateFormat },
                new NumberingFormat { NumberFormatId = ratioFormat, FormatCode = "0.00" },
                new NumberingFormat { NumberFormatId = daysFormat, FormatCode = "0.0" },
                new NumberingFormat { NumberFormatId = rateFormat, FormatCode = RateFormat },
            ]);
        formats.Count = (uint)formats.ChildElements.Count;

        var fonts = new Fonts(Font(bold: false), Font(bold: true)) { Count = 2 };
        var fills = new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 };
        var borders = new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 };
        var cellFormats = new CellFormats(
            [
                Format(0, bold: false), // default
                Format(0, bold: true), // Header
                Format(dateFormat, bold: false),
                Format(ratioFormat, bold: false),
                Format(10, bold: false), // built-in 0.00%
                Format(1, bold: false), // built-in 0
                Format(daysFormat, bold: false),
                Format(0, bold: true), // Heading
                .. Enumerable.Range(0, MoneyDigits).Select(d => Format(moneyFormats + (uint)d, bold: false)),
                .. Enumerable.Range(0, MoneyDigits).Select(d => Format(moneyFormats + (uint)d, bold: true)),
                Format(rateFormat, bold: false), // Rate
            ]);
        cellFormats.Count = (uint)cellFormats.ChildElements.Count;

        return new Stylesheet(
            formats,
            fonts,
            fills,
            borders,
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            cellFormats,
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }

    private static Font Font(bool bold)
    {
        var font = new Font();
        if (bold)
        {
            font.Append(new Bold());
        }

        font.Append(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }, new FontFamilyNumbering { Val = 2 });
        return font;
    }

    private static CellFormat Format(uint numberFormat, bool bold) => new()
    {
        NumberFormatId = numberFormat,
        FontId = bold ? 1u : 0u,
        FillId = 0,
        BorderId = 0,
        FormatId = 0,
        ApplyNumberFormat = numberFormat != 0 ? true : null,
        ApplyFont = bold ? true : null,
    };
}
