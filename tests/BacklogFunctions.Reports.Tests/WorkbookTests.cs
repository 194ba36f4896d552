using System.Globalization;
using System.IO.Compression;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Money;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BacklogFunctions.Reports.Tests;

public class WorkbookTests
{
    private static readonly Period October = new(2026, 10);
    private static readonly Lazy<ReportInput> Sample = new(() => SampleReports.Input(80, 20, 3, October));
    private static readonly Lazy<byte[]> Rendered = new(() => new Workbook().Render(Sample.Value));

    [Fact]
    public void Every_sheet_is_there_in_order()
    {
        using var book = WorkbookReader.Open(Rendered.Value);

        Assert.Equal(
            [Workbook.SummarySheet, Workbook.GroupSheet, Workbook.RollForwardsSheet, Workbook.ContractsSheet, Workbook.SegmentsSheet, Workbook.RpoSheet, Workbook.WaterfallSheet, Workbook.ForecastSheet, Workbook.ReceivablesSheet, Workbook.OverdueSheet, Workbook.TargetsSheet],
            book.SheetNames);
    }

    [Fact]
    public void The_contract_totals_are_SUMIFS_formulas_whose_cached_values_are_the_stored_totals()
    {
        var input = Sample.Value;
        using var book = WorkbookReader.Open(Rendered.Value);
        var sheet = book.Sheet(Workbook.ContractsSheet);
        var currencyColumn = ColumnOf("currency");

        Assert.Contains(input.Snapshot.Totals, t => t.Currency == Currency.JPY);
        Assert.Contains(input.Snapshot.Totals, t => t.Currency == Currency.KWD);
        foreach (var (total, row) in input.Snapshot.Totals.Select((t, i) => (t, i + 2)))
        {
            Assert.Equal(total.Currency.Code, sheet.Text(currencyColumn + row));
            foreach (var figure in FigureColumns.All)
            {
                var cell = sheet.Cell(ColumnOf(figure.Name) + row);
                Assert.StartsWith("SUMIFS(", cell.CellFormula!.Text, StringComparison.Ordinal);
                Assert.Equal(total.Currency.Round(figure.Value(total.Figures)), SheetCells.NumberOf(cell));
            }
        }
    }

    [Fact]
    public void Every_summary_check_is_a_formula_against_the_Contracts_sheet_cached_TRUE()
    {
        var input = Sample.Value;
        using var book = WorkbookReader.Open(Rendered.Value);
        var checks = book.Sheet(Workbook.SummarySheet).Cells.Where(c => c.CellReference!.Value!.StartsWith('J') && c.CellFormula is not null).ToList();

        Assert.Equal(input.Snapshot.Totals.Count * 16, checks.Count);
        Assert.All(checks, c =>
        {
            Assert.Contains("Contracts!", c.CellFormula!.Text, StringComparison.Ordinal);
            Assert.Equal(CellValues.Boolean, c.DataType!.Value);
            Assert.Equal("1", c.CellValue!.Text);
        });
    }

    [Fact]
    public void Each_roll_forward_closes_by_formula_and_its_difference_is_zero()
    {
        var input = Sample.Value;
        using var book = WorkbookReader.Open(Rendered.Value);
        var sheet = book.Sheet(Workbook.RollForwardsSheet);
        var lines = sheet.Rows().Where(r => r.Count >= 5).ToList();

        var closings = lines.Where(r => SheetCells.TextOf(r[2]) == "closing").ToList();
        var differences = lines.Where(r => SheetCells.TextOf(r[2]) == "difference").ToList();
        Assert.Equal(input.Snapshot.Totals.Count * 2, closings.Count);
        Assert.All(closings, r => Assert.StartsWith("SUM(E", r[4].CellFormula!.Text, StringComparison.Ordinal));
        Assert.All(differences, r =>
        {
            Assert.StartsWith("ROUND(", r[4].CellFormula!.Text, StringComparison.Ordinal);
            Assert.Equal(0m, SheetCells.NumberOf(r[4]));
        });
        var stored = input.Snapshot.Totals.SelectMany(t => new[] { t.Currency.Round(t.Figures.Backlog), t.Currency.Round(t.Figures.NetContractPosition) });
        Assert.Equal(stored, closings.Select(r => SheetCells.NumberOf(r[4])));
    }

    [Theory]
    [InlineData(0, "#,##0;(#,##0)")]
    [InlineData(2, "#,##0.00;(#,##0.00)")]
    [InlineData(3, "#,##0.000;(#,##0.000)")]
    public void Money_has_the_currencys_digits_and_negatives_in_parentheses(int digits, string format) =>
        Assert.Equal(format, WorkbookStyles.MoneyFormat(digits));

    [Fact]
    public void Every_contract_amount_is_a_number_in_its_currencys_format_and_dates_are_date_serials()
    {
        var input = Sample.Value;
        using var book = WorkbookReader.Open(Rendered.Value);
        var sheet = book.Sheet(Workbook.ContractsSheet);
        var header = input.Snapshot.Totals.Count + 3;
        foreach (var (contract, index) in ReportTables.ByContract(input).Select((c, i) => (c, i)))
        {
            var row = header + 1 + index;
            Assert.Equal(contract.ContractId, sheet.Text(ColumnOf("contractId") + row));
            var signed = sheet.Cell(ColumnOf("signedDate") + row);
            Assert.Equal(WorkbookStyles.DateFormat, book.FormatOf(signed));
            Assert.Equal(contract.SignedDate.DayNumber - new DateOnly(1899, 12, 30).DayNumber, (int)SheetCells.NumberOf(signed));
            foreach (var figure in FigureColumns.All)
            {
                var cell = sheet.Cell(ColumnOf(figure.Name) + row);
                Assert.Null(cell.DataType);
                Assert.Equal(contract.Currency.Round(figure.Value(contract.Figures)), SheetCells.NumberOf(cell));
                Assert.Equal(WorkbookStyles.MoneyFormat(contract.Currency.MinorUnit), book.FormatOf(cell));
            }
        }
    }

    [Fact]
    public void The_contracts_are_an_Excel_table_with_filters_below_a_frozen_header()
    {
        var input = Sample.Value;
        using var book = WorkbookReader.Open(Rendered.Value);
        var part = book.Part(Workbook.ContractsSheet);
        var header = input.Snapshot.Totals.Count + 3;

        var table = Assert.Single(part.TableDefinitionParts).Table!;
        Assert.Equal($"A{header}:{ColumnOf(ReportCsv.ContractColumns[^1])}{header + input.Contracts.Count}", table.Reference!.Value);
        Assert.Equal(table.Reference.Value, table.AutoFilter!.Reference!.Value);
        Assert.Equal(ReportCsv.ContractColumns, table.TableColumns!.Elements<TableColumn>().Select(c => c.Name!.Value!));
        var pane = part.Worksheet!.Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal((double)header, pane.VerticalSplit!.Value);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+1+1")]
    [InlineData("@SUM(A1)")]
    [InlineData("a\u0001b _x0041_ ")]
    public void A_customer_name_is_a_string_cell_never_a_formula(string name)
    {
        var input = Sample.Value;
        var first = ReportTables.ByContract(input).First();
        input = input with { Contracts = [first with { Customer = first.Customer with { Name = name } }, .. input.Contracts.Where(c => c != first)] };

        using var book = WorkbookReader.Open(new Workbook().Render(input));
        var cell = book.Sheet(Workbook.ContractsSheet).Cell(ColumnOf("customerName") + (input.Snapshot.Totals.Count + 4));

        Assert.Equal(CellValues.InlineString, cell.DataType!.Value);
        Assert.Null(cell.CellFormula);
        Assert.Equal(name, WorkbookReader.Unescape(cell.InlineString!.InnerText));
    }

    [Fact]
    public void The_same_input_gives_the_same_bytes_stamped_with_the_closing_time()
    {
        var again = new Workbook().Render(Sample.Value);

        Assert.Equal(Rendered.Value, again);
        using var zip = new ZipArchive(new MemoryStream(again), ZipArchiveMode.Read);
        Assert.All(zip.Entries, e => Assert.Equal(Sample.Value.ClosedAt.UtcDateTime, e.LastWriteTime.DateTime));
        using var book = WorkbookReader.Open(again);
        Assert.Equal(Sample.Value.ClosedAt.UtcDateTime, book.Document.PackageProperties.Created);
    }

    [Theory]
    [InlineData(Workbook.SegmentsSheet, ReportCsv.SegmentsFile)]
    [InlineData(Workbook.ForecastSheet, ReportCsv.ForecastFile)]
    [InlineData(Workbook.ReceivablesSheet, ReportCsv.ReceivablesFile)]
    [InlineData(Workbook.OverdueSheet, ReportCsv.OverdueFile)]
    public void A_table_sheet_has_the_rows_of_its_CSV_file(string sheetName, string file)
    {
        var csv = ReportCsv.Render(Sample.Value).Single(f => f.Name == file);
        var lines = SampleReports.Text(csv.Content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var book = WorkbookReader.Open(Rendered.Value);

        var sheet = book.Sheet(sheetName);
        var rows = sheet.Rows().ToList();
        Assert.Equal(lines.Length, rows.Count);
        Assert.Equal(lines[0].TrimStart('\uFEFF').Split(','), rows[0].Select(SheetCells.TextOf));
    }

    [Fact]
    public void The_Group_sheet_has_the_rows_of_consolidated_csv_with_rates_as_numbers()
    {
        var input = SampleReports.Input(80, 20, 3, October, rates: SampleReports.RatesFor(October));
        var lines = SampleReports.Text(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ConsolidatedFile).Content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var book = WorkbookReader.Open(new Workbook().Render(input));

        var rows = book.Sheet(Workbook.GroupSheet).Rows().ToList();
        Assert.Equal(lines.Length, rows.Count);
        Assert.Equal(lines[0].TrimStart('\uFEFF').Split(','), rows[0].Select(SheetCells.TextOf));
        Assert.Equal("GroupRows", Assert.Single(book.Part(Workbook.GroupSheet).TableDefinitionParts).Table!.Name!.Value);
        var view = input.Snapshot.Consolidated!.View!;
        var (amount, rate) = (SheetWriter.ColumnName(ReportCsv.ConsolidatedColumns.ToList().IndexOf("amount")), SheetWriter.ColumnName(ReportCsv.ConsolidatedColumns.ToList().IndexOf("rate")));
        var backlog = rows.Single(r => SheetCells.TextOf(r[3]) == ReportCsv.ConsolidatedSection && r.Any(c => SheetCells.TextOf(c) == "backlog"));
        var amountCell = backlog.Single(c => c.CellReference!.Value!.StartsWith(amount, StringComparison.Ordinal));
        Assert.Equal(view.Figures.Backlog, SheetCells.NumberOf(amountCell));
        Assert.Equal(WorkbookStyles.MoneyFormat(2), book.FormatOf(amountCell));
        var closing = view.Rates.Single(r => r.Currency == Currency.JPY).Closing;
        var rateCell = rows.Where(r => SheetCells.TextOf(r[3]) == ReportCsv.RateSection && SheetCells.TextOf(r[4]) == "JPY").SelectMany(r => r).First(c => c.CellReference!.Value!.StartsWith(rate, StringComparison.Ordinal));
        Assert.Equal(closing, SheetCells.NumberOf(rateCell));
        Assert.Null(rateCell.DataType);
        Assert.Equal(WorkbookStyles.RateFormat, book.FormatOf(rateCell));
    }

    [Fact]
    public void Without_a_reporting_currency_the_Group_sheet_has_the_header_only()
    {
        using var book = WorkbookReader.Open(Rendered.Value);

        var rows = book.Sheet(Workbook.GroupSheet).Rows().ToList();
        Assert.Equal(ReportCsv.ConsolidatedColumns, Assert.Single(rows).Select(SheetCells.TextOf));
        Assert.Empty(book.Part(Workbook.GroupSheet).TableDefinitionParts);
    }

    [Fact]
    public void The_RPO_and_Waterfall_sheets_split_the_rows_of_rpo_csv()
    {
        var lines = SampleReports.Text(ReportCsv.Render(Sample.Value).Single(f => f.Name == ReportCsv.RpoFile).Content).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var book = WorkbookReader.Open(Rendered.Value);

        var waterfall = lines.Count(l => l.Contains(",waterfall,", StringComparison.Ordinal));
        Assert.Equal(lines.Length - waterfall, book.Sheet(Workbook.RpoSheet).Rows().Count());
        Assert.Equal(waterfall + 1, book.Sheet(Workbook.WaterfallSheet).Rows().Count());
    }

    private static string ColumnOf(string name) => SheetWriter.ColumnName(ReportCsv.ContractColumns.ToList().IndexOf(name));
}

/// <summary>Reads a rendered workbook back with the Open XML SDK.</summary>
internal sealed class WorkbookReader : IDisposable
{
    private WorkbookReader(SpreadsheetDocument document) => Document = document;

    public SpreadsheetDocument Document { get; }

    public static WorkbookReader Open(byte[] bytes) => new(SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false));

    public IReadOnlyList<string> SheetNames => [.. Document.WorkbookPart!.Workbook!.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!)];

    public WorksheetPart Part(string name)
    {
        var sheet = Document.WorkbookPart!.Workbook!.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return (WorksheetPart)Document.WorkbookPart.GetPartById(sheet.Id!.Value!);
    }

    public SheetCells Sheet(string name) => new(Part(name).Worksheet!);

    /// <summary>The number format code of a cell's style.</summary>
    public string? FormatOf(Cell cell)
    {
        var styles = Document.WorkbookPart!.WorkbookStylesPart!.Stylesheet!;
        var format = styles.CellFormats!.Elements<CellFormat>().ElementAt((int)cell.StyleIndex!.Value).NumberFormatId!.Value;
        return styles.NumberingFormats!.Elements<NumberingFormat>().SingleOrDefault(f => f.NumberFormatId! == format)?.FormatCode?.Value;
    }

    /// <summary>Undoes the <c>_xHHHH_</c> escaping of spreadsheet strings.</summary>
    public static string Unescape(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "_x([0-9A-Fa-f]{4})_", m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    public void Dispose() => Document.Dispose();
}

internal sealed class SheetCells(Worksheet worksheet)
{
    private readonly Dictionary<string, Cell> _cells = worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);

    public IEnumerable<Cell> Cells => _cells.Values;

    public IEnumerable<List<Cell>> Rows() => worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Select(r => r.Elements<Cell>().ToList()).Where(r => r.Count > 0);

    public Cell Cell(string reference) => _cells[reference];

    public string Text(string reference) => TextOf(Cell(reference));

    public static string TextOf(Cell cell) => cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "";

    public static decimal NumberOf(Cell cell) => decimal.Parse(cell.CellValue!.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
