using BacklogFunctions.Application.Reports;
using System.Globalization;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using SkiaSharp;

namespace BacklogFunctions.Reports;

/// <summary>
/// The board pack: an A4 PDF a CFO reads in five minutes. Headline figures with their change against the prior
/// month and the same month last year; both roll-forwards, visibly tying; trend, bookings, ratio, maturity and
/// waterfall charts; the RPO disclosure, segments, top customers and aging; the next twelve months of revenue,
/// billings and collections with receivables aging and late work; KPIs; and a tie-out page reconciling every
/// total to the CSV files and the stored snapshot. One currency per section, never mixed; with a reporting
/// currency, a group page first translates them into it (BoardPack.Group.cs). The same snapshot always gives the
/// same bytes (the PDF's dates are the closing time).
/// </summary>
public sealed partial class BoardPack(ReportFonts fonts) : IBoardPackRenderer
{
    public const string FileName = ReportRenderer.BoardPackFile;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    private static readonly (string Label, Func<Figures, decimal> Value)[] Headlines =
    [
        ("Backlog (RPO)", f => f.Backlog),
        ("Deferred revenue", f => f.DeferredRevenue),
        ("Unbilled receivable", f => f.UnbilledReceivable),
        ("Revenue", f => f.Revenue),
        ("Bookings", f => f.Bookings),
        ("Billings", f => f.Billings),
    ];

    private static readonly string[] SegmentDimensionsShown =
        [SegmentDimensions.CustomerSegment, SegmentDimensions.Region, SegmentDimensions.ProductLine, SegmentDimensions.TermLength, SegmentDimensions.SalesOwner];

    /// <summary>Renders the pack; <paramref name="csvFiles"/> are the report's CSV files, reconciled on the tie-out page.</summary>
    public byte[] Render(ReportInput input, IReadOnlyList<ReportFile> csvFiles)
    {
        var month = FinanceFormat.Month(input.Period);
        var closed = input.ClosedAt.UtcDateTime;
        using var output = new MemoryStream();
        using (var stream = new SKManagedWStream(output))
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = $"Backlog board pack {input.Period} (version {input.Version})",
            Author = "BacklogFunctions",
            Subject = $"Backlog, deferred revenue and revenue for {month}",
            Keywords = $"backlog; RPO; deferred revenue; {input.Period}; v{input.Version}",
            Creator = "BacklogFunctions month-end close",
            Producer = "BacklogFunctions board pack (SkiaSharp)",
            Creation = closed,
            Modified = closed,
            RasterDpi = 72,
        }))
        using (var pdf = new PdfCanvas(new PdfTarget(document), fonts, RunningTitle(input)))
        {
            Pages(pdf, input, csvFiles);
            document.Close();
        }

        return output.ToArray();
    }

    /// <summary>The first page as a PNG image, drawn by the same code as the PDF (for previews such as the README's).</summary>
    public byte[] RenderFirstPagePng(ReportInput input, IReadOnlyList<ReportFile> csvFiles, float scale = 1f)
    {
        using var target = new FirstPageImage(scale);
        using (var pdf = new PdfCanvas(target, fonts, RunningTitle(input)))
        {
            Pages(pdf, input, csvFiles);
        }

        return target.Png ?? throw new InvalidOperationException("the pack has no page");
    }

    private static string RunningTitle(ReportInput input) => $"Backlog board pack · {FinanceFormat.Month(input.Period)} · version {input.Version}";

    private static void Pages(PdfCanvas pdf, ReportInput input, IReadOnlyList<ReportFile> csvFiles)
    {
        var group = input.Snapshot.Consolidated;
        if (group is not null)
        {
            Group(pdf, input, group);
        }

        Summary(pdf, input, first: group is null);
        foreach (var total in input.Snapshot.Totals)
        {
            Statements(pdf, input, total);
            Charts(pdf, input, total);
            NextTwelveMonths(pdf, input, total);
        }

        TieOut(pdf, input, csvFiles);
        pdf.EndPage();
    }

    /// <summary>The pack's title, on its first page.</summary>
    private static void PackTitle(PdfCanvas pdf, ReportInput input) =>
        pdf.Title($"Backlog board pack — {FinanceFormat.Month(input.Period)}",
            $"Snapshot version {input.Version}, closed {input.ClosedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Culture)} UTC · balances as of {input.Snapshot.AsOf.ToString("yyyy-MM-dd", Culture)}");

    /// <summary>Each currency's headline figures and KPIs; the pack's first page unless a group page comes before it.</summary>
    private static void Summary(PdfCanvas pdf, ReportInput input, bool first)
    {
        pdf.NewPage("Summary");
        var snapshot = input.Snapshot;
        if (first)
        {
            PackTitle(pdf, input);
            AlertsBox(pdf, input);
        }
        else
        {
            pdf.Heading("Each currency on its own");
        }

        if (snapshot.Totals.Count == 0)
        {
            pdf.Paragraph("No contract was signed by the end of this month: there is nothing to report.");
            return;
        }

        var prior = input.Period.Previous;
        var lastYear = input.Period.AddMonths(-12);
        var (quarter, year) = (input.SnapshotOf(input.QuarterToDate), input.SnapshotOf(input.YearToDate));
        foreach (var total in snapshot.Totals)
        {
            var c = total.Currency;
            var before = ReportInput.TotalsOf(input.Earlier(prior), c)?.Figures;
            var yearAgo = ReportInput.TotalsOf(input.Earlier(lastYear), c)?.Figures;
            var (qtd, ytd) = (ReportInput.TotalsOf(quarter, c)?.Figures, ReportInput.TotalsOf(year, c)?.Figures);
            pdf.Heading($"{c.Code} — {total.Contracts.ToString("N0", Culture)} contracts");
            HeadlineTable(pdf, input, c.Code, Headlines, c, total.Figures, before, yearAgo, qtd, ytd, group: false);
        }

        // The notes follow the tables, so that the first page holds every currency's headline figures under the alerts.
        pdf.Paragraph($"QTD: {ToDate(input.QuarterToDate)}; YTD: {ToDate(input.YearToDate)} (fiscal years start in {FinanceFormat.MonthName(input.FiscalYearStartMonth)}). Flows are summed over the months, balances are at the end of {FinanceFormat.Month(input.Period)}; n/a when a month of the span is not closed. LY: the same month last year.", 7.5f);
        var converted = snapshot.Consolidated is { } group
            ? $"Each currency is reported on its own in this section and the next ones; only the group figures before them are translated (into {group.Currency.Code})."
            : "Each currency is reported on its own; nothing is converted.";
        pdf.Paragraph($"Policies: {PolicyNames.NameOf(snapshot.Options.Proration)} proration of ratable revenue; deferred revenue measured against {(snapshot.Options.DeferredBasis == DeferredBasis.Collected ? "cash collected" : "amounts billed")}. {converted} Backlog is the remaining performance obligation: contracted revenue not yet recognized. The backlog ratio divides it by the month's revenue (months of cover), the TTM ratio by the revenue of the last twelve months. Comparisons use the latest version of each earlier month; n/a where that month is not closed or a denominator is not positive.", 7.5f);
        pdf.Heading("Key performance indicators");
        pdf.Paragraph("Book-to-bill: (bookings + expansions − contractions) ÷ billings. Backlog conversion: revenue ÷ opening backlog; cancellation rate: cancellations ÷ opening backlog. Lead time: days from signing to the completion of deliveries and milestones, weighted by what they earned. ARR at the end of the month; GRR and NRR over the twelve months ending with it. n/a on a zero or negative denominator.", 7.5f);
        foreach (var total in snapshot.Totals)
        {
            var c = total.Currency;
            (CurrencyTotals? Totals, string Header)[] spans = [(total, FinanceFormat.ShortMonth(input.Period)), (ReportInput.TotalsOf(quarter, c), "QTD"), (ReportInput.TotalsOf(year, c), "YTD")];
            pdf.Table(
                [new($"{c.Code} KPIs", 211, Align.Left), .. spans.Select(s => new Column(s.Header, 100))],
                KpiRows.Select(k => new Row([k.Label, .. spans.Select(s => s.Totals is { } t ? k.Value(t, c) : "n/a")])),
                7.5f);
        }
    }

    private static readonly (string Label, Func<CurrencyTotals, Currency, string> Value)[] KpiRows =
    [
        ("Book-to-bill", (t, _) => FinanceFormat.Ratio(t.Figures.BookToBill)),
        ("Backlog conversion", (t, _) => FinanceFormat.Percent(t.Figures.BacklogConversion)),
        ("Cancellation rate", (t, _) => FinanceFormat.Percent(t.Figures.CancellationRate)),
        ("Lead time (days)", (t, _) => FigureColumns.FormatDays(t.Figures.LeadTimeDays)),
        ("ARR", (t, c) => FinanceFormat.Money(t.Figures.Arr, c)),
        ("GRR (12 months)", (t, _) => FinanceFormat.Percent(t.Grr)),
        ("NRR (12 months)", (t, _) => FinanceFormat.Percent(t.Nrr)),
    ];

    private static string ToDate(ReportingPeriod span) =>
        span.First == span.Last ? $"{FinanceFormat.Month(span.First)} ({span.Name})" : $"{FinanceFormat.Month(span.First)} – {FinanceFormat.Month(span.Last)} ({span.Name})";

    /// <summary>
    /// The next twelve months of one currency: revenue waterfall, billings and collections forecasts side by side
    /// and charted, receivables by age, overdue billing and the largest overdue deliveries.
    /// </summary>
    private static void NextTwelveMonths(PdfCanvas pdf, ReportInput input, CurrencyTotals total)
    {
        var c = total.Currency;
        pdf.NewPage($"{c.Code} next 12 months");
        pdf.Heading($"{c.Code} — next 12 months: revenue, billings and collections");
        if (input.Snapshot.Forecasts.FirstOrDefault(l => l.Currency == c) is not { } forecast)
        {
            pdf.Paragraph("This version was closed before the close stored forecasts, open invoices and overdue deliveries; a restated version of the period has them.");
            return;
        }

        pdf.Paragraph($"Revenue: backlog by month of expected recognition. Billings: plan installments still to invoice (overdue: planned by {FinanceFormat.Month(input.Period)}, not invoiced; unscheduled: no plan covers it). Collections: open invoices when due (overdue: due already), then billings after the payment terms. Per contract: forecast.csv.", 7.5f);
        var rows = ForecastFormats.Rows(input.Period.Next, forecast).ToList();
        var months = rows.Skip(1).Take(12).ToList();
        var later = rows.Skip(13).Take(MonthlyForecast.Horizon - 12 + 1).ToList();
        pdf.Table(
            [new("Month", 151, Align.Left), new("Revenue waterfall", 120), new("Billings forecast", 120), new("Collections forecast", 120)],
            [
                new(["Overdue", "", FinanceFormat.Money(forecast.OverdueBilling, c), FinanceFormat.Money(forecast.CollectionsOverdue, c)]),
                .. months.Select(m => new Row([FinanceFormat.Month(Period.Parse(m.Month)), FinanceFormat.Money(m.Revenue, c), FinanceFormat.Money(m.Billings, c), FinanceFormat.Money(m.Collections, c)])),
                new(["Later", FinanceFormat.Money(later.Sum(m => m.Revenue), c), FinanceFormat.Money(later.Sum(m => m.Billings), c), FinanceFormat.Money(later.Sum(m => m.Collections), c)]),
                new(["Unscheduled billing", "", FinanceFormat.Money(forecast.UnscheduledBilling, c), ""]),
                new(["Total", FinanceFormat.Money(rows.Sum(r => r.Revenue), c), FinanceFormat.Money(rows.Sum(r => r.Billings), c), FinanceFormat.Money(rows.Sum(r => r.Collections), c)], Strong: true),
            ],
            TableSize);

        const float height = 120f;
        pdf.EnsureSpace(height + 14f);
        using (var plot = Plot($"Next 12 months ({c.Code})", c.Code))
        {
            var series = new (string Label, Func<ForecastRowAmounts, decimal> Value, ScottPlot.Color Color)[]
            {
                ("Revenue waterfall", m => m.Revenue, ScottPlot.Colors.Navy),
                ("Billings forecast", m => m.Billings, ScottPlot.Colors.SteelBlue),
                ("Collections forecast", m => m.Collections, ScottPlot.Colors.SeaGreen),
            };
            plot.Add.Bars(months.SelectMany((m, i) => series.Select((s, k) => new ScottPlot.Bar { Position = (i * 4) + k, Value = (double)s.Value(m), FillColor = s.Color })).ToList());
            foreach (var (label, _, color) in series)
            {
                plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = label, FillColor = color });
            }

            plot.ShowLegend(ScottPlot.Alignment.UpperRight);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(months.Select((_, i) => (i * 4) + 1.0).ToArray(), months.Select(m => FinanceFormat.ShortMonth(Period.Parse(m.Month))).ToArray());
            pdf.Chart(plot, PdfCanvas.Margin, 0, PdfCanvas.ContentWidth, height);
        }

        pdf.Advance(height + 14f);
        ReceivablesAndLateWork(pdf, input, total);
    }

    /// <summary>Receivables by age, overdue billing and overdue backlog, then the ten largest overdue deliveries.</summary>
    private static void ReceivablesAndLateWork(PdfCanvas pdf, ReportInput input, CurrencyTotals total)
    {
        var (c, f) = (total.Currency, total.Figures);
        var aging = ReceivableBuckets.Aging(f);
        var open = aging.Sum(b => b.Amount);
        var late = input.Snapshot.OverdueDeliveries.Where(d => d.Currency == c).ToList();
        pdf.Heading($"{c.Code} — receivables by days past due, and what is late", 11f);
        pdf.Table(
            [new("Receivables and late work", 300, Align.Left), new(c.Code, 120), new("Share / items", 91)],
            [
                .. aging.Select(b => new Row([BucketLabel(b.Bucket), FinanceFormat.Money(b.Amount, c), Share(b.Amount, open)])),
                new(["Open invoices", FinanceFormat.Money(open, c), Share(open, open)], Strong: true),
                new(["Less unapplied credits", FinanceFormat.Money(-f.UnappliedCredits, c), ""]),
                new(["Receivables (billed − collected)", FinanceFormat.Money(f.Receivables, c), ""], Strong: true),
                new(["Overdue billing (planned, not invoiced)", FinanceFormat.Money(f.OverdueBilling, c), input.Contracts.Count(k => k.Currency == c && k.Figures.OverdueBilling != 0m).ToString("N0", Culture)]),
                new(["Overdue backlog (deliveries and milestones past due)", FinanceFormat.Money(f.OverdueBacklog, c), late.Count.ToString("N0", Culture)]),
            ],
            TableSize);
        if (late.Count == 0)
        {
            return;
        }

        var top = late.OrderByDescending(d => d.Amount).ThenBy(d => d.ContractId, StringComparer.Ordinal).ThenBy(d => d.LineId, StringComparer.Ordinal).ThenBy(d => d.MilestoneId, StringComparer.Ordinal).Take(10).ToList();
        pdf.Table(
            [new("#", 20), new("Largest late: contract", 90, Align.Left), new("Customer", 130, Align.Left), new("Line", 50, Align.Left), new("Milestone", 50, Align.Left), new("Expected", 56), new("Days late", 40), new($"Amount {c.Code}", 75)],
            top.Select((d, i) => new Row([
                (i + 1).ToString(Culture),
                d.ContractId,
                input.Contracts.FirstOrDefault(k => k.ContractId == d.ContractId)?.Customer.Name ?? "",
                d.LineId,
                d.MilestoneId ?? "",
                d.ExpectedDate.ToString("yyyy-MM-dd", Culture),
                d.DaysLate.ToString("N0", Culture),
                FinanceFormat.Money(d.Amount, c),
            ])),
            TableSize);
    }

    /// <summary>The forward page's tables are a size smaller, so the page holds them all.</summary>
    private const float TableSize = 7f;

    private static string BucketLabel(string bucket) => bucket switch
    {
        ReceivableBuckets.Current => "Current (not yet due)",
        ReceivableBuckets.Over90 => "Over 90 days",
        _ => $"{bucket} days",
    };

    private static void Statements(PdfCanvas pdf, ReportInput input, CurrencyTotals total)
    {
        var c = total.Currency;
        var f = total.Figures;
        pdf.NewPage($"{c.Code} statements");
        pdf.Heading($"{c.Code} — backlog roll-forward");
        pdf.Table([new("Line", 300, Align.Left), new(c.Code, 120)], RollForwardRows(RollForward.Backlog(f), c));
        pdf.Heading($"{c.Code} — net contract position roll-forward (deferred revenue − unbilled receivable)");
        pdf.Table([new("Line", 300, Align.Left), new(c.Code, 120)], RollForwardRows(RollForward.NetContractPosition(f, input.Snapshot.Options), c));
        pdf.Table(
            [new("Closing position", 300, Align.Left), new(c.Code, 120)],
            [new(["Deferred revenue (contract liability)", FinanceFormat.Money(f.DeferredRevenue, c)]), new(["Unbilled receivable (contract asset)", FinanceFormat.Money(-f.UnbilledReceivable, c)]), new(["Net contract position", FinanceFormat.Money(f.NetContractPosition, c)], Strong: true)]);

        pdf.Heading($"{c.Code} — remaining performance obligations");
        pdf.Table(
            [new("Expected to be recognized", 300, Align.Left), new(c.Code, 120), new("Share", 60)],
            [
                new(["Within the next 12 months", FinanceFormat.Money(f.RpoCurrent, c), Share(f.RpoCurrent, f.Backlog)]),
                new(["Later", FinanceFormat.Money(f.RpoNonCurrent, c), Share(f.RpoNonCurrent, f.Backlog)]),
                new(["Total backlog (RPO)", FinanceFormat.Money(f.Backlog, c), Share(f.Backlog, f.Backlog)], Strong: true),
                .. RpoBuckets.Maturity(f).Select(b => new Row([$"  maturity {b.Bucket}", FinanceFormat.Money(b.Amount, c), Share(b.Amount, f.Backlog)])),
            ]);
        ProjectsAndUsage(pdf, input, total);

        pdf.Heading($"{c.Code} — backlog aging (days since signing)");
        pdf.Table(
            [new("Age", 300, Align.Left), new(c.Code, 120), new("Share", 60)],
            total.BacklogAging.Select(a => new Row([BucketLabels.Label(a.Key), FinanceFormat.Money(a.Value, c), Share(a.Value, f.Backlog)])).Append(new Row(["Total", FinanceFormat.Money(total.BacklogAging.Values.Sum(), c), ""], Strong: true)));

        var concentration = total.Concentration;
        pdf.Heading($"{c.Code} — top customers and concentration");
        pdf.Paragraph($"{concentration.Customers.ToString("N0", Culture)} customers hold backlog; the largest holds {FinanceFormat.Percent(concentration.LargestShare)}, the top ten {FinanceFormat.Percent(concentration.Top10Share)}; Herfindahl index {(concentration.Herfindahl is { } h ? h.ToString("0.0000", Culture) : "n/a")}.");
        pdf.Table(
            [new("#", 20), new("Customer", 170, Align.Left), new($"Backlog {c.Code}", 95), new("Share", 50), new("Contracts (each explained below)", 176, Align.Left)],
            concentration.TopCustomers.Select((customer, i) => new Row([(i + 1).ToString(Culture), $"{customer.CustomerName} ({customer.CustomerId})", FinanceFormat.Money(customer.Backlog, c), FinanceFormat.Percent(customer.Share), ContractsOf(input, c, customer.CustomerId)])));
        pdf.Paragraph($"Each row's backlog is the sum of its contracts' figures; every figure of a contract is explained down to its events by backlog explain --events <file> --contract <id> --period {input.Period}, or GET /api/periods/{input.Period}/contracts/<id>/explain?version={input.Version}.", 7f);

        pdf.Heading($"{c.Code} — segments");
        foreach (var dimension in SegmentDimensionsShown)
        {
            var segments = total.Segments.Where(s => s.Dimension == dimension).Take(8).ToList();
            if (segments.Count == 0)
            {
                continue;
            }

            pdf.Table(
                [new(DimensionLabel(dimension), 150, Align.Left), new("Contracts", 60), new("Backlog", 90), new("Revenue", 80), new("Bookings", 80), new("Share", 50)],
                segments.Select(s => new Row([BucketLabels.SegmentLabel(s.Dimension, s.Value), s.Contracts.ToString("N0", Culture), FinanceFormat.Money(s.Figures.Backlog, c), FinanceFormat.Money(s.Figures.Revenue, c), FinanceFormat.Money(s.Figures.Bookings, c), Share(s.Figures.Backlog, f.Backlog)])),
                7.5f);
        }
    }

    private static void Charts(PdfCanvas pdf, ReportInput input, CurrencyTotals total)
    {
        var c = total.Currency;
        pdf.NewPage($"{c.Code} charts");
        pdf.Heading($"{c.Code} — trends, maturity and waterfall");

        // Thirteen months ending with this one, as stored (a month not closed is a gap).
        var months = Enumerable.Range(0, 13).Select(i => input.Period.AddMonths(i - 12)).ToList();
        var series = months.Select(p => p == input.Period ? total.Figures : ReportInput.TotalsOf(input.Earlier(p), c)?.Figures).ToList();
        var ticks = months.Select(FinanceFormat.ShortMonth).ToArray();
        const float half = (PdfCanvas.ContentWidth - 12f) / 2f;
        const float height = 185f;

        using (var plot = Plot($"Backlog and deferred revenue ({c.Code})", c.Code))
        {
            Lines(plot, series, ticks, ScottPlot.Alignment.LowerLeft, ("Backlog", f => f.Backlog, ScottPlot.Colors.Navy), ("Deferred revenue", f => f.DeferredRevenue, ScottPlot.Colors.DarkOrange));
            pdf.Chart(plot, PdfCanvas.Margin, 0, half, height);
        }

        using (var plot = Plot($"Bookings and revenue ({c.Code})", c.Code))
        {
            var bars = new List<ScottPlot.Bar>();
            for (var i = 0; i < series.Count; i++)
            {
                if (series[i] is { } f)
                {
                    bars.Add(new ScottPlot.Bar { Position = (i * 3) + 0, Value = (double)f.Bookings, FillColor = ScottPlot.Colors.SteelBlue });
                    bars.Add(new ScottPlot.Bar { Position = (i * 3) + 1, Value = (double)f.Revenue, FillColor = ScottPlot.Colors.SeaGreen });
                }
            }

            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "Bookings", FillColor = ScottPlot.Colors.SteelBlue });
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = "Revenue", FillColor = ScottPlot.Colors.SeaGreen });
            plot.ShowLegend(ScottPlot.Alignment.UpperRight);
            MonthTicks(plot, ticks, 3, 0.5);
            pdf.Chart(plot, PdfCanvas.Margin + half + 12f, 0, half, height);
        }

        pdf.Advance(height + 14f);
        using (var plot = Plot("Backlog ratio (months of revenue)", "Ratio"))
        {
            Lines(plot, series, ticks, ScottPlot.Alignment.UpperRight, ("Month", f => f.BacklogRatio ?? decimal.MinValue, ScottPlot.Colors.Navy), ("TTM", f => f.BacklogRatioTtm ?? decimal.MinValue, ScottPlot.Colors.Gray));
            pdf.Chart(plot, PdfCanvas.Margin, 0, half, height);
        }

        using (var plot = Plot($"RPO maturity ({c.Code})", c.Code))
        {
            var buckets = RpoBuckets.Maturity(total.Figures);
            plot.Add.Bars(buckets.Select((b, i) => new ScottPlot.Bar { Position = i, Value = (double)b.Amount, FillColor = ScottPlot.Colors.Navy }).ToList());
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(buckets.Select((_, i) => (double)i).ToArray(), ["0-3", "3-6", "6-12", "12-24", "> 24"]);
            plot.XLabel("Months from the period end", 10f);
            pdf.Chart(plot, PdfCanvas.Margin + half + 12f, 0, half, height);
        }

        pdf.Advance(height + 14f);
        if (input.Snapshot.Waterfalls.FirstOrDefault(w => w.Currency == c) is { } waterfall)
        {
            using var plot = Plot($"Revenue waterfall: backlog expected per month, next {waterfall.Months.Count} months ({c.Code})", c.Code);
            plot.Add.Bars(waterfall.Months.Select(m => new ScottPlot.Bar { Position = m.Index, Value = (double)m.Amount, FillColor = ScottPlot.Colors.SteelBlue }).ToList());
            var every = waterfall.Months.Where(m => m.Index % 3 == 1).ToList();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(every.Select(m => (double)m.Index).ToArray(), every.Select(m => FinanceFormat.ShortMonth(Period.Of(m.Through))).ToArray());
            plot.XLabel("Month", 10f);
            pdf.Chart(plot, PdfCanvas.Margin, 0, PdfCanvas.ContentWidth, height);
            pdf.Advance(height + 10f);
            pdf.Paragraph($"After the {waterfall.Months.Count} months shown: {FinanceFormat.MoneyWithCode(waterfall.Later, c)}. Months and later add up to the closing backlog of {FinanceFormat.MoneyWithCode(waterfall.Backlog, c)}.", 7.5f);
        }
    }

    private static void TieOut(PdfCanvas pdf, ReportInput input, IReadOnlyList<ReportFile> csvFiles)
    {
        pdf.NewPage("Tie-out");
        pdf.Heading("Tie-out: every total reconciled");
        pdf.Paragraph($"Pack: the totals printed in this pack, from the stored snapshot document of {input.Period} version {input.Version}. contracts.csv: the column totals of the contract detail file, read back from the file. Stored snapshot: the totals of the stored document read again. Then, per currency, the identities of the forward view, the forecasts, open balances and overdue deliveries read back from forecast.csv, receivables.csv and overdue.csv. A line that does not tie is printed in red and marked.");
        if (input.Snapshot.Consolidated is { } group)
        {
            GroupTieOut(pdf, input, group, csvFiles);
        }

        var contractsCsv = csvFiles.Single(f => f.Name == ReportCsv.ContractsFile);
        var csvTotals = CsvTotals.OfContracts(contractsCsv.Content);
        var forward = ForwardCsv.Read(csvFiles);
        var stored = SnapshotJson.ReadSnapshot(input.SnapshotDocument).ToSnapshot();
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            var fromCsv = csvTotals.GetValueOrDefault(c.Code);
            var fromStore = ReportInput.TotalsOf(stored, c)?.Figures;
            pdf.Heading($"{c.Code} — {total.Contracts.ToString("N0", Culture)} contracts in the pack, {(fromCsv is null ? 0 : input.Contracts.Count(k => k.Currency == c)).ToString("N0", Culture)} rows in contracts.csv", 11f);
            pdf.Table(
                [new("Figure", 175, Align.Left), new("Pack", 95), new("contracts.csv", 95), new("Stored snapshot", 95), new("Ties", 51)],
                FigureColumns.All.Select(column =>
                {
                    var pack = column.Value(total.Figures);
                    var csv = fromCsv?.GetValueOrDefault(column.Name);
                    var store = fromStore is null ? (decimal?)null : column.Value(fromStore);
                    var ties = csv == pack && store == pack;
                    return new Row([column.Label, FinanceFormat.Money(pack, c), csv is { } v ? FinanceFormat.Money(v, c) : "missing", store is { } s ? FinanceFormat.Money(s, c) : "missing", ties ? "yes" : "NO"], Alert: !ties);
                }),
                7.5f);
            var differences = RollForward.Backlog(total.Figures).Concat(RollForward.NetContractPosition(total.Figures, input.Snapshot.Options)).Where(l => l.Name == "difference").ToList();
            pdf.Paragraph(
                differences.All(d => d.Amount == 0m)
                    ? $"Both {c.Code} roll-forwards tie: opening + movements − closing = {FinanceFormat.Money(0m, c)}."
                    : $"A {c.Code} roll-forward does NOT tie: differences {string.Join(", ", differences.Select(d => FinanceFormat.Money(d.Amount, c)))}.",
                8f,
                alert: differences.Any(d => d.Amount != 0m));
            ForwardIdentities(pdf, input, total, forward);
        }

        JournalTieOut(pdf, input, csvFiles);
        pdf.Heading("Files", 11f);
        pdf.Table(
            [new("File", 110, Align.Left), new("Bytes", 60), new("SHA-256", 341, Align.Left)],
            [
                .. csvFiles.Select(f => new Row([f.Name, f.Content.Length.ToString("N0", Culture), f.Sha256])),
                new Row([$"snapshot.json (v{input.Version})", input.SnapshotDocument.Length.ToString("N0", Culture), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input.SnapshotDocument))]),
            ],
            7f);
        pdf.Paragraph("The hash of this PDF itself is in the report's manifest.json, next to the files above.", 7.5f);
    }

    /// <summary>
    /// The identities of the forward view (forward.md), each with both sides and whether they tie: the backlog split,
    /// the billing split, receivables from the aging and from receivables.csv, the collections forecast, the stored
    /// forecasts against the contracts' rows of forecast.csv, and the overdue backlog against overdue.csv.
    /// </summary>
    private static void ForwardIdentities(PdfCanvas pdf, ReportInput input, CurrencyTotals total, ForwardCsv csv)
    {
        var (c, f) = (total.Currency, total.Figures);
        if (input.Snapshot.Forecasts.FirstOrDefault(l => l.Currency == c) is not { } forecast)
        {
            pdf.Paragraph($"This version was closed before the forward view was stored: its {c.Code} identities are not checked.", 8f);
            return;
        }

        var open = ReceivableBuckets.Aging(f).Sum(b => b.Amount);
        var rows = ForecastFormats.Rows(input.Period.Next, forecast).ToList();
        var fromCsv = rows.Select(r => csv.ContractForecast.GetValueOrDefault((c.Code, r.Month)) ?? new decimal[3]).ToList();
        (string Label, decimal Left, decimal Right, bool Ties)[] identities =
        [
            Identity("Backlog = not yet billed + billed not earned", f.Backlog, f.NotYetBilled + f.BilledNotEarned),
            Identity("Not yet billed = overdue + forecast + unscheduled billing", f.NotYetBilled, forecast.OverdueBilling + forecast.Billings.Total + forecast.UnscheduledBilling),
            Identity("Receivables = Σ aging buckets − unapplied credits", f.Receivables, open - f.UnappliedCredits),
            Identity("Receivables = Σ openBalance of receivables.csv", f.Receivables, csv.OpenBalances(c)),
            Identity("Collections forecast = open + overdue billing + forecast billings", forecast.CollectionsOverdue + forecast.Collections.Total, open + forecast.OverdueBilling + forecast.Billings.Total),
            Identity("Revenue waterfall = backlog", forecast.Revenue.Total, f.Backlog),
            ForecastIdentity("Billings forecast = Σ contracts in forecast.csv", rows.Select(r => r.Billings), fromCsv.Select(v => v[0])),
            ForecastIdentity("Collections forecast = Σ contracts in forecast.csv", rows.Select(r => r.Collections), fromCsv.Select(v => v[1])),
            ForecastIdentity("Revenue waterfall = Σ contracts in forecast.csv", rows.Select(r => r.Revenue), fromCsv.Select(v => v[2])),
            Identity("Overdue backlog = Σ deliveries in overdue.csv", f.OverdueBacklog, csv.OverdueDeliveries(c)),
        ];
        pdf.Table(
            [new($"{c.Code} forward view", 241, Align.Left), new("Left side", 95), new("Right side", 95), new("Ties", 51)],
            identities.Select(i => new Row([i.Label, FinanceFormat.Money(i.Left, c), FinanceFormat.Money(i.Right, c), i.Ties ? "yes" : "NO"], Alert: !i.Ties)),
            7.5f);

        static (string, decimal, decimal, bool) Identity(string label, decimal left, decimal right) => (label, left, right, left == right);

        // Month by month: every row (overdue, each month, later, unscheduled) must tie, not only the totals.
        static (string, decimal, decimal, bool) ForecastIdentity(string label, IEnumerable<decimal> stored, IEnumerable<decimal> contracts)
        {
            var pairs = stored.Zip(contracts).ToList();
            return (label, pairs.Sum(p => p.First), pairs.Sum(p => p.Second), pairs.All(p => p.First == p.Second));
        }
    }

    private static IEnumerable<Row> RollForwardRows(IReadOnlyList<RollForwardLine> lines, Currency c) =>
        lines.Select(l => new Row([l.Label, FinanceFormat.Money(l.Amount, c)], Strong: l.Name is "closing", Alert: l.Name == "difference" && l.Amount != 0m));

    /// <summary>A customer's contracts in one currency, largest backlog first: three ids, then how many more.</summary>
    private static string ContractsOf(ReportInput input, Currency c, string customerId)
    {
        var ids = input.Contracts.Where(k => k.Currency == c && k.Customer.Id == customerId).OrderByDescending(k => k.Figures.Backlog).ThenBy(k => k.ContractId, StringComparer.Ordinal).Select(k => k.ContractId).ToList();
        return ids.Count <= 3 ? string.Join(", ", ids) : $"{string.Join(", ", ids.Take(3))} +{(ids.Count - 3).ToString(Culture)}";
    }

    private static string Share(decimal part, decimal whole) => whole > 0m ? FinanceFormat.Percent(Math.Round(part / whole, 4, MidpointRounding.AwayFromZero)) : "n/a";

    private static string DimensionLabel(string dimension) => dimension switch
    {
        SegmentDimensions.CustomerSegment => "Customer segment",
        SegmentDimensions.Region => "Region",
        SegmentDimensions.ProductLine => "Product line",
        SegmentDimensions.TermLength => "Contract term",
        SegmentDimensions.SalesOwner => "Sales owner",
        _ => dimension,
    };

    private static ScottPlot.Plot Plot(string title, string yLabel)
    {
        var plot = new ScottPlot.Plot();
        plot.Font.Set(ReportFonts.Family);
        plot.Title(title, 11f);
        plot.YLabel(yLabel, 10f);
        plot.Axes.Left.TickLabelStyle.FontSize = 8f;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 8f;
        plot.Legend.FontSize = 8f;
        return plot;
    }

    /// <summary>Lines over the 13 months; months with no stored snapshot (or a ratio of n/a) are left out.</summary>
    private static void Lines(ScottPlot.Plot plot, IReadOnlyList<Figures?> series, string[] ticks, ScottPlot.Alignment legend, params (string Label, Func<Figures, decimal> Value, ScottPlot.Color Color)[] lines)
    {
        foreach (var (label, value, color) in lines)
        {
            var points = series.Select((f, i) => (f, i)).Where(p => p.f is not null && value(p.f) != decimal.MinValue).ToList();
            var scatter = plot.Add.Scatter(points.Select(p => (double)p.i).ToArray(), points.Select(p => (double)value(p.f!)).ToArray());
            scatter.LegendText = label;
            scatter.Color = color;
            scatter.LineWidth = 1.5f;
            scatter.MarkerSize = 3f;
        }

        plot.ShowLegend(legend);
        MonthTicks(plot, ticks, 1, 0);
    }

    private static void MonthTicks(ScottPlot.Plot plot, string[] ticks, int spacing, double offset)
    {
        var shown = Enumerable.Range(0, ticks.Length).Where(i => i % 3 == 0).ToList();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(shown.Select(i => (i * spacing) + offset).ToArray(), shown.Select(i => ticks[i]).ToArray());
        plot.XLabel("Month", 10f);
    }
}

/// <summary>What the tie-out reads back from the forward view's CSV files.</summary>
internal sealed record ForwardCsv(
    IReadOnlyDictionary<(string Currency, string Key), decimal[]> ContractForecast,
    IReadOnlyDictionary<(string Currency, string Key), decimal[]> Receivables,
    IReadOnlyDictionary<(string Currency, string Key), decimal[]> Overdue)
{
    public static ForwardCsv Read(IReadOnlyList<ReportFile> files) => new(
        CsvTotals.Sums(File(files, ReportCsv.ForecastFile), "month", ["billings", "collections", "revenue"], ("scope", ReportCsv.ContractScope)),
        CsvTotals.Sums(File(files, ReportCsv.ReceivablesFile), "bucket", ["openBalance"]),
        CsvTotals.Sums(File(files, ReportCsv.OverdueFile), "kind", ["amount"]));

    /// <summary>Σ openBalance of a currency: open invoices less unapplied credits.</summary>
    public decimal OpenBalances(Currency c) => Receivables.Where(r => r.Key.Currency == c.Code).Sum(r => r.Value[0]);

    public decimal OverdueDeliveries(Currency c) => Overdue.GetValueOrDefault((c.Code, ReportCsv.OverdueDeliveryKind))?[0] ?? 0m;

    private static byte[] File(IReadOnlyList<ReportFile> files, string name) => files.Single(f => f.Name == name).Content;
}
