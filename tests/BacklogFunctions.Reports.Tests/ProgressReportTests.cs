using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using UglyToad.PdfPig;

namespace BacklogFunctions.Reports.Tests;

/// <summary>
/// Progress and usage lines in the reports: the progress column of contracts.csv, and the pack's projects, loss-contract
/// and usage tables.
/// </summary>
public class ProgressReportTests
{
    private static readonly Period February = new(2025, 2);

    /// <summary>
    /// The small sample with its first USD contract's first line made a progress line at 37.5% and an expected loss
    /// of 1,234.56 on it, both through the stored shapes the renderer reads (the contract row and the snapshot document).
    /// </summary>
    private static (ReportInput Input, ContractSnapshot Contract, LossContract Loss) WithProgressAndLoss()
    {
        var input = SampleReports.Input(6, 14, 7, February);
        var contract = input.Contracts.First(c => c.Currency == Currency.USD);
        var progressed = contract with { Lines = [contract.Lines[0] with { Progress = 0.375m }, .. contract.Lines.Skip(1)] };
        var loss = new LossContract(contract.ContractId, Currency.USD, contract.Lines[0].LineId, 1234.56m);
        using var buffer = new MemoryStream();
        SnapshotJson.Write(buffer, input.Snapshot with { Contracts = [], LossContracts = [loss] });
        var stored = SnapshotJson.ReadSnapshot(buffer.ToArray()).ToSnapshot();
        var row = ContractSnapshotJson.Read(ContractSnapshotJson.Write(progressed));
        input = input with
        {
            Snapshot = stored,
            SnapshotDocument = buffer.ToArray(),
            Contracts = [.. input.Contracts.Select(c => c.ContractId == contract.ContractId ? row : c)],
        };
        return (input, row, loss);
    }

    [Fact]
    public void Contracts_csv_has_the_progress_of_a_contracts_progress_line_and_is_empty_for_the_others()
    {
        var (input, contract, _) = WithProgressAndLoss();

        var text = SampleReports.Text(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ContractsFile).Content).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith(",backlogRatioTtm,progress", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",0.3750", Assert.Single(lines, l => l.StartsWith($"2025-02,1,{contract.ContractId},", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.All(lines.Skip(1).Where(l => !l.StartsWith($"2025-02,1,{contract.ContractId},", StringComparison.Ordinal)), l => Assert.EndsWith(",", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Several_progress_lines_give_their_tcv_weighted_progress_with_four_decimals()
    {
        var contract = SampleReports.Input(6, 14, 7, February).Contracts[0];
        LineSnapshot Line(string id, decimal tcv, decimal? progress) => new(id, null, new Figures { Tcv = tcv }) { Progress = progress };

        Assert.Null(ReportTables.ProgressOf(contract with { Lines = [Line("A", 100m, null)] }));
        Assert.Equal(0.1235m, ReportTables.ProgressOf(contract with { Lines = [Line("A", 100m, 0.12345m), Line("B", 50m, null)] }));
        // (0.2 × 300 + 0.5 × 100) / 400 = 0.275; the line without progress counts for nothing.
        Assert.Equal(0.2750m, ReportTables.ProgressOf(contract with { Lines = [Line("A", 300m, 0.2m), Line("B", 100m, 0.5m), Line("C", 1000m, null)] }));
        // (0.1 × 1 + 0.2 × 2) / 3 = 0.16666… → 0.1667.
        Assert.Equal(0.1667m, ReportTables.ProgressOf(contract with { Lines = [Line("A", 1m, 0.1m), Line("B", 2m, 0.2m)] }));
        Assert.Equal(0.3000m, ReportTables.ProgressOf(contract with { Lines = [Line("A", 0m, 0.2m), Line("B", 0m, 0.4m)] }));
    }

    [Fact]
    public void The_pack_lists_each_loss_contract_under_its_currencys_rpo_disclosure()
    {
        var (input, contract, loss) = WithProgressAndLoss();

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));
        var page = document.GetPages().Single(p => p.Text.Contains("USD — loss contracts", StringComparison.Ordinal));
        var rows = page.GetWords()
            .GroupBy(w => Math.Round(w.BoundingBox.Bottom, 1))
            .Select(g => string.Join(' ', g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)))
            .ToList();

        Assert.Contains($"{contract.ContractId} {contract.Customer.Name} USD {loss.LineId} 1,234.56", rows);
        Assert.Contains("Total 1,234.56", rows);
        Assert.DoesNotContain(document.GetPages(), p => p.Text.Contains("EUR — loss contracts", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pack_without_loss_contracts_has_no_loss_contract_table_and_contracts_csv_no_progress()
    {
        var input = SampleReports.Input(6, 14, 7, February);
        Assert.Empty(input.Snapshot.LossContracts);

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));

        Assert.DoesNotContain(document.GetPages(), p => p.Text.Contains("loss contracts", StringComparison.Ordinal));
        var text = SampleReports.Text(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ContractsFile).Content);
        Assert.All(text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1), l => Assert.EndsWith(",", l, StringComparison.Ordinal));
    }

    [Fact]
    public void The_pack_lists_each_currencys_progress_and_usage_lines_with_their_stored_figures()
    {
        var input = SampleReports.Input(40, 14, 7, February, projectsAndUsage: true);
        var progress = LinesOf(input, RecognitionPattern.Progress);
        var usage = LinesOf(input, RecognitionPattern.Usage);
        Assert.NotEmpty(progress);
        Assert.NotEmpty(usage);

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));
        var rows = document.GetPages().SelectMany(Rows).ToList();

        // Every open line (backlog left or revenue in the month) is listed; a finished one only counted.
        Assert.Contains(progress, x => !IsOpen(x.Line));
        foreach (var (contract, line) in progress.Where(x => !IsOpen(x.Line)).Concat(usage.Where(x => !IsOpen(x.Line))))
        {
            Assert.DoesNotContain(rows, r => r.StartsWith($"{contract.ContractId} {contract.Customer.Name} {line.LineId} ", StringComparison.Ordinal));
        }

        foreach (var (contract, line) in progress.Where(x => IsOpen(x.Line)))
        {
            var c = contract.Currency;
            var f = line.Figures;
            Assert.Contains($"{contract.ContractId} {contract.Customer.Name} {line.LineId} {FinanceFormat.Percent(line.Progress)} {FinanceFormat.Money(f.Tcv, c)} {FinanceFormat.Money(f.Revenue, c)} {FinanceFormat.Money(f.RecognizedToDate, c)} {FinanceFormat.Money(f.Backlog, c)}", rows);
        }

        foreach (var (contract, line) in usage.Where(x => IsOpen(x.Line)))
        {
            var c = contract.Currency;
            var f = line.Figures;
            Assert.Contains($"{contract.ContractId} {contract.Customer.Name} {line.LineId} {FinanceFormat.Money(f.Tcv, c)} {FinanceFormat.Money(f.Revenue, c)} {FinanceFormat.Money(f.UsageBeyondCommitments, c)} {FinanceFormat.Money(f.Backlog, c)}", rows);
        }

        // Each table's total row adds up its currency's lines; a currency without such lines has no table.
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            var mine = usage.Where(x => x.Contract.Currency == c && IsOpen(x.Line)).Select(x => x.Line.Figures).ToList();
            var text = string.Concat(document.GetPages().Select(p => p.Text));
            Assert.Equal(usage.Any(x => x.Contract.Currency == c), text.Contains($"{c.Code} — usage lines", StringComparison.Ordinal));
            Assert.Equal(progress.Any(x => x.Contract.Currency == c), text.Contains($"{c.Code} — projects (progress lines)", StringComparison.Ordinal));
            if (mine.Count > 0)
            {
                Assert.Contains($"Total {FinanceFormat.Money(mine.Sum(f => f.Tcv), c)} {FinanceFormat.Money(mine.Sum(f => f.Revenue), c)} {FinanceFormat.Money(mine.Sum(f => f.UsageBeyondCommitments), c)} {FinanceFormat.Money(mine.Sum(f => f.Backlog), c)}", rows);
            }
        }
    }

    [Fact]
    public void A_pack_without_progress_or_usage_lines_has_neither_table()
    {
        var input = SampleReports.Input(6, 14, 7, February);

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));

        Assert.DoesNotContain(document.GetPages(), p => p.Text.Contains("(progress lines)", StringComparison.Ordinal) || p.Text.Contains("usage lines", StringComparison.Ordinal));
    }

    private static bool IsOpen(LineSnapshot line) => line.Figures.Backlog != 0m || line.Figures.Revenue != 0m;

    private static List<(ContractSnapshot Contract, LineSnapshot Line)> LinesOf(ReportInput input, RecognitionPattern pattern) =>
        [.. input.Contracts.SelectMany(k => k.Lines.Where(l => l.Recognition == pattern).Select(l => (k, l)))];

    private static IEnumerable<string> Rows(UglyToad.PdfPig.Content.Page page) =>
        page.GetWords()
            .GroupBy(w => Math.Round(w.BoundingBox.Bottom, 1))
            .Select(g => string.Join(' ', g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)));
}
