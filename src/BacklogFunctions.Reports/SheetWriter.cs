using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Money;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BacklogFunctions.Reports;

/// <summary>
/// Writes the rows of one worksheet as they come (streaming, so 100,000 rows never sit in memory as a tree),
/// cell by cell from the left: text always as an inline string (never a formula, whatever it starts with),
/// numbers as the decimal's invariant text, dates as date serials, and formulas with their cached values so the
/// file shows numbers before any recalculation.
/// </summary>
internal sealed class SheetWriter(OpenXmlWriter writer) : IReportTableWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly int DateSerialZero = new DateOnly(1899, 12, 30).DayNumber;
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789ABCDEFabcdef");

    private readonly List<OpenXmlAttribute> _attributes = new(3);
    private readonly DocumentFormat.OpenXml.Spreadsheet.Row _row = new();
    private readonly Cell _cell = new();
    private readonly CellValue _value = new();
    private readonly CellFormula _formula = new();
    private readonly InlineString _inline = new();
    private readonly Text _text = new();
    private bool _rowOpen;
    private string _rowText = "1";

    /// <summary>The writer of the worksheet part, for the elements around the sheet data.</summary>
    public OpenXmlWriter Writer => writer;

    /// <summary>The number of the row being written, from 1.</summary>
    public int RowNumber { get; private set; } = 1;

    /// <summary>The index of the next cell of the row, from 0 (column A).</summary>
    public int Column { get; private set; }

    /// <summary>A cell's A1 reference: column index from 0, row number from 1.</summary>
    public static string Reference(int column, int row) => ColumnName(column) + row.ToString(Invariant);

    /// <summary>A column's letters: 0 is A, 26 is AA.</summary>
    public static string ColumnName(int column) => column < Names.Length ? Names[column] : Letters(column);

    private static readonly string[] Names = [.. Enumerable.Range(0, 128).Select(Letters)];

    private static string Letters(int column)
    {
        var name = string.Empty;
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    public void Text(string value) => Text(value, style: 0);

    public void Text(string value, uint style)
    {
        if (value.Length == 0)
        {
            Column++;
            return;
        }

        StartCell(style, "inlineStr");
        writer.WriteStartElement(_inline);
        if (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
        {
            writer.WriteStartElement(_text, [new OpenXmlAttribute("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve")]);
        }
        else
        {
            writer.WriteStartElement(_text);
        }

        writer.WriteString(XmlText(value));
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    public void Money(decimal amount, Currency currency) => Number(currency.Round(amount), WorkbookStyles.Money(currency.MinorUnit));

    public void Whole(int value) => Value(value.ToString(Invariant), WorkbookStyles.Whole);

    public void Date(DateOnly date) => Value((date.DayNumber - DateSerialZero).ToString(Invariant), WorkbookStyles.Date);

    /// <summary>A ratio with up to four decimals, or the text "n/a".</summary>
    public void Ratio(decimal? ratio) => Number(ratio is { } r ? Math.Round(r, 4, MidpointRounding.AwayFromZero) : null, WorkbookStyles.Ratio);

    /// <summary>An FX rate as stored (up to 10 fraction digits), shown with at least four.</summary>
    public void Rate(decimal rate) => Value(rate.ToString(Invariant), WorkbookStyles.Rate);

    /// <summary>A fraction with four decimals shown as a percentage, or the text "n/a".</summary>
    public void Fraction(decimal? fraction) => Number(fraction is { } f ? Math.Round(f, 4, MidpointRounding.AwayFromZero) : null, WorkbookStyles.Percent);

    /// <summary>A number in the given format, or the text "n/a" when there is none.</summary>
    public void Number(decimal? number, uint style)
    {
        if (number is { } n)
        {
            Value(n.ToString(Invariant), style);
        }
        else
        {
            Text("n/a");
        }
    }

    public void Empty() => Column++;

    /// <summary>Skips to the column with index <paramref name="column"/>.</summary>
    public void MoveTo(int column) => Column = column >= Column ? column : throw new ArgumentOutOfRangeException(nameof(column), "cells are written from the left");

    /// <summary>A formula with a number as its cached value (what the formula gives).</summary>
    public void Formula(string formula, decimal cached, uint style)
    {
        StartCell(style, type: null);
        WriteFormula(formula);
        WriteValue(cached.ToString(Invariant));
        writer.WriteEndElement();
    }

    /// <summary>A formula that is TRUE or FALSE, with its cached value.</summary>
    public void Check(string formula, bool cached)
    {
        StartCell(0, "b");
        WriteFormula(formula);
        WriteValue(cached ? "1" : "0");
        writer.WriteEndElement();
    }

    /// <summary>Bold texts, one per column: a header row. Ends the row.</summary>
    public void Header(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            Text(name, WorkbookStyles.Header);
        }

        EndRow();
    }

    public void EndRow()
    {
        if (_rowOpen)
        {
            writer.WriteEndElement();
            _rowOpen = false;
        }

        RowNumber++;
        _rowText = RowNumber.ToString(Invariant);
        Column = 0;
    }

    private void Value(string value, uint style)
    {
        StartCell(style, type: null);
        WriteValue(value);
        writer.WriteEndElement();
    }

    private void WriteValue(string value)
    {
        writer.WriteStartElement(_value);
        writer.WriteString(value);
        writer.WriteEndElement();
    }

    private void WriteFormula(string formula)
    {
        writer.WriteStartElement(_formula);
        writer.WriteString(formula);
        writer.WriteEndElement();
    }

    private void StartCell(uint style, string? type)
    {
        if (!_rowOpen)
        {
            _attributes.Clear();
            _attributes.Add(new OpenXmlAttribute("r", string.Empty, _rowText));
            writer.WriteStartElement(_row, _attributes);
            _rowOpen = true;
        }

        _attributes.Clear();
        _attributes.Add(new OpenXmlAttribute("r", string.Empty, ColumnName(Column) + _rowText));
        if (style != 0)
        {
            _attributes.Add(new OpenXmlAttribute("s", string.Empty, style.ToString(Invariant)));
        }

        if (type is not null)
        {
            _attributes.Add(new OpenXmlAttribute("t", string.Empty, type));
        }

        writer.WriteStartElement(_cell, _attributes);
        Column++;
    }

    /// <summary>
    /// Text as a spreadsheet's string type holds it: a character XML cannot carry becomes <c>_xHHHH_</c>, and a
    /// literal <c>_xHHHH_</c> in the text has its underscore escaped, so the reader shows exactly the text.
    /// </summary>
    internal static string XmlText(string value)
    {
        if (!NeedsEscape(value))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogatePair(value, i))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (!IsXmlChar(c) || (c == '_' && LooksEscaped(value, i)))
            {
                text.Append("_x").Append(((int)c).ToString("X4", Invariant)).Append('_');
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static bool NeedsEscape(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogatePair(value, i))
            {
                i++;
            }
            else if (!IsXmlChar(c) || (c == '_' && LooksEscaped(value, i)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsXmlChar(char c) => c is '\t' or '\n' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c is not '\uFFFE' and not '\uFFFF');

    private static bool LooksEscaped(string value, int i) =>
        i + 6 < value.Length && value[i + 1] == 'x' && value[i + 6] == '_' && !value.AsSpan(i + 2, 4).ContainsAnyExcept(HexDigits);
}
