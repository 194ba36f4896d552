using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Journal;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Reports;

/// <summary>The journal's part of the tie-out page (journal.md, "Checks the product must show").</summary>
public sealed partial class BoardPack
{
    private static void JournalTieOut(PdfCanvas pdf, ReportInput input, IReadOnlyList<ReportFile> csvFiles)
    {
        if (input.Journal is not { } journal)
        {
            return;
        }

        var opening = journal.OpeningVersion is { } v ? $"{input.Period.Previous} version {v}" : "zero (no earlier month closed)";
        pdf.Heading("Journal entries", 11f);
        pdf.Paragraph($"The journal of {input.Period} version {input.Version} moves every balance account from the stored closing it opened from ({opening}) to this version's. Per currency: debits equal credits; deferred revenue, unbilled receivable and receivables move by exactly the change of the balance between the two snapshots; the revenue lines (prior-period adjustments aside) equal revenue. journal.csv and journal-detail.csv are read back from the files.", 7.5f);
        var summary = CsvTotals.Sums(File(csvFiles, ReportCsv.JournalFile), "account", ["debit", "credit"]);
        var detail = CsvTotals.Sums(File(csvFiles, ReportCsv.JournalDetailFile), "account", ["debit", "credit"]);
        var revenue = input.Snapshot.Totals.ToDictionary(t => t.Currency, t => t.Figures.Revenue);
        var summaryLines = journal.AsSummary().Lines;
        foreach (var check in journal.Checks(revenue))
        {
            var c = check.Currency;
            var summaryDebits = summaryLines.Where(l => l.Currency == c).Sum(l => l.Debit);
            var fileDebits = summary.Where(s => s.Key.Currency == c.Code).Sum(s => s.Value[0]);
            var fileCredits = summary.Where(s => s.Key.Currency == c.Code).Sum(s => s.Value[1]);
            var accounts = summary.Keys.Concat(detail.Keys).Where(k => k.Currency == c.Code).Distinct().ToList();
            var detailTies = accounts.All(k => Net(summary, k) == Net(detail, k));
            Row Line(string label, decimal journalSide, decimal snapshotSide) =>
                new([label, FinanceFormat.Money(journalSide, c), FinanceFormat.Money(snapshotSide, c), journalSide == snapshotSide ? "yes" : "NO"], Alert: journalSide != snapshotSide);
            List<Row> rows =
            [
                Line("Σ debits = Σ credits", check.Debits, check.Credits),
                Line("Deferred revenue: net credit = its change", check.DeferredRevenueMovement, check.DeferredRevenueChange),
                Line("Unbilled receivable: net debit = its change", check.UnbilledReceivableMovement, check.UnbilledReceivableChange),
            ];
            if (input.Snapshot.Options.DeferredBasis == Domain.Snapshots.DeferredBasis.Billed)
            {
                rows.Add(Line("Accounts receivable: net debit = change of receivables", check.ReceivablesMovement, check.ReceivablesChange));
            }

            rows.Add(Line("Revenue lines = revenue", check.RevenueLines, check.Revenue));
            rows.Add(Line("journal.csv read back: Σ debits = Σ credits", fileDebits, fileCredits));
            rows.Add(Line("journal.csv Σ debits = the summary journal's", fileDebits, summaryDebits));
            rows.Add(new Row(["journal-detail.csv: each account's net = journal.csv's", "", "", detailTies ? "yes" : "NO"], Alert: !detailTies));
            pdf.Table(
                [new($"{c.Code} journal check", 241, Align.Left), new("Journal", 95), new("Snapshots", 95), new("Ties", 80)],
                rows,
                7.5f);
        }
    }

    private static decimal Net(IReadOnlyDictionary<(string Currency, string Key), decimal[]> sums, (string Currency, string Key) key) =>
        sums.TryGetValue(key, out var amounts) ? amounts[0] - amounts[1] : 0m;

    private static byte[] File(IReadOnlyList<ReportFile> files, string name) => files.Single(f => f.Name == name).Content;
}
