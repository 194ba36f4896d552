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

    private static void ProgressLines(PdfCanvas pdf, ReportInput input, CurrencyTotals total, List<(ContractSnapshot Contract, LineSnapshot Line)> lines)
    {
        var c = total.Currency;
        if (lines.Count == 0)
        {
            return;
        }

        var open = lines.Where(IsOpen).ToList();
        var backlog = lines.Sum(x => x.Line.Figures.Backlog);
        pdf.Heading($"{c.Code} — projects (progress lines)");
        pdf.Paragraph(
            $"{Count(lines.Count, "progress line")} ({OpenOrDone(open.Count, lines.Count)}) earn by the progress reported on them (costs incurred or units delivered against the estimated total): " +
            $"{FinanceFormat.Money(backlog, c)} of backlog ({Share(backlog, total.Figures.Backlog)} of the currency's), " +
            $"{FinanceFormat.Money(lines.Sum(x => x.Line.Figures.Revenue), c)} of revenue in {FinanceFormat.Month(input.Period)}. A revised estimate is a catch-up in the month it is known.",
            7.5f);
        if (open.Count == 0)
        {
            return;
        }

        pdf.Table(
            [new("Contract", 58, Align.Left), new("Customer", 120, Align.Left), new("Line", 30, Align.Left), new("Progress", 42), new("Price (TCV)", 68), new("Revenue", 64), new("Earned to date", 68), new("Backlog", 65)],
            [
                .. open.Take(RecognitionRows).Select(x => new Row([
                    x.Contract.ContractId,
                    x.Contract.Customer.Name,
                    x.Line.LineId,
                    FinanceFormat.Percent(x.Line.Progress),
                    FinanceFormat.Money(x.Line.Figures.Tcv, c),
                    FinanceFormat.Money(x.Line.Figures.Revenue, c),
                    FinanceFormat.Money(x.Line.Figures.RecognizedToDate, c),
                    FinanceFormat.Money(x.Line.Figures.Backlog, c),
                ])),
                Total(open, x => [string.Empty, FinanceFormat.Money(x.Sum(l => l.Figures.Tcv), c), FinanceFormat.Money(x.Sum(l => l.Figures.Revenue), c), FinanceFormat.Money(x.Sum(l => l.Figures.RecognizedToDate), c), FinanceFormat.Money(x.Sum(l => l.Figures.Backlog), c)]),
            ],
            RecognitionSize);
    }

    private static void UsageLines(PdfCanvas pdf, ReportInput input, Currency c, List<(ContractSnapshot Contract, LineSnapshot Line)> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var open = lines.Where(IsOpen).ToList();
        var beyond = lines.Sum(x => x.Line.Figures.UsageBeyondCommitments);
        pdf.Heading($"{c.Code} — usage lines (committed minimums)");
        pdf.Paragraph(
            $"{Count(lines.Count, "usage line")} ({OpenOrDone(open.Count, lines.Count)}) earn as their customers use them: " +
            $"{FinanceFormat.Money(lines.Sum(x => x.Line.Figures.Revenue), c)} of revenue in {FinanceFormat.Month(input.Period)}, of which {FinanceFormat.Money(beyond, c)} was usage beyond the commitments (revenue that never was backlog). " +
            $"Their backlog is the commitments of the periods not ended, less what was used of them: {FinanceFormat.Money(lines.Sum(x => x.Line.Figures.Backlog), c)}.",
            7.5f);
        if (open.Count == 0)
        {
            return;
        }

        pdf.Table(
            [new("Contract", 58, Align.Left), new("Customer", 119, Align.Left), new("Line", 30, Align.Left), new("Committed (TCV)", 84), new("Revenue", 64), new("Beyond commitments", 95), new("Backlog", 65)],
            [
                .. open.Take(RecognitionRows).Select(x => new Row([
                    x.Contract.ContractId,
                    x.Contract.Customer.Name,
                    x.Line.LineId,
                    FinanceFormat.Money(x.Line.Figures.Tcv, c),
                    FinanceFormat.Money(x.Line.Figures.Revenue, c),
                    FinanceFormat.Money(x.Line.Figures.UsageBeyondCommitments, c),
                    FinanceFormat.Money(x.Line.Figures.Backlog, c),
                ])),
                Total(open, x => [FinanceFormat.Money(x.Sum(l => l.Figures.Tcv), c), FinanceFormat.Money(x.Sum(l => l.Figures.Revenue), c), FinanceFormat.Money(beyond, c), FinanceFormat.Money(x.Sum(l => l.Figures.Backlog), c)]),
            ],
            RecognitionSize);
    }

    /// <summary>The total row of every open line of the kind, not only the rows shown.</summary>
    private static Row Total(List<(ContractSnapshot Contract, LineSnapshot Line)> lines, Func<IReadOnlyList<LineSnapshot>, IEnumerable<string>> amounts) =>
        new([lines.Count > RecognitionRows ? $"All {lines.Count}" : "Total", string.Empty, string.Empty, .. amounts([.. lines.Select(x => x.Line)])], Strong: true);

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
