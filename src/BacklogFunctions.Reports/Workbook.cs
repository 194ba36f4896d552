using System.Buffers.Binary;
using System.Globalization;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BacklogFunctions.Reports;

/// <summary>
/// The finance workbook (<c>workbook.xlsx</c>): every report table of a closed version in one file, from the same
/// stored snapshot as the board pack and the CSV files. The totals are live formulas that tie: the Contracts
/// sheet totals each figure per currency with SUMIFS over the contract rows, the Summary checks its stored
/// figures against those totals (TRUE), and each roll-forward's closing is opening + movements with a difference
/// of zero. Every formula carries its cached value, so the file shows numbers before any recalculation; customer
/// text is always a string, never a formula. The same input gives the same bytes (docs/reports.md).
/// </summary>
public sealed class Workbook : IWorkbookRenderer
{
    public const string FileName = ReportRenderer.WorkbookFile;

    public const string SummarySheet = "Summary";
    public const string GroupSheet = "Group";
    public const string RollForwardsSheet = "Roll-forwards";
    public const string ContractsSheet = "Contracts";
    public const string SegmentsSheet = "Segments";
    public const string RpoSheet = "RPO";
    public const string WaterfallSheet = "Waterfall";
    public const string ForecastSheet = "Forecast";
    public const string ReceivablesSheet = "Receivables";
    public const string OverdueSheet = "Overdue";
    public const string TargetsSheet = "Targets";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The headline figures of the Summary, each also a column of the Contracts sheet (so each has a check).</summary>
    private static readonly string[] SummaryFigures =
    [
        "backlog", "deferredRevenue", "unbilledReceivable", "revenue", "bookings", "billings", "collections", "netContractPosition",
        "rpoCurrent", "rpoNonCurrent", "notYetBilled", "billedNotEarned", "receivables", "overdueBilling", "overdueBacklog", "arr",
    ];

    private static readonly (string Label, Func<CurrencyTotals, decimal?> Value, uint Style)[] SummaryRatios =
    [
        ("Backlog ratio (months)", t => t.Figures.BacklogRatio, WorkbookStyles.Ratio),
        ("Backlog ratio (TTM)", t => t.Figures.BacklogRatioTtm, WorkbookStyles.Ratio),
        ("Book-to-bill", t => t.Figures.BookToBill, WorkbookStyles.Ratio),
        ("Backlog conversion", t => t.Figures.BacklogConversion, WorkbookStyles.Percent),
        ("Cancellation rate", t => t.Figures.CancellationRate, WorkbookStyles.Percent),
        ("Lead time (days)", t => t.Figures.LeadTimeDays, WorkbookStyles.Days),
        ("GRR (12 months)", t => t.Grr, WorkbookStyles.Percent),
        ("NRR (12 months)", t => t.Nrr, WorkbookStyles.Percent),
    ];

    /// <summary>The workbook's bytes: the same input always gives the same bytes.</summary>
    public byte[] Render(ReportInput input)
    {
        var contracts = ContractsLayout.Of(input);
        using var package = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(package, SpreadsheetDocumentType.Workbook))
        {
            // Explicit relationship ids and our own core properties part: the SDK's defaults are random (a GUID
            // part name for the properties), which would change the bytes on every render.
            var book = document.AddNewPart<WorkbookPart>("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "rIdWorkbook");
            Properties(document.AddNewPart<CoreFilePropertiesPart>("rIdCore"), input);
            book.AddNewPart<WorkbookStylesPart>("rIdStyles").Stylesheet = WorkbookStyles.Stylesheet();
            (string Name, Action<SheetWriter, WorksheetPart> Write)[] sheets =
            [
                (SummarySheet, (sheet, _) => Summary(sheet, input, contracts)),
                (GroupSheet, (sheet, part) => Table(sheet, part, "GroupRows", ReportCsv.ConsolidatedColumns, rows => ReportTables.Consolidated(rows, input))),
                (RollForwardsSheet, (sheet, _) => RollForwards(sheet, input)),
                (ContractsSheet, (sheet, part) => Contracts(sheet, part, input, contracts)),
                (SegmentsSheet, (sheet, part) => Table(sheet, part, "SegmentRows", ReportCsv.SegmentColumns, rows => ReportTables.Segments(rows, input))),
                (RpoSheet, (sheet, part) => Table(sheet, part, "RpoRows", ReportCsv.RpoColumns, rows => ReportTables.Rpo(rows, input, RpoSchedules.Buckets))),
                (WaterfallSheet, (sheet, part) => Table(sheet, part, "WaterfallRows", ReportCsv.RpoColumns, rows => ReportTables.Rpo(rows, input, RpoSchedules.Waterfall))),
                (ForecastSheet, (sheet, part) => Table(sheet, part, "ForecastRows", ReportCsv.ForecastColumns, rows => ReportTables.Forecasts(rows, input))),
                (ReceivablesSheet, (sheet, part) => Table(sheet, part, "ReceivableRows", ReportCsv.ReceivableColumns, rows => ReportTables.Receivables(rows, input))),
                (OverdueSheet, (sheet, part) => Table(sheet, part, "OverdueRows", ReportCsv.OverdueColumns, rows => ReportTables.Overdue(rows, input))),
                (TargetsSheet, (sheet, part) => Table(sheet, part, "TargetRows", ReportCsv.TargetColumns, rows => ReportTables.Targets(rows, input))),
            ];

            var entries = new Sheets();
            for (var i = 0; i < sheets.Length; i++)
            {
                var id = $"rIdSheet{i + 1}";
                var part = book.AddNewPart<WorksheetPart>(id);
                using (var writer = OpenXmlWriter.Create(part))
                {
                    sheets[i].Write(new SheetWriter(writer), part);
                }

                entries.Append(new Sheet { Name = sheets[i].Name, SheetId = (uint)(i + 1), Id = id });
            }

            book.Workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook(
                new BookViews(new WorkbookView { ActiveTab = 0 }),
                entries,
                new CalculationProperties { CalculationId = 191029, FullCalculationOnLoad = true });
        }

        return DeterministicZip.Rewrite(package, input.ClosedAt);
    }

    /// <summary>Fixed document properties: the dates are the closing time, never the render time.</summary>
    private static void Properties(CoreFilePropertiesPart part, ReportInput input)
    {
        const string core = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties", dc = "http://purl.org/dc/elements/1.1/", terms = "http://purl.org/dc/terms/", xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var closed = input.ClosedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", Invariant);
        using var stream = part.GetStream(FileMode.Create);
        using var xml = System.Xml.XmlWriter.Create(stream, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) });
        xml.WriteStartElement("cp", "coreProperties", core);
        xml.WriteAttributeString("xmlns", "dc", null, dc);
        xml.WriteAttributeString("xmlns", "dcterms", null, terms);
        xml.WriteAttributeString("xmlns", "xsi", null, xsi);
        xml.WriteElementString("title", dc, $"Backlog workbook {input.Period} (version {input.Version})");
        xml.WriteElementString("subject", dc, $"Backlog, deferred revenue and revenue for {FinanceFormat.Month(input.Period)}");
        xml.WriteElementString("creator", dc, "BacklogFunctions");
        xml.WriteElementString("cp", "keywords", core, $"backlog; RPO; deferred revenue; {input.Period}; v{input.Version}");
        foreach (var name in (ReadOnlySpan<string>)["created", "modified"])
        {
            xml.WriteStartElement("dcterms", name, terms);
            xml.WriteAttributeString("xsi", "type", xsi, "dcterms:W3CDTF");
            xml.WriteString(closed);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void Summary(SheetWriter sheet, ReportInput input, ContractsLayout contracts)
    {
        var (prior, lastYear) = (input.Period.Previous, input.Period.AddMonths(-12));
        var (quarter, year) = (input.SnapshotOf(input.QuarterToDate), input.SnapshotOf(input.YearToDate));
        Start(sheet, [10, 22, 34, 18, 18, 18, 18, 18, 18, 12], frozenRows: 4, frozenColumns: 3);
        sheet.Text($"Backlog workbook — {FinanceFormat.Month(input.Period)}, snapshot version {input.Version}", WorkbookStyles.Heading);
        sheet.EndRow();
        sheet.Text($"Closed {input.ClosedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC; balances as of {EventJsonDate(input.Snapshot.AsOf)}. Each currency on its own, nothing converted. QTD and YTD: flows summed over the months, balances at the end of the period; n/a when a month is not closed. The contracts total is the Contracts sheet's SUMIFS; \"ties\" compares it with the stored figure.");
        sheet.EndRow();
        sheet.EndRow();
        if (input.Snapshot.Totals.Count == 0)
        {
            sheet.Text("No contract was signed by the end of this month: there is nothing to report.");
            sheet.EndRow();
        }

        sheet.Header(["currency", "figure", "label", input.Period.ToString(), prior.ToString(), lastYear.ToString(), $"QTD {input.QuarterToDate.Name}", $"YTD {input.YearToDate.Name}", "contracts total", "ties"]);
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            CurrencyTotals?[] columns = [total, ReportInput.TotalsOf(input.Earlier(prior), c), ReportInput.TotalsOf(input.Earlier(lastYear), c), ReportInput.TotalsOf(quarter, c), ReportInput.TotalsOf(year, c)];
            foreach (var figure in SummaryFigures.Select(FigureColumns.Named))
            {
                Texts(sheet, [c.Code, figure.Name, figure.Label]);
                foreach (var column in columns)
                {
                    sheet.Number(column is null ? null : c.Round(figure.Value(column.Figures)), WorkbookStyles.Money(c.MinorUnit));
                }

                SummaryCheck(sheet, total, figure, contracts);
                sheet.EndRow();
            }

            foreach (var (label, value, style) in SummaryRatios)
            {
                Texts(sheet, [c.Code, "", label]);
                foreach (var column in columns)
                {
                    sheet.Number(column is null ? null : Rounded(value(column)), style);
                }

                sheet.EndRow();
            }

            sheet.EndRow();
        }

        End(sheet);
    }

    /// <summary>The Contracts sheet's total of the figure and whether the stored figure equals it (to the currency's digits).</summary>
    private static void SummaryCheck(SheetWriter sheet, CurrencyTotals total, FigureColumn figure, ContractsLayout contracts)
    {
        if (contracts.TotalCell(total.Currency, figure) is not { } cell)
        {
            return;
        }

        var c = total.Currency;
        var sum = contracts.Total(total.Currency, figure);
        var stored = SheetWriter.Reference(3, sheet.RowNumber);
        sheet.Formula($"{ContractsSheet}!{cell}", sum, WorkbookStyles.Money(c.MinorUnit));
        sheet.Check($"ROUND({stored}-{ContractsSheet}!{cell},{c.MinorUnit})=0", c.Round(figure.Value(total.Figures)) == sum);
    }

    /// <summary>Both roll-forwards of each currency: the lines as stored, the closing as their sum, the stored closing and the difference.</summary>
    private static void RollForwards(SheetWriter sheet, ReportInput input)
    {
        Start(sheet, [10, 22, 24, 40, 20], frozenRows: 1, frozenColumns: 0);
        sheet.Header(["currency", "rollForward", "line", "label", "amount"]);
        foreach (var total in input.Snapshot.Totals)
        {
            Reconcile(sheet, total.Currency, RollForward.Backlog(total.Figures));
            Reconcile(sheet, total.Currency, RollForward.NetContractPosition(total.Figures, input.Snapshot.Options));
        }

        End(sheet);
    }

    private static void Reconcile(SheetWriter sheet, Currency c, IReadOnlyList<RollForwardLine> lines)
    {
        var movements = lines.Where(l => l.Name is not ("closing" or "difference")).ToList();
        var stored = lines.Single(l => l.Name == "closing");
        var first = sheet.RowNumber;
        foreach (var line in movements)
        {
            Texts(sheet, [c.Code, line.RollForward, line.Name, line.Label]);
            sheet.Money(line.Amount, c);
            sheet.EndRow();
        }

        var sum = movements.Sum(l => c.Round(l.Amount));
        var closingRow = sheet.RowNumber;
        Texts(sheet, [c.Code, stored.RollForward, "closing", $"{stored.Label} (opening + movements)"]);
        sheet.Formula($"SUM(E{first}:E{closingRow - 1})", sum, WorkbookStyles.Total(c.MinorUnit));
        sheet.EndRow();

        Texts(sheet, [c.Code, stored.RollForward, "storedClosing", $"{stored.Label} as stored"]);
        sheet.Money(stored.Amount, c);
        sheet.EndRow();

        Texts(sheet, [c.Code, stored.RollForward, "difference", "Difference (must be zero)"]);
        sheet.Formula($"ROUND(E{closingRow}-E{closingRow + 1},{c.MinorUnit})", sum - c.Round(stored.Amount), WorkbookStyles.Total(c.MinorUnit));
        sheet.EndRow();
        sheet.EndRow();
    }

    /// <summary>Per-currency totals (SUMIFS) above one table of every contract, frozen below its header row.</summary>
    private static void Contracts(SheetWriter sheet, WorksheetPart part, ReportInput input, ContractsLayout layout)
    {
        Start(sheet, Widths(ReportCsv.ContractColumns), frozenRows: layout.HeaderRow, frozenColumns: 3);
        sheet.Text("Totals per currency: SUMIFS over the contract rows below (the Summary checks each against the stored figure)", WorkbookStyles.Heading);
        sheet.EndRow();
        foreach (var currency in layout.Currencies)
        {
            sheet.Text("total", WorkbookStyles.Header);
            sheet.MoveTo(layout.CurrencyColumn);
            sheet.Text(currency.Code, WorkbookStyles.Header);
            foreach (var figure in FigureColumns.All)
            {
                var column = ContractsLayout.Column(figure);
                sheet.MoveTo(column);
                var (values, currencies) = (Range(column, layout), Range(layout.CurrencyColumn, layout));
                sheet.Formula($"SUMIFS({values},{currencies},{SheetWriter.Reference(layout.CurrencyColumn, sheet.RowNumber)})", layout.Total(currency, figure), WorkbookStyles.Total(currency.MinorUnit));
            }

            sheet.EndRow();
        }

        sheet.EndRow();
        TableRows(sheet, part, "ContractRows", ReportCsv.ContractColumns, rows => ReportTables.Contracts(rows, input));
    }

    private static string Range(int column, ContractsLayout layout)
    {
        var name = SheetWriter.ColumnName(column);
        return $"${name}${layout.FirstRow}:${name}${Math.Max(layout.LastRow, layout.FirstRow)}";
    }

    /// <summary>A sheet of one report table (the rows of the CSV file of the same name) as an Excel table with filters.</summary>
    private static void Table(SheetWriter sheet, WorksheetPart part, string tableName, IReadOnlyList<string> columns, Action<IReportTableWriter> rows)
    {
        Start(sheet, Widths(columns), frozenRows: 1, frozenColumns: 0);
        TableRows(sheet, part, tableName, columns, rows);
    }

    /// <summary>The header and rows of a table from the current row on, then the sheet's end and the table's definition (when it has rows).</summary>
    private static void TableRows(SheetWriter sheet, WorksheetPart part, string tableName, IReadOnlyList<string> columns, Action<IReportTableWriter> rows)
    {
        var header = sheet.RowNumber;
        sheet.Header(columns);
        rows(sheet);
        var last = sheet.RowNumber - 1;
        var writer = sheet.Writer;
        writer.WriteEndElement(); // sheetData
        if (last > header)
        {
            const string id = "rIdTable";
            writer.WriteElement(new TableParts(new TablePart { Id = id }) { Count = 1 });
            var reference = $"A{header}:{SheetWriter.Reference(columns.Count - 1, last)}";
            part.AddNewPart<TableDefinitionPart>(id).Table = new DocumentFormat.OpenXml.Spreadsheet.Table(
                new AutoFilter { Reference = reference },
                new TableColumns(columns.Select((name, i) => new TableColumn { Id = (uint)(i + 1), Name = name })) { Count = (uint)columns.Count },
                new TableStyleInfo { Name = "TableStyleMedium2", ShowRowStripes = true, ShowColumnStripes = false, ShowFirstColumn = false, ShowLastColumn = false })
            {
                Id = TableId(tableName),
                Name = tableName,
                DisplayName = tableName,
                Reference = reference,
                TotalsRowShown = false,
            };
        }

        writer.WriteEndElement(); // worksheet
    }

    private static readonly string[] TableNames = ["ContractRows", "SegmentRows", "RpoRows", "WaterfallRows", "ForecastRows", "ReceivableRows", "OverdueRows", "GroupRows", "TargetRows"];

    /// <summary>Table ids are unique in a workbook.</summary>
    private static uint TableId(string name) => (uint)(Array.IndexOf(TableNames, name) + 1);

    /// <summary>Opens the worksheet: frozen panes, column widths, then the sheet data.</summary>
    private static void Start(SheetWriter sheet, IReadOnlyList<double> widths, int frozenRows, int frozenColumns)
    {
        var writer = sheet.Writer;
        writer.WriteStartElement(new Worksheet());
        var pane = new Pane
        {
            VerticalSplit = frozenRows > 0 ? frozenRows : null,
            HorizontalSplit = frozenColumns > 0 ? frozenColumns : null,
            TopLeftCell = SheetWriter.Reference(frozenColumns, frozenRows + 1),
            ActivePane = (frozenRows, frozenColumns) switch
            {
                (> 0, > 0) => PaneValues.BottomRight,
                (> 0, _) => PaneValues.BottomLeft,
                _ => PaneValues.TopRight,
            },
            State = PaneStateValues.Frozen,
        };
        writer.WriteElement(new SheetViews(new SheetView(pane) { WorkbookViewId = 0 }));
        writer.WriteElement(new Columns(widths.Select((width, i) => new DocumentFormat.OpenXml.Spreadsheet.Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = (double)width, CustomWidth = true })));
        writer.WriteStartElement(new SheetData());
    }

    private static void End(SheetWriter sheet)
    {
        sheet.Writer.WriteEndElement(); // sheetData
        sheet.Writer.WriteEndElement(); // worksheet
    }

    /// <summary>Column widths: money columns wide enough for a currency's total in parentheses (no "###"), text by its header.</summary>
    private static double[] Widths(IReadOnlyList<string> columns) =>
        [.. columns.Select(name => name switch
        {
            "customerName" or "item" => 30d,
            "termLength" or "backlogAge" => 16d,
            _ when MoneyColumns.Contains(name) => Math.Max(18d, name.Length + 3d),
            _ => Math.Max(12d, name.Length + 3d),
        })];

    private static readonly HashSet<string> MoneyColumns =
        [.. FigureColumns.All.Select(f => f.Name), "amount", "openBalance", "billings", "collections", "revenue", "backlog"];

    private static void Texts(SheetWriter sheet, ReadOnlySpan<string> texts)
    {
        foreach (var text in texts)
        {
            sheet.Text(text);
        }
    }

    private static decimal? Rounded(decimal? value) => value is { } v ? Math.Round(v, 6, MidpointRounding.AwayFromZero) : null;

    private static string EventJsonDate(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    /// <summary>
    /// Where the Contracts sheet puts things: a totals row per currency at the top (rows 2…), then the table's
    /// header and one row per contract. Computed before any sheet is written, so the Summary can point at the totals.
    /// </summary>
    private sealed class ContractsLayout
    {
        private readonly Dictionary<(Currency, string), decimal> _totals = [];

        private ContractsLayout(ReportInput input)
        {
            Currencies = [.. input.Snapshot.Totals.Select(t => t.Currency).Union(input.Contracts.Select(c => c.Currency).Distinct().OrderBy(c => c.Code, StringComparer.Ordinal))];
            HeaderRow = Currencies.Count + 3;
            LastRow = HeaderRow + input.Contracts.Count;
            foreach (var contract in input.Contracts)
            {
                foreach (var figure in FigureColumns.All)
                {
                    var key = (contract.Currency, figure.Name);
                    _totals[key] = _totals.GetValueOrDefault(key) + contract.Currency.Round(figure.Value(contract.Figures));
                }
            }
        }

        public static ContractsLayout Of(ReportInput input) => new(input);

        public IReadOnlyList<Currency> Currencies { get; }

        public int HeaderRow { get; }

        public int FirstRow => HeaderRow + 1;

        public int LastRow { get; }

        public int CurrencyColumn { get; } = IndexOf("currency");

        public static int Column(FigureColumn figure) => IndexOf(figure.Name);

        public decimal Total(Currency currency, FigureColumn figure) => _totals.GetValueOrDefault((currency, figure.Name));

        /// <summary>The A1 reference of a currency's total of a figure, null when no contract is in that currency.</summary>
        public string? TotalCell(Currency currency, FigureColumn figure)
        {
            var index = Currencies.ToList().IndexOf(currency);
            return index < 0 ? null : SheetWriter.Reference(Column(figure), 2 + index);
        }

        private static int IndexOf(string name) => ReportCsv.ContractColumns.ToList().IndexOf(name);
    }
}

/// <summary>
/// Stamps every entry of a zip package with one fixed time, in place (System.IO.Packaging stamps entries with the
/// current time), so the same content always gives the same bytes. Only the DOS time and date fields of each
/// local and central directory header change; nothing is recompressed.
/// </summary>
internal static class DeterministicZip
{
    private const uint EndOfCentralDirectory = 0x06054b50, CentralHeader = 0x02014b50, LocalHeader = 0x04034b50;

    public static byte[] Rewrite(MemoryStream package, DateTimeOffset stamp)
    {
        var zip = package.ToArray();
        var (time, date) = DosTime(stamp.UtcDateTime);
        var end = FindEnd(zip);
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(end + 10));
        var header = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 16));
        for (var i = 0; i < entries; i++)
        {
            Expect(zip, header, CentralHeader);
            Stamp(zip, header + 12, time, date);
            var local = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(header + 42));
            Expect(zip, local, LocalHeader);
            Stamp(zip, local + 10, time, date);
            header += 46 + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(header + 28)) + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(header + 30)) + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(header + 32));
        }

        return zip;
    }

    private static (ushort Time, ushort Date) DosTime(DateTime t) =>
        ((ushort)((t.Hour << 11) | (t.Minute << 5) | (t.Second / 2)), (ushort)(((t.Year - 1980) << 9) | (t.Month << 5) | t.Day));

    private static void Stamp(byte[] zip, int offset, ushort time, ushort date)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(offset), time);
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(offset + 2), date);
    }

    private static int FindEnd(byte[] zip)
    {
        for (var i = zip.Length - 22; i >= Math.Max(0, zip.Length - 22 - ushort.MaxValue); i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == EndOfCentralDirectory)
            {
                return i;
            }
        }

        throw new InvalidDataException("the workbook package has no end of central directory");
    }

    private static void Expect(byte[] zip, int offset, uint signature)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(offset)) != signature)
        {
            throw new InvalidDataException($"the workbook package has no zip header at {offset}");
        }
    }
}
