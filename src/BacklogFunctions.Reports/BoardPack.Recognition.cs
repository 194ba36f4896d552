using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Reports;

/// <summary>
/// The project and usage businesses of one currency (recognition.md), under its RPO disclosure: the progress lines
/// with their progress, the loss contracts among them, and the usage lines with their commitments. A currency
/// without such lines shows none of it.
/// </summary>
public sealed partial class BoardPack
{
    /// <summary>Lines listed per table: the open ones with the most backlog; the total row covers every open one.</summary>
    private const int RecognitionRows = 10;

    private const float RecognitionSize = 7.5f;

    private static void ProjectsAndUsage(PdfCanvas pdf, ReportInput input, CurrencyTotals total)
    {
        var c = total.Currency;
        var contracts = input.Contracts.Where(k => k.Currency == c).ToList();
        ProgressLines(pdf, input, total, LinesOf(contracts, IsProgress));
        LossContracts(pdf, input, c);
        UsageLines(pdf, input, c, LinesOf(contracts, l => l.Recognition == RecognitionPattern.Usage));
    }

    /// <summary>A progress line; rows stored before lines kept their pattern still carry their progress.</summary>
    private static bool IsProgress(LineSnapshot line) => line.Recognition == RecognitionPattern.Progress || line.Progress is not null;

    private static List<(ContractSnapshot Contract, LineSnapshot Line)> LinesOf(IEnumerable<ContractSnapshot> contracts, Func<LineSnapshot, bool> kind) =>
        [.. contracts.SelectMany(k => k.Lines.Where(kind).Select(l => (Contract: k, Line: l)))
            .OrderByDescending(x => x.Line.Figures.Backlog)
            .ThenBy(x => x.Contract.ContractId, StringComparer.Ordinal)
            .ThenBy(x => x.Line.LineId, StringComparer.Ordinal)];

    /// <summary>A column of a line table: its cell for a line and its total over the open lines.</summary>
    private sealed record LineColumn(string Header, float Width, Func<LineSnapshot, Currency, string> Cell, Func<IEnumerable<LineSnapshot>, Currency, string> Total)
    {
        public static LineColumn Money(string header, float width, Func<Figures, decimal> figure) =>
            new(header, width, (l, c) => FinanceFormat.Money(figure(l.Figures), c), (lines, c) => FinanceFormat.Money(lines.Sum(l => figure(l.Figures)), c));
    }

    private static readonly LineColumn[] ProgressColumns =
    [
        new("Progress", 42, (l, _) => FinanceFormat.Percent(l.Progress), (_, _) => string.Empty),
        LineColumn.Money("Price (TCV)", 68, f => f.Tcv),
        LineColumn.Money("Revenue", 64, f => f.Revenue),
        LineColumn.Money("Earned to date", 68, f => f.RecognizedToDate),
        LineColumn.Money("Backlog", 65, f => f.Backlog),
    ];

    private static readonly LineColumn[] UsageColumns =
    [
        LineColumn.Money("Committed (TCV)", 84, f => f.Tcv),
        LineColumn.Money("Revenue", 64, f => f.Revenue),
        LineColumn.Money("Beyond commitments", 95, f => f.UsageBeyondCommitments),
        LineColumn.Money("Backlog", 65, f => f.Backlog),
    ];

    private static void ProgressLines(PdfCanvas pdf, ReportInput input, CurrencyTotals total, List<(ContractSnapshot Contract, LineSnapshot Line)> lines)
    {
        var c = total.Currency;
        var backlog = lines.Sum(x => x.Line.Figures.Backlog);
        LineSection(pdf, c, $"{c.Code} — projects (progress lines)", lines, ProgressColumns, open =>
            $"{Count(lines.Count, "progress line")} ({open}) earn by the progress reported on them (costs incurred or units delivered against the estimated total): " +
            $"{FinanceFormat.Money(backlog, c)} of backlog ({Share(backlog, total.Figures.Backlog)} of the currency's), " +
            $"{FinanceFormat.Money(lines.Sum(x => x.Line.Figures.Revenue), c)} of revenue in {FinanceFormat.Month(input.Period)}. A revised estimate is a catch-up in the month it is known.");
    }

    private static void UsageLines(PdfCanvas pdf, ReportInput input, Currency c, List<(ContractSnapshot Contract, LineSnapshot Line)> lines) =>
        LineSection(pdf, c, $"{c.Code} — usage lines (committed minimums)", lines, UsageColumns, open =>
            $"{Count(lines.Count, "usage line")} ({open}) earn as their customers use them: " +
            $"{FinanceFormat.Money(lines.Sum(x => x.Line.Figures.Revenue), c)} of revenue in {FinanceFormat.Month(input.Period)}, of which {FinanceFormat.Money(lines.Sum(x => x.Line.Figures.UsageBeyondCommitments), c)} was usage beyond the commitments (revenue that never was backlog). " +
            $"Their backlog is the commitments of the periods not ended, less what was used of them: {FinanceFormat.Money(lines.Sum(x => x.Line.Figures.Backlog), c)}.");

    /// <summary>
    /// A kind of line: its heading, what it adds up to (<paramref name="summary"/>, given how many are open and
    /// finished), then its open lines with the most backlog and the total of every open one. Nothing without lines.
    /// </summary>
    private static void LineSection(PdfCanvas pdf, Currency c, string heading, List<(ContractSnapshot Contract, LineSnapshot Line)> lines, LineColumn[] columns, Func<string, string> summary)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var open = lines.Where(IsOpen).ToList();
        pdf.Heading(heading);
        pdf.Paragraph(summary(OpenOrDone(open.Count, lines.Count)), 7.5f);
        if (open.Count == 0)
        {
            return;
        }

        // The contract, customer and line columns take what the figures leave of the page's width.
        const float PageWidth = 515f;
        var customer = PageWidth - 58f - 30f - columns.Sum(k => k.Width);
        pdf.Table(
            [new("Contract", 58, Align.Left), new("Customer", customer, Align.Left), new("Line", 30, Align.Left), .. columns.Select(k => new Column(k.Header, k.Width))],
            [
                .. open.Take(RecognitionRows).Select(x => new Row([x.Contract.ContractId, x.Contract.Customer.Name, x.Line.LineId, .. columns.Select(k => k.Cell(x.Line, c))])),
                new([open.Count > RecognitionRows ? $"All {open.Count}" : "Total", string.Empty, string.Empty, .. columns.Select(k => k.Total(open.Select(x => x.Line), c))], Strong: true),
            ],
            RecognitionSize);
    }

    /// <summary>A line with backlog left or revenue in the month; a finished one has neither and is only counted.</summary>
    private static bool IsOpen((ContractSnapshot Contract, LineSnapshot Line) x) => x.Line.Figures.Backlog != 0m || x.Line.Figures.Revenue != 0m;

    private static string OpenOrDone(int open, int all) =>
        open == all ? "all open" : open == 0 ? "all finished" : $"{open.ToString("N0", Culture)} open, {(all - open).ToString("N0", Culture)} finished";

    private static string Count(int n, string noun) => n == 1 ? $"One {noun}" : $"{n.ToString("N0", Culture)} {noun}s";

    /// <summary>
    /// One currency's loss contracts (recognition.md): each progress line whose estimated total cost exceeds its
    /// amount, with its expected loss; nothing at all when the currency has none.
    /// </summary>
    private static void LossContracts(PdfCanvas pdf, ReportInput input, Currency c)
    {
        var losses = input.Snapshot.LossContracts.Where(l => l.Currency == c).ToList();
        if (losses.Count == 0)
        {
            return;
        }

        pdf.Heading($"{c.Code} — loss contracts (expected losses on progress lines)");
        pdf.Table(
            [new("Contract", 100, Align.Left), new("Customer", 170, Align.Left), new("Currency", 50, Align.Left), new("Line", 70, Align.Left), new($"Expected loss {c.Code}", 100)],
            [
                .. losses.Select(l => new Row([
                    l.ContractId,
                    input.Contracts.FirstOrDefault(k => k.ContractId == l.ContractId)?.Customer.Name ?? "",
                    l.Currency.Code,
                    l.LineId,
                    FinanceFormat.Money(l.ExpectedLoss, c),
                ])),
                new(["Total", "", "", "", FinanceFormat.Money(losses.Sum(l => l.ExpectedLoss), c)], Strong: true),
            ]);
    }
}
