using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Reports;

/// <summary>
/// The group page of the board pack (consolidation.md): with a reporting currency, the pack opens with the group
/// figures — each currency translated and added up — before the currency sections, and the tie-out proves them.
/// A missing rate is said as it is (currency, kind, day), never shown as a figure at 0 or 1.
/// </summary>
public sealed partial class BoardPack
{
    private static readonly (string Label, Func<Figures, decimal> Value)[] GroupHeadlines =
    [
        .. Headlines,
        ("Collections", f => f.Collections),
        ("ARR", f => f.Arr),
    ];

    private static readonly ScottPlot.Color[] CurrencyColors =
    [
        ScottPlot.Colors.Navy, ScottPlot.Colors.SteelBlue, ScottPlot.Colors.SeaGreen, ScottPlot.Colors.DarkOrange,
        ScottPlot.Colors.Gray, ScottPlot.Colors.Purple, ScottPlot.Colors.GoldenRod, ScottPlot.Colors.Teal,
    ];

    /// <summary>"EUR closing rate for 2026-10-31": a missing rate as the pack says it.</summary>
    public static string MissingRateText(MissingRate missing) =>
        $"{missing.Currency.Code} {MissingRateDocument.KindName(missing.Kind)} rate for {Day(missing.Date)}";

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", Culture);

    /// <summary>The group view of a snapshot in <paramref name="reporting"/>, when it has one (a month closed with another or no reporting currency has none).</summary>
    private static ConsolidatedView? ViewOf(Snapshot? snapshot, Currency reporting) =>
        snapshot?.Consolidated is { View: { } view } group && group.Currency == reporting ? view : null;

    /// <summary>
    /// The group page: headline figures against the prior month, last year and constant currency, QTD and YTD; both
    /// roll-forwards with the FX translation effect on its own line; KPIs; backlog by currency (table and 13-month
    /// chart); segments with their rounding lines; top customers. Or, when a rate is missing, which ones.
    /// </summary>
    private static void Group(PdfCanvas pdf, ReportInput input, Consolidated group)
    {
        pdf.NewPage("Group summary");
        PackTitle(pdf, input);
        AlertsBox(pdf, input);
        var r = group.Currency;
        var month = FinanceFormat.Month(input.Period);
        if (group.View is not { } view)
        {
            pdf.Heading($"Group figures in {r.Code}: not available for {month}");
            pdf.Paragraph($"The group figures cannot be computed: {group.MissingRates.Count.ToString(Culture)} rate(s) are missing. A missing rate is never taken as 0 or 1, so no group figure is shown; each currency's own figures in the sections that follow are complete. Upload the missing rates and restate the month to get the group figures.", alert: true);
            pdf.Table(
                [new("Currency", 80, Align.Left), new("Rate", 110, Align.Left), new("Date", 90, Align.Left), new("Missing", 231, Align.Left)],
                group.MissingRates.Select(m => new Row([m.Currency.Code, $"{MissingRateDocument.KindName(m.Kind)} rate", Day(m.Date), $"Missing: {MissingRateText(m)}"], Alert: true)));
            return;
        }

        pdf.Paragraph($"Group figures in {r.Code}: each currency's totals translated — balances at the closing rate of {Day(input.Snapshot.AsOf)}, flows at the month's average rate, openings at the previous month's closing rates — each rounded to the {r.Code} minor unit, then added up (IAS 21 / ASC 830 practice). The FX translation effect is what the change of rates adds to each roll-forward. Ratios and KPIs are computed from the group figures. The currency sections after this one are each in their own currency.", 8f);
        GroupHeadlineTable(pdf, input, view, r);
        ConstantCurrency(pdf, input, view, r);

        foreach (var (title, lines) in new[] { ("backlog", ConsolidatedRollForward.Backlog(view)), ("net contract position", ConsolidatedRollForward.NetContractPosition(view, input.Snapshot.Options)) })
        {
            pdf.EnsureSpace(((lines.Count + 1) * 13f) + 40f);
            pdf.Heading($"Group — {title} roll-forward ({r.Code})");
            pdf.Table([new("Line", 300, Align.Left), new(r.Code, 120)], RollForwardRows(lines, r));
        }

        pdf.Paragraph("Opening at last month's closing rates, movements at this month's average rates, closing at this month's closing rates: the FX translation effect is closing minus everything else, so each roll-forward ties by construction. With unchanged rates it is only the rounding of the separately translated figures.", 7.5f);

        var (quarter, year) = (ViewOf(input.SnapshotOf(input.QuarterToDate), r), ViewOf(input.SnapshotOf(input.YearToDate), r));
        pdf.Heading("Group — key performance indicators");
        (CurrencyTotals? Totals, string Header)[] spans = [(view.Totals, FinanceFormat.ShortMonth(input.Period)), (quarter?.Totals, "QTD"), (year?.Totals, "YTD")];
        pdf.Table(
            [new($"{r.Code} KPIs", 211, Align.Left), .. spans.Select(s => new Column(s.Header, 100))],
            KpiRows.Select(k => new Row([k.Label, .. spans.Select(s => s.Totals is { } t ? k.Value(t, r) : "n/a")])),
            7.5f);

        ByCurrency(pdf, input, view, r);
        GroupSegments(pdf, view, r);
        GroupCustomers(pdf, view, r);
    }

    private static void GroupHeadlineTable(PdfCanvas pdf, ReportInput input, ConsolidatedView view, Currency r)
    {
        var prior = input.Period.Previous;
        var lastYear = input.Period.AddMonths(-12);
        var before = ViewOf(input.Earlier(prior), r)?.Figures;
        var yearAgo = ViewOf(input.Earlier(lastYear), r)?.Figures;
        var qtd = ViewOf(input.SnapshotOf(input.QuarterToDate), r)?.Figures;
        var ytd = ViewOf(input.SnapshotOf(input.YearToDate), r)?.Figures;
        var f = view.Figures;
        pdf.Heading($"Group — {view.Totals.Contracts.ToString("N0", Culture)} contracts in {view.ByCurrency.Count.ToString(Culture)} currencies, in {r.Code}");
        HeadlineTable(pdf, input, $"Group {r.Code}", GroupHeadlines, r, f, before, yearAgo, qtd, ytd, group: true);
        pdf.Paragraph($"Prior month and LY: the group figures those months were closed with (at their own rates); QTD {input.QuarterToDate.Name}, YTD {input.YearToDate.Name}: flows of each month at its own average rates, balances at this month's closing rates. n/a when a month is not closed or has no group figures.", 7.5f);
    }

    /// <summary>This month at last year's rates, beside last year's group figures: the growth without the currency effect.</summary>
    private static void ConstantCurrency(PdfCanvas pdf, ReportInput input, ConsolidatedView view, Currency r)
    {
        var lastYear = input.Period.AddMonths(-12);
        var yearAgo = ViewOf(input.Earlier(lastYear), r)?.Figures;
        var constant = view.ConstantCurrency;
        var (now, ly) = (FinanceFormat.ShortMonth(input.Period), FinanceFormat.ShortMonth(lastYear));
        pdf.Heading($"Group — growth at constant currency ({r.Code})", 11f);
        pdf.Paragraph(
            constant is null
                ? $"Constant currency n/a: {string.Join("; ", view.ConstantCurrencyMissing.Select(m => "missing " + MissingRateText(m)))}."
                : $"{now} at {ly} rates: this month's figures translated at the rates of the same month last year, beside {ly} as it was reported. The growth at constant currency leaves the currency effect out.",
            7.5f);
        pdf.Table(
            [new("Figure", 125, Align.Left), new(now, 80), new($"At {ly} rates", 80), new(ly, 80), new("Growth reported", 70), new("At const. currency", 76)],
            GroupHeadlines.Select(h => new Row([
                h.Label,
                FinanceFormat.Money(h.Value(view.Figures), r),
                constant is null ? "n/a" : FinanceFormat.Money(h.Value(constant), r),
                yearAgo is null ? "n/a" : FinanceFormat.Money(h.Value(yearAgo), r),
                yearAgo is null ? "n/a" : FinanceFormat.PercentChange(h.Value(view.Figures), h.Value(yearAgo)),
                yearAgo is null || constant is null ? "n/a" : FinanceFormat.PercentChange(h.Value(constant), h.Value(yearAgo)),
            ])),
            7.5f);
    }

    /// <summary>Each currency's translated share with its rates, then the 13-month consolidated backlog stacked by currency.</summary>
    private static void ByCurrency(PdfCanvas pdf, ReportInput input, ConsolidatedView view, Currency r)
    {
        pdf.Heading($"Group — backlog by currency, translated into {r.Code}");
        var rates = view.Rates.ToDictionary(u => u.Currency);
        pdf.Table(
            [new("Currency", 60, Align.Left), new("Closing rate", 80), new("Average rate", 80), new("Backlog", 100), new("Revenue", 95), new("Bookings", 96)],
            [
                .. view.ByCurrency.Select(t => new Row([
                    t.Currency.Code,
                    rates.TryGetValue(t.Currency, out var u) ? Application.Consolidation.FxRateFile.Format(u.Closing) : "",
                    rates.TryGetValue(t.Currency, out var a) ? Application.Consolidation.FxRateFile.Format(a.Average) : "",
                    FinanceFormat.Money(t.Figures.Backlog, r),
                    FinanceFormat.Money(t.Figures.Revenue, r),
                    FinanceFormat.Money(t.Figures.Bookings, r),
                ])),
                new Row([$"Group {r.Code}", "", "", FinanceFormat.Money(view.Figures.Backlog, r), FinanceFormat.Money(view.Figures.Revenue, r), FinanceFormat.Money(view.Figures.Bookings, r)], Strong: true),
            ],
            7.5f);

        // Thirteen months ending with this one, each at its own closing rates (a month without group figures is a gap).
        var months = Enumerable.Range(0, 13).Select(i => input.Period.AddMonths(i - 12)).ToList();
        var views = months.Select(p => p == input.Period ? view : ViewOf(input.Earlier(p), r)).ToList();
        var currencies = views.OfType<ConsolidatedView>().SelectMany(v => v.ByCurrency.Select(t => t.Currency)).DistinctBy(c => c.Code).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        const float height = 175f;
        pdf.EnsureSpace(height + 14f);
        using (var plot = Plot($"Group backlog by currency, 13 months ({r.Code})", r.Code))
        {
            var bars = new List<ScottPlot.Bar>();
            for (var i = 0; i < views.Count; i++)
            {
                if (views[i] is not { } monthView)
                {
                    continue;
                }

                var stacked = 0d;
                for (var k = 0; k < currencies.Count; k++)
                {
                    var amount = (double)(monthView.ByCurrency.FirstOrDefault(t => t.Currency == currencies[k])?.Figures.Backlog ?? 0m);
                    bars.Add(new ScottPlot.Bar { Position = i, ValueBase = stacked, Value = stacked + amount, FillColor = CurrencyColors[k % CurrencyColors.Length] });
                    stacked += amount;
                }
            }

            plot.Add.Bars(bars);
            for (var k = 0; k < currencies.Count; k++)
            {
                plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = currencies[k].Code, FillColor = CurrencyColors[k % CurrencyColors.Length] });
            }

            plot.ShowLegend(ScottPlot.Edge.Right);
            MonthTicks(plot, [.. months.Select(FinanceFormat.ShortMonth)], 1, 0);
            pdf.Chart(plot, PdfCanvas.Margin, 0, PdfCanvas.ContentWidth, height);
        }

        pdf.Advance(height + 14f);
    }

    /// <summary>Each dimension's largest segments, the others together, the rounding line and the group total they add up to.</summary>
    private static void GroupSegments(PdfCanvas pdf, ConsolidatedView view, Currency r)
    {
        const int shown = 8;
        var f = view.Figures;
        pdf.Heading($"Group — segments ({r.Code})");
        pdf.Paragraph("Each currency's segments translated at its rates and added up. Where the translated segments of a currency do not add up to its translated total, the difference is on a rounding line of its own, so each table adds up to the group figures.", 7.5f);
        foreach (var dimension in SegmentDimensionsShown)
        {
            var segments = view.Totals.Segments.Where(s => s.Dimension == dimension).ToList();
            if (segments.Count == 0)
            {
                continue;
            }

            var parts = segments.Where(s => s.Value != SegmentDimensions.Rounding).ToList();
            var rows = parts.Take(shown).Select(s => SegmentRow(BucketLabels.SegmentLabel(s.Dimension, s.Value), s.Contracts.ToString("N0", Culture), s.Figures)).ToList();
            if (parts.Count > shown)
            {
                var others = parts.Skip(shown).ToList();
                rows.Add(SegmentRow($"Other ({others.Count.ToString(Culture)})", others.Sum(s => s.Contracts).ToString("N0", Culture), others.Aggregate(Figures.Zero, (sum, s) => sum + s.Figures)));
            }

            if (segments.FirstOrDefault(s => s.Value == SegmentDimensions.Rounding) is { } rounding)
            {
                rows.Add(SegmentRow(SegmentDimensions.Rounding, "", rounding.Figures));
            }

            rows.Add(SegmentRow($"Group {r.Code}", "", f) with { Strong = true });
            pdf.Table(
                [new(DimensionLabel(dimension), 150, Align.Left), new("Contracts", 60), new("Backlog", 90), new("Revenue", 80), new("Bookings", 80), new("Share", 50)],
                rows,
                7.5f);
        }

        Row SegmentRow(string label, string contracts, Figures figures) =>
            new([label, contracts, FinanceFormat.Money(figures.Backlog, r), FinanceFormat.Money(figures.Revenue, r), FinanceFormat.Money(figures.Bookings, r), Share(figures.Backlog, f.Backlog)]);
    }

    private static void GroupCustomers(PdfCanvas pdf, ConsolidatedView view, Currency r)
    {
        var concentration = view.Totals.Concentration;
        pdf.Heading($"Group — top customers and concentration ({r.Code})");
        pdf.Paragraph($"A customer's backlog in every currency, each translated at its closing rate and added up. {concentration.Customers.ToString("N0", Culture)} customers hold backlog; the largest holds {FinanceFormat.Percent(concentration.LargestShare)}, the top ten {FinanceFormat.Percent(concentration.Top10Share)}; Herfindahl index {(concentration.Herfindahl is { } h ? h.ToString("0.0000", Culture) : "n/a")}.", 7.5f);
        pdf.Table(
            [new("#", 24), new("Customer", 276, Align.Left), new($"Backlog {r.Code}", 120), new("Share", 60)],
            concentration.TopCustomers.Select((customer, i) => new Row([(i + 1).ToString(Culture), $"{customer.CustomerName} ({customer.CustomerId})", FinanceFormat.Money(customer.Backlog, r), FinanceFormat.Percent(customer.Share)])),
            7.5f);
    }

    /// <summary>
    /// The group on the tie-out page: consolidated = Σ translated (each figure); each translated total recomputed as
    /// round(currency total × its rate) from the currency section's figures and the rates listed; both FX roll-forwards
    /// tie; consolidated.csv read back equals the pack. Without group figures, the missing rates against the file's.
    /// </summary>
    private static void GroupTieOut(PdfCanvas pdf, ReportInput input, Consolidated group, IReadOnlyList<ReportFile> csvFiles)
    {
        var r = group.Currency;
        var csv = ConsolidatedCsv.Read(csvFiles.Single(f => f.Name == ReportCsv.ConsolidatedFile).Content);
        if (group.View is not { } view)
        {
            pdf.Heading($"Group ({r.Code}) — no group figures: rates are missing", 11f);
            var expected = group.MissingRates.Select(m => (m.Currency.Code, MissingRateDocument.KindName(m.Kind), (DateOnly?)m.Date)).ToList();
            var listed = csv.Select(row => (row.Currency, row.Name, row.Date)).ToList();
            var same = csv.All(row => row.Section == ReportCsv.MissingRateSection && row.Amount is null && row.Rate is null) && listed.SequenceEqual(expected);
            pdf.Table(
                [new("Missing rate", 300, Align.Left), new("consolidated.csv", 160, Align.Left), new("Ties", 51)],
                [.. group.MissingRates.Select(m => new Row([MissingRateText(m), listed.Contains((m.Currency.Code, MissingRateDocument.KindName(m.Kind), m.Date)) ? "listed" : "not listed", same ? "yes" : "NO"], Alert: !same))],
                7.5f);
            return;
        }

        // Consolidated = Σ translated, figure by figure.
        var sum = view.ByCurrency.Aggregate(Figures.Zero, (total, t) => total + t.Figures);
        pdf.Heading($"Group ({r.Code}) — consolidated figures = Σ translated currency totals", 11f);
        pdf.Table(
            [new("Figure", 215, Align.Left), new("Pack (group)", 100), new("Σ translated", 100), new("Ties", 51)],
            FigureColumns.All.Select(column =>
            {
                var (pack, parts) = (column.Value(view.Figures), column.Value(sum));
                return new Row([column.Label, FinanceFormat.Money(pack, r), FinanceFormat.Money(parts, r), pack == parts ? "yes" : "NO"], Alert: pack != parts);
            }),
            7.5f);

        pdf.Heading("Rates used", 11f);
        pdf.Table(
            [new("Currency", 60, Align.Left), new("Closing rate", 90), new("Closing date", 75), new("Average rate", 90), new("Average over", 96), new("Opening rate", 90)],
            view.Rates.Select(u => new Row([
                u.Currency.Code,
                Application.Consolidation.FxRateFile.Format(u.Closing),
                Day(u.ClosingDate),
                Application.Consolidation.FxRateFile.Format(u.Average),
                $"{Day(input.Snapshot.OpeningDate.AddDays(1))} – {Day(input.Snapshot.AsOf)}",
                Application.Consolidation.FxRateFile.Format(u.Opening),
            ])),
            7.5f);
        pdf.Paragraph($"Units of {r.Code} per unit of the currency. Balances at the closing rate, flows at the average rate, opening balances at the opening rate (the closing rate of {Day(input.Snapshot.OpeningDate)} as the previous close recorded it).", 7.5f);

        // Each translated total recomputed from the currency section's figures and the rates above.
        var kinds = Figures.Zero.Convert(_ => 1m, _ => 2m, _ => 3m);
        foreach (var rate in view.Rates)
        {
            var c = rate.Currency;
            var own = ReportInput.TotalsOf(input.Snapshot, c)?.Figures ?? Figures.Zero;
            var translated = view.ByCurrency.FirstOrDefault(t => t.Currency == c)?.Figures ?? Figures.Zero;
            pdf.Heading($"{c.Code} in {r.Code} = round({c.Code} total × rate)", 11f);
            pdf.Table(
                [new("Figure", 140, Align.Left), new($"{c.Code} total", 85), new("Rate", 90), new($"Recomputed {r.Code}", 80), new($"Pack {r.Code}", 80), new("Ties", 36)],
                FigureColumns.All.Select(column =>
                {
                    var (kind, applied) = column.Value(kinds) switch
                    {
                        1m => ("closing", rate.Closing),
                        2m => ("opening", rate.Opening),
                        _ => ("average", rate.Average),
                    };
                    var recomputed = r.Round(column.Value(own) * applied);
                    var pack = column.Value(translated);
                    return new Row([column.Label, FinanceFormat.Money(column.Value(own), c), $"{kind} {Application.Consolidation.FxRateFile.Format(applied)}", FinanceFormat.Money(recomputed, r), FinanceFormat.Money(pack, r), recomputed == pack ? "yes" : "NO"], Alert: recomputed != pack);
                }),
                7f);
        }

        // Both roll-forwards with their FX line, and the file read back.
        pdf.Heading($"Group ({r.Code}) — roll-forwards with the FX translation effect, and consolidated.csv read back", 11f);
        (string Label, IReadOnlyList<RollForwardLine> Lines)[] rollForwards =
        [
            ("Backlog", ConsolidatedRollForward.Backlog(view)),
            ("Net contract position", ConsolidatedRollForward.NetContractPosition(view, input.Snapshot.Options)),
        ];
        pdf.Table(
            [new("Roll-forward", 215, Align.Left), new("FX translation effect", 100), new("Difference", 100), new("Ties", 51)],
            rollForwards.Select(rf =>
            {
                var closing = rf.Lines.Single(l => l.Name == "closing").Amount;
                var difference = rf.Lines.Where(l => l.Name is not ("closing" or "difference")).Sum(l => l.Amount) - closing;
                var effect = rf.Lines.Single(l => l.Name == ConsolidatedRollForward.FxTranslationEffect).Amount;
                var ties = difference == 0m && rf.Lines.Single(l => l.Name == "difference").Amount == 0m;
                return new Row([$"{rf.Label}: opening + movements + FX effect − closing", FinanceFormat.Money(effect, r), FinanceFormat.Money(difference, r), ties ? "yes" : "NO"], Alert: !ties);
            }),
            7.5f);

        pdf.Table(
            [new("consolidated.csv read back", 315, Align.Left), new("Rows", 100), new("Ties", 51)],
            CsvChecks(input, view, csv).Select(check => new Row([check.Label, check.Rows.ToString("N0", Culture), check.Ties ? "yes" : "NO"], Alert: !check.Ties)),
            7.5f);
    }

    /// <summary>Each section of consolidated.csv, read back row by row in order, against what the pack shows.</summary>
    private static IEnumerable<(string Label, int Rows, bool Ties)> CsvChecks(ReportInput input, ConsolidatedView view, IReadOnlyList<ConsolidatedCsvRow> csv)
    {
        static IEnumerable<(string, decimal?)> FigureRows(string currency, Figures f) => FigureColumns.All.Select(c => ($"{currency}|{c.Name}", (decimal?)c.Value(f)));
        static IEnumerable<(string, decimal?)> Lines(IReadOnlyList<RollForwardLine> lines) => lines.Select(l => ($"|{l.Name}", (decimal?)l.Amount));

        (string Label, string Section, IEnumerable<(string Key, decimal? Value)> Expected)[] sections =
        [
            ("Consolidated figures", ReportCsv.ConsolidatedSection, FigureRows("", view.Figures)),
            ("Backlog roll-forward", ReportCsv.BacklogRollForwardSection, Lines(ConsolidatedRollForward.Backlog(view))),
            ("Net contract position roll-forward", ReportCsv.NetContractPositionRollForwardSection, Lines(ConsolidatedRollForward.NetContractPosition(view, input.Snapshot.Options))),
            ("Translated figures of each currency", ReportCsv.TranslatedSection, view.ByCurrency.SelectMany(t => FigureRows(t.Currency.Code, t.Figures))),
            ("Constant-currency figures", ReportCsv.ConstantCurrencySection, view.ConstantCurrency is { } constant ? FigureRows("", constant) : []),
            ("Segments (every figure)", ReportCsv.SegmentSection, view.Totals.Segments.SelectMany(s => FigureColumns.All.Where(c => s.IncludesBilling || !c.IsBilling).Select(c => ($"{s.Dimension}|{c.Name}", (decimal?)c.Value(s.Figures))))),
            ("Top customers", ReportCsv.TopCustomerSection, view.Totals.Concentration.TopCustomers.Select(t => ("|backlog", (decimal?)t.Backlog))),
            ("Rates used", ReportCsv.RateSection, view.Rates.SelectMany(u => new (string, decimal?)[]
            {
                ($"{u.Currency.Code}|{ReportCsv.ClosingRate}|{Day(u.ClosingDate)}", u.Closing),
                ($"{u.Currency.Code}|{ReportCsv.AverageRate}|{Day(input.Snapshot.AsOf)}", u.Average),
                ($"{u.Currency.Code}|{ReportCsv.OpeningRate}|{Day(input.Snapshot.OpeningDate)}", u.Opening),
            })),
        ];

        foreach (var (label, section, expected) in sections)
        {
            var rows = csv.Where(row => row.Section == section).ToList();
            var read = section switch
            {
                ReportCsv.RateSection => rows.Select(row => ($"{row.Currency}|{row.Name}|{(row.Date is { } day ? Day(day) : "")}", row.Rate)),
                ReportCsv.SegmentSection => rows.Select(row => ($"{row.Dimension}|{row.Name}", row.Amount)),
                ReportCsv.TranslatedSection => rows.Select(row => ($"{row.Currency}|{row.Name}", row.Amount)),
                _ => rows.Select(row => ($"|{row.Name}", row.Amount)),
            };
            yield return (label, rows.Count, read.SequenceEqual(expected));
        }
    }
}
