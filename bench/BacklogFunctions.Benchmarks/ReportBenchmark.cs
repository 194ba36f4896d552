using System.Diagnostics;
using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Reports;
using BacklogFunctions.Sample;
using CsvHelper;
using SkiaSharp;

namespace BacklogFunctions.Benchmarks;

/// <summary>
/// The board pack for a 10,000-contract company with the forward view stored as a close stores it (target &lt; 1 s
/// after warm-up), against a bare Skia PDF with the same number of pages and the same font; and the
/// contract-detail CSV of 100,000 rows against a bare CsvHelper write of the same fields (target ≤ 1.5×); the
/// finance workbook of the 10,000 contracts (target &lt; 2 s, and ≤ 3× the size of contracts.csv). Everything in one run. With --png FILE it also writes the first page
/// of the pack as a PNG (the README's picture).
/// Arguments: [--contracts N] [--rows N] [--png FILE]
/// </summary>
internal static class ReportBenchmark
{
    public static int Run(string[] args)
    {
        var culture = CultureInfo.InvariantCulture;
        var contracts = Measure.Arg(args, "--contracts", 10_000);
        var rows = Measure.Arg(args, "--rows", 100_000);
        var period = new Period(2026, 10);

        var clock = Stopwatch.StartNew();
        var input = Input(contracts, period);
        Console.WriteLine(string.Create(culture, $"Reports: {contracts:N0} contracts, {input.Snapshot.Totals.Count} currencies, 13 months of stored snapshots, prepared in {clock.Elapsed.TotalSeconds:F1} s; .NET {Environment.Version}, {Environment.ProcessorCount} cores"));

        using var fonts = ReportFonts.Load();
        var pack = new BoardPack(fonts);
        var csv = ReportCsv.Render(input);
        var pdf = pack.Render(input, csv);
        var pages = CountPages(pdf);

        // Warm-up, then the median of five runs of each.
        _ = BarePdf(fonts, pages);
        var packTimes = Times(5, () => pack.Render(input, csv));
        var bareTimes = Times(5, () => BarePdf(fonts, pages));
        var csvFiles = Times(5, () => ReportCsv.Render(input));
        var workbook = new Workbook();
        var xlsx = workbook.Render(input);
        var workbookTimes = Times(5, () => workbook.Render(input));
        var contractsCsv = csv.Single(f => f.Name == ReportCsv.ContractsFile).Content.Length;

        // 100,000 contract rows: the company's contracts repeated under new ids.
        var many = Enumerable.Range(0, (rows + input.Contracts.Count - 1) / input.Contracts.Count)
            .SelectMany(copy => input.Contracts.Select(c => c with { ContractId = string.Create(culture, $"{c.ContractId}-{copy:000}") }))
            .Take(rows).ToList();
        var big = input with { Contracts = many };
        _ = ContractsCsv(big);
        _ = BareCsv(many);
        var ours = Times(5, () => ContractsCsv(big));
        var bare = Times(5, () => BareCsv(many));

        Console.WriteLine();
        Console.WriteLine("| what | median ms | vs baseline |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(culture, $"| board pack, {pages} pages, {pdf.Length / 1024:N0} KiB (CSV files rendered before, read back for the tie-out) | {packTimes:F0} | {packTimes / bareTimes:F2}× |"));
        Console.WriteLine(string.Create(culture, $"| baseline: bare Skia PDF, {pages} pages, one line of text each, same font | {bareTimes:F0} | 1.00× |"));
        Console.WriteLine(string.Create(culture, $"| the {csv.Count} CSV files of {contracts:N0} contracts | {csvFiles:F0} | |"));
        Console.WriteLine(string.Create(culture, $"| workbook.xlsx of {contracts:N0} contracts, {xlsx.Length / 1024:N0} KiB ({(double)xlsx.Length / contractsCsv:F2}× contracts.csv, {contractsCsv / 1024:N0} KiB) | {workbookTimes:F0} | |"));
        Console.WriteLine(string.Create(culture, $"| contracts.csv, {rows:N0} rows | {ours:F0} | {ours / bare:F2}× |"));
        Console.WriteLine(string.Create(culture, $"| baseline: bare CsvHelper write of the same {rows:N0} rows and fields | {bare:F0} | 1.00× |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(culture, $"targets: board pack < 1,000 ms after warm-up: {packTimes:F0} ms; contracts.csv ≤ 1.5× bare CsvHelper: {ours / bare:F2}×; workbook < 2,000 ms: {workbookTimes:F0} ms, ≤ 3× contracts.csv: {(double)xlsx.Length / contractsCsv:F2}×"));

        var png = Array.IndexOf(args, "--png");
        if (png >= 0 && png + 1 < args.Length)
        {
            File.WriteAllBytes(args[png + 1], pack.RenderFirstPagePng(input, csv, scale: 1.25f));
            Console.WriteLine($"first page written to {args[png + 1]}");
        }

        return 0;
    }

    private static ReportInput Input(int contracts, Period period)
    {
        var events = SampleGenerator.Generate(new SampleSpec(contracts, 34, 3, SampleSpec.DefaultStart));
        var histories = events.GroupBy(e => e.ContractId).Select(g => ContractHistory.Create(g.Key, g)).OrderBy(h => h.ContractId, StringComparer.Ordinal).ToList();
        var calculator = new SnapshotCalculator(SnapshotOptions.Default) { WithForecasts = true };
        var series = calculator.Series(histories, period.AddMonths(-12), period, includeContracts: false);
        var closing = calculator.ForPeriod(histories, period) with { Waterfalls = calculator.Waterfall(histories, period.LastDay) };
        var document = Document(closing with { Contracts = [] });
        return new ReportInput(
            period, 1, new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero),
            SnapshotJson.ReadSnapshot(document).ToSnapshot(), document,
            closing.Contracts,
            series.Take(12).Select(s => SnapshotJson.ReadSnapshot(Document(s)).ToSnapshot()).ToList());
    }

    private static byte[] Document(Snapshot snapshot)
    {
        using var buffer = new MemoryStream();
        SnapshotJson.Write(buffer, snapshot);
        return buffer.ToArray();
    }

    private static double Times(int runs, Func<object> action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            GC.KeepAlive(action());
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[runs / 2];
    }

    private static int CountPages(byte[] pdf) =>
        Encoding.Latin1.GetString(pdf).Split("/Type /Page").Length - 1 - Encoding.Latin1.GetString(pdf).Split("/Type /Pages").Length + 1;

    private static byte[] BarePdf(ReportFonts fonts, int pages)
    {
        using var output = new MemoryStream();
        using (var stream = new SKManagedWStream(output))
        using (var document = SKDocument.CreatePdf(stream))
        using (var font = new SKFont(fonts.Regular, 10f))
        using (var paint = new SKPaint { Color = SKColors.Black })
        {
            for (var page = 0; page < pages; page++)
            {
                var canvas = document.BeginPage(595.28f, 841.89f);
                canvas.DrawText($"Page {page + 1}", 42f, 60f, SKTextAlign.Left, font, paint);
                document.EndPage();
            }

            document.Close();
        }

        return output.ToArray();
    }

    private static byte[] ContractsCsv(ReportInput input)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(true), leaveOpen: true))
        {
            ReportCsv.Contracts(writer, input);
        }

        return buffer.ToArray();
    }

    /// <summary>The same fields with CsvHelper directly: strings, then each amount as a number with the currency's digits.</summary>
    private static byte[] BareCsv(List<ContractSnapshot> contracts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(true), leaveOpen: true))
        using (var csv = CsvWriter.Create(writer, CsvMoney.Options, true))
        {
            csv.WriteHeader(ReportCsv.ContractColumns.ToArray());
            foreach (var c in contracts)
            {
                var f = c.Figures;
                csv.WriteField("2026-10");
                csv.WriteField("1");
                csv.WriteField(c.ContractId);
                csv.WriteField(c.Currency.Code);
                csv.WriteField(c.Customer.Id);
                csv.WriteField(c.Customer.Name);
                csv.WriteField(c.Customer.Segment ?? "");
                csv.WriteField(c.Customer.Region ?? "");
                csv.WriteField(c.SalesOwner ?? "");
                csv.WriteField(c.SignedDate, "yyyy-MM-dd");
                csv.WriteField(c.TermLength);
                csv.WriteField(c.BacklogAge);
                var format = c.Currency.MinorUnit == 0 ? "F0" : c.Currency.MinorUnit == 3 ? "F3" : "F2";
                foreach (var amount in (ReadOnlySpan<decimal>)[f.Tcv, f.RecognizedToDate, f.BilledToDate, f.CollectedToDate, f.OpeningBacklog, f.BacklogPriorPeriodAdjustment, f.Bookings, f.Expansions, f.Contractions, f.Cancellations, f.Revenue, f.Backlog, f.RevenueTtm, f.Billings, f.Collections, f.OpeningNetContractPosition, f.NetContractPositionPriorPeriodAdjustment, f.NetContractPosition, f.DeferredRevenue, f.UnbilledReceivable, f.RpoCurrent, f.RpoNonCurrent, f.Rpo0To3Months, f.Rpo3To6Months, f.Rpo6To12Months, f.Rpo12To24Months, f.RpoOver24Months, f.NotYetBilled, f.BilledNotEarned, f.Receivables, f.UnappliedCredits, f.AgingCurrent, f.AgingDays1To30, f.AgingDays31To60, f.AgingDays61To90, f.AgingOver90, f.OverdueBilling, f.ForecastBilling, f.UnscheduledBilling, f.OverdueBacklog, f.Arr, f.ArrYearEarlier, f.CompletionRevenue, f.CompletionRevenueDays])
                {
                    csv.WriteField(amount, format);
                }

                csv.WriteField(f.BacklogRatio, "0.00##");
                csv.WriteField(f.BacklogRatioTtm, "0.00##");
                csv.EndRecord();
            }
        }

        return buffer.ToArray();
    }
}
