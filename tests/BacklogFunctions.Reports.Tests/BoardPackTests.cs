using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Testing;
using UglyToad.PdfPig;

namespace BacklogFunctions.Reports.Tests;

/// <summary>The board pack read back with PdfPig: the figures printed are the stored figures.</summary>
public class BoardPackTests
{
    private static readonly Period October = new(2025, 10);
    private static readonly Lazy<(ReportInput Input, byte[] Pdf, IReadOnlyList<ReportFile> Csv)> Rendered = new(() =>
    {
        var input = SampleReports.Input(120, 22, 31, October);
        var csv = ReportCsv.Render(input);
        return (input, new BoardPack(SampleReports.Fonts).Render(input, csv), csv);
    });

    private static readonly Lazy<(ReportInput Input, byte[] Pdf, IReadOnlyList<ReportFile> Csv)> Consolidated = new(() =>
    {
        var input = SampleReports.Input(120, 22, 31, October, rates: SampleReports.RatesFor(October));
        var csv = ReportCsv.Render(input);
        return (input, new BoardPack(SampleReports.Fonts).Render(input, csv), csv);
    });

    [Fact]
    public void With_a_reporting_currency_the_group_page_comes_first_with_the_fx_translation_effect_on_its_own_line()
    {
        var (input, pdf, _) = Consolidated.Value;
        var view = input.Snapshot.Consolidated!.View!;
        var usd = Currency.USD;
        using var document = PdfDocument.Open(pdf);
        Assert.Contains("Group summary", document.GetPage(1).Text, StringComparison.Ordinal);
        var words = Section(document, "Group summary");
        var text = string.Join(" ", words);

        Assert.Contains("October 2025", text, StringComparison.Ordinal);
        Assert.Contains($"FX translation effect {FinanceFormat.Money(view.FxEffectBacklog, usd)} Closing backlog {FinanceFormat.Money(view.Figures.Backlog, usd)}", text, StringComparison.Ordinal);
        Assert.Contains($"FX translation effect {FinanceFormat.Money(view.FxEffectNetContractPosition, usd)} Closing net contract position {FinanceFormat.Money(view.Figures.NetContractPosition, usd)}", text, StringComparison.Ordinal);
        Assert.NotEqual(0m, view.FxEffectBacklog);
        var f = view.Figures;
        foreach (var amount in new[] { f.Backlog, f.DeferredRevenue, f.UnbilledReceivable, f.Revenue, f.Bookings, f.Billings, f.Arr })
        {
            Assert.Contains(FinanceFormat.Money(amount, usd), words);
        }

        // Beside the prior month, last year and this month at last year's rates.
        var prior = input.Earlier(October.Previous)!.Consolidated!.View!.Figures;
        var lastYear = input.Earlier(October.AddMonths(-12))!.Consolidated!.View!.Figures;
        Assert.Contains(FinanceFormat.Money(prior.Backlog, usd), words);
        Assert.Contains(FinanceFormat.Money(lastYear.Backlog, usd), words);
        Assert.Contains(FinanceFormat.Money(view.ConstantCurrency!.Backlog, usd), words);
        Assert.Contains("Oct 25 at Oct 24 rates", text, StringComparison.Ordinal);
        Assert.Contains(FinanceFormat.Percent(view.Totals.Nrr), words);

        // Each currency's translated backlog, the segments with their rounding lines, the top customers.
        Assert.True(view.ByCurrency.Count >= 3, "several currencies");
        foreach (var translated in view.ByCurrency)
        {
            Assert.Contains($"{translated.Currency.Code} ", text, StringComparison.Ordinal);
            Assert.Contains(FinanceFormat.Money(translated.Figures.Backlog, usd), words);
        }

        var rounding = view.Totals.Segments.Where(s => s.Value == SegmentDimensions.Rounding && s.Dimension is SegmentDimensions.CustomerSegment or SegmentDimensions.Region or SegmentDimensions.ProductLine or SegmentDimensions.TermLength or SegmentDimensions.SalesOwner).ToList();
        Assert.NotEmpty(rounding);
        Assert.Equal(rounding.Count, words.Count(w => w == SegmentDimensions.Rounding));
        Assert.Contains(FinanceFormat.Money(rounding[0].Figures.Backlog, usd), words);
        Assert.Contains(view.Totals.Concentration.TopCustomers[0].CustomerId, text, StringComparison.Ordinal);

        // Then the currency sections as before.
        var pages = document.GetPages().ToList();
        var summary = pages.FindIndex(p => p.Text.Contains("Summary", StringComparison.Ordinal));
        Assert.True(summary > 0, "the currency summary follows the group page");
        Assert.All(pages.Take(summary), p => Assert.True(p.Text.Contains("Group summary", StringComparison.Ordinal) || p.Text.Contains("continued", StringComparison.Ordinal)));
        foreach (var total in input.Snapshot.Totals)
        {
            Assert.Contains(FinanceFormat.Money(total.Figures.Backlog, total.Currency), Section(document, "Summary"));
        }
    }

    [Fact]
    public void The_tie_out_proves_the_group_figures_from_the_currency_sections_the_rates_and_consolidated_csv()
    {
        var (input, pdf, csv) = Consolidated.Value;
        var view = input.Snapshot.Consolidated!.View!;
        using var document = PdfDocument.Open(pdf);
        var tieOut = document.GetPages().SkipWhile(p => !p.GetWords().Any(w => w.Text == "Tie-out:")).ToList();
        var words = tieOut.SelectMany(p => p.GetWords().Select(w => w.Text)).ToList();
        var text = string.Join(" ", words);

        Assert.DoesNotContain("NO", words);
        Assert.DoesNotContain("missing", words);
        var currencies = input.Snapshot.Totals.Count;
        const int groupChecks = 2 + 8;
        Assert.Equal((currencies * (FigureColumns.All.Count + ForwardIdentities + JournalChecks)) + FigureColumns.All.Count + (view.Rates.Count * FigureColumns.All.Count) + groupChecks, words.Count(w => w == "yes"));
        foreach (var rate in view.Rates)
        {
            Assert.Contains($"{rate.Currency.Code} {Application.Consolidation.FxRateFile.Format(rate.Closing)} {rate.ClosingDate:yyyy-MM-dd} {Application.Consolidation.FxRateFile.Format(rate.Average)}", text, StringComparison.Ordinal);
            Assert.Contains($"{rate.Currency.Code} in USD = round({rate.Currency.Code} total × rate)", text, StringComparison.Ordinal);
        }

        var eur = view.Rates.Single(r => r.Currency == Currency.EUR);
        var eurBacklog = ReportInput.TotalsOf(input.Snapshot, Currency.EUR)!.Figures.Backlog;
        Assert.Contains($"Backlog (RPO) {FinanceFormat.Money(eurBacklog, Currency.EUR)} closing {Application.Consolidation.FxRateFile.Format(eur.Closing)} {FinanceFormat.Money(Currency.USD.Round(eurBacklog * eur.Closing), Currency.USD)}", text, StringComparison.Ordinal);
        Assert.Contains("Backlog: opening + movements + FX effect − closing", text, StringComparison.Ordinal);
        Assert.Contains(csv.Single(f => f.Name == ReportCsv.ConsolidatedFile).Sha256, words);
    }

    [Fact]
    public void A_missing_rate_is_named_by_currency_kind_and_day_and_no_group_figure_is_shown()
    {
        // No EUR rate in October: its closing rate (none within 7 days of the 31st) and its average are missing.
        var input = SampleReports.Input(60, 22, 5, October, rates: SampleReports.RatesFor(October, r => r.Currency == Currency.EUR && r.Date >= October.FirstDay));
        Assert.Null(input.Snapshot.Consolidated!.View);
        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));
        var group = string.Join(" ", Section(document, "Group summary"));

        Assert.Contains("Group figures in USD: not available for October 2025", group, StringComparison.Ordinal);
        Assert.Contains("Missing: EUR closing rate for 2025-10-31", group, StringComparison.Ordinal);
        Assert.Contains("Missing: EUR average rate for 2025-10-31", group, StringComparison.Ordinal);
        Assert.Contains("never taken as 0 or 1", group, StringComparison.Ordinal);
        Assert.DoesNotContain("FX translation effect", group, StringComparison.Ordinal);
        Assert.DoesNotContain("Group USD", group, StringComparison.Ordinal);

        var tieOut = document.GetPages().SkipWhile(p => !p.GetWords().Any(w => w.Text == "Tie-out:")).SelectMany(p => p.GetWords().Select(w => w.Text)).ToList();
        Assert.DoesNotContain("NO", tieOut);
        Assert.Contains("EUR closing rate for 2025-10-31 listed yes", string.Join(" ", tieOut), StringComparison.Ordinal);
        Assert.Equal((input.Snapshot.Totals.Count * (FigureColumns.All.Count + ForwardIdentities + JournalChecks)) + 2, tieOut.Count(w => w == "yes"));
    }

    [Fact]
    public void A_translated_total_that_is_not_its_currency_total_times_its_rate_shows_NO_on_the_tie_out()
    {
        var (input, _, _) = Consolidated.Value;
        var group = input.Snapshot.Consolidated!;
        var view = group.View!;

        // One cent more on EUR's translated backlog and on the group's: the sum still ties, the recomputation does not.
        var tampered = view with
        {
            Totals = view.Totals with { Figures = view.Figures with { Backlog = view.Figures.Backlog + 0.01m } },
            ByCurrency = [.. view.ByCurrency.Select(t => t.Currency == Currency.EUR ? t with { Figures = t.Figures with { Backlog = t.Figures.Backlog + 0.01m } } : t)],
        };
        input = input with { Snapshot = input.Snapshot with { Consolidated = group with { View = tampered } } };

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));
        var tieOut = document.GetPages().SkipWhile(p => !p.GetWords().Any(w => w.Text == "Tie-out:")).ToList();
        var no = tieOut.SelectMany(p => p.GetWords().Where(w => w.Text == "NO").Select(w => (Page: p, Word: w))).ToList();

        var (page, mark) = Assert.Single(no);
        var line = page.GetWords().Where(w => Math.Abs(w.BoundingBox.Bottom - mark.BoundingBox.Bottom) < 1).OrderBy(w => w.BoundingBox.Left).Select(w => w.Text);
        Assert.StartsWith($"Backlog (RPO) {FinanceFormat.Money(ReportInput.TotalsOf(input.Snapshot, Currency.EUR)!.Figures.Backlog, Currency.EUR)} closing", string.Join(" ", line), StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_page_shows_each_currencys_headline_figures_against_the_prior_month_and_last_year()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var words = document.GetPage(1).GetWords().Select(w => w.Text).ToList();
        var text = string.Join(" ", words);

        Assert.Contains("October 2025", text, StringComparison.Ordinal);
        Assert.True(input.Snapshot.Totals.Count >= 3, "the sample has several currencies");
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            var prior = ReportInput.TotalsOf(input.Earlier(October.Previous), c)!.Figures;
            var lastYear = ReportInput.TotalsOf(input.Earlier(October.AddMonths(-12)), c)!.Figures;
            Assert.Contains(c.Code, words);
            foreach (var amount in new[] { total.Figures.Backlog, total.Figures.DeferredRevenue, total.Figures.Revenue, total.Figures.Bookings, total.Figures.Billings, prior.Backlog, lastYear.Backlog })
            {
                Assert.Contains(FinanceFormat.Money(amount, c), words);
            }

            Assert.Contains(FinanceFormat.Ratio(total.Figures.BacklogRatio), words);
        }
    }

    [Fact]
    public void Each_currency_has_its_roll_forwards_printed_line_by_line_and_they_tie()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            var page = document.GetPages().First(p => p.GetWords().Any(w => w.Text == "roll-forward") && p.GetWords().Any(w => w.Text == c.Code));
            var words = page.GetWords().Select(w => w.Text).ToList();
            foreach (var line in RollForward.Backlog(total.Figures).Concat(RollForward.NetContractPosition(total.Figures, input.Snapshot.Options)))
            {
                Assert.Contains(FinanceFormat.Money(line.Amount, c), words);
            }

            Assert.Equal(0m, total.Figures.BacklogRollForwardDifference);
            Assert.Contains("Prior-period", words);
        }
    }

    [Fact]
    public void The_tie_out_page_reconciles_every_total_to_the_csv_and_the_stored_snapshot_with_file_hashes()
    {
        var (input, pdf, csv) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var tieOut = document.GetPages().SkipWhile(p => !p.GetWords().Any(w => w.Text == "Tie-out:")).ToList();
        Assert.NotEmpty(tieOut);
        var words = tieOut.SelectMany(p => p.GetWords().Select(w => w.Text)).ToList();

        Assert.DoesNotContain("NO", words);
        Assert.DoesNotContain("missing", words);
        var csvTotals = CsvTotals.OfContracts(csv.Single(f => f.Name == ReportCsv.ContractsFile).Content);
        foreach (var total in input.Snapshot.Totals)
        {
            foreach (var column in FigureColumns.All)
            {
                Assert.Equal(column.Value(total.Figures), csvTotals[total.Currency.Code][column.Name]);
            }

            Assert.Contains(FinanceFormat.Money(total.Figures.Backlog, total.Currency), words);
        }

        Assert.Equal(input.Snapshot.Totals.Count * (FigureColumns.All.Count + ForwardIdentities + JournalChecks), words.Count(w => w == "yes"));
        foreach (var file in csv)
        {
            Assert.Contains(file.Sha256, words);
        }

        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input.SnapshotDocument)), words);
    }

    [Fact]
    public void Each_currency_has_a_next_12_months_page_with_the_forecasts_aging_and_late_work()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        Assert.True(input.Snapshot.OverdueDeliveries.Count > 0, "the sample has late work");
        foreach (var total in input.Snapshot.Totals)
        {
            var (c, f) = (total.Currency, total.Figures);
            var words = Section(document, $"{c.Code} next 12 months");
            var forecast = input.Snapshot.Forecasts.Single(l => l.Currency == c);
            var first = ForecastFormats.Rows(October.Next, forecast).ElementAt(1);

            Assert.Contains("Unscheduled", words);
            Assert.Contains("Later", words);
            Assert.Contains(FinanceFormat.Month(October.Next).Split(' ')[0], words);
            foreach (var amount in new[] { first.Revenue, first.Billings, first.Collections, forecast.OverdueBilling, forecast.CollectionsOverdue, f.NotYetBilled, f.Backlog })
            {
                Assert.Contains(FinanceFormat.Money(amount, c), words);
            }

            foreach (var amount in new[] { f.AgingCurrent, f.AgingDays1To30, f.AgingDays31To60, f.AgingDays61To90, f.AgingOver90, f.Receivables, f.OverdueBilling, f.OverdueBacklog })
            {
                Assert.Contains(FinanceFormat.Money(amount, c), words);
            }

            foreach (var late in input.Snapshot.OverdueDeliveries.Where(d => d.Currency == c).OrderByDescending(d => d.Amount).Take(10))
            {
                Assert.Contains(late.ContractId, words);
                Assert.Contains(FinanceFormat.Money(late.Amount, c), words);
            }
        }
    }

    [Fact]
    public void The_summary_shows_each_currencys_kpis_for_the_month_the_quarter_and_the_year_to_date()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var words = Section(document, "Summary");

        Assert.Contains("Book-to-bill", words);
        Assert.Contains("NRR", words);
        foreach (var total in input.Snapshot.Totals)
        {
            var (c, f) = (total.Currency, total.Figures);
            Assert.Contains($"{c.Code} KPIs", string.Join(" ", words), StringComparison.Ordinal);
            foreach (var shown in new[] { FinanceFormat.Ratio(f.BookToBill), FinanceFormat.Percent(f.BacklogConversion), FinanceFormat.Percent(f.CancellationRate), FigureColumns.FormatDays(f.LeadTimeDays), FinanceFormat.Money(f.Arr, c), FinanceFormat.Percent(total.Grr), FinanceFormat.Percent(total.Nrr) })
            {
                Assert.Contains(shown, words);
            }
        }
    }

    [Fact]
    public void Quarter_and_year_to_date_follow_the_fiscal_year_and_say_n_a_when_a_month_is_not_closed()
    {
        // Fiscal years from May: October 2025 is in FY2026-Q2 (August to October), FY2026 started in May 2025.
        var input = SampleReports.Input(60, 22, 5, October, fiscalYearStartMonth: 5);
        Assert.Equal(("FY2026-Q2", "FY2026 to 2025-10"), (input.QuarterToDate.Name, input.YearToDate.Name));
        var words = FirstPage(input);

        foreach (var total in input.Snapshot.Totals)
        {
            var c = total.Currency;
            decimal Revenue(int from) => Enumerable.Range(from, 11 - from).Sum(m => m == 10 ? total.Figures.Revenue : ReportInput.TotalsOf(input.Earlier(new Period(2025, m)), c)?.Figures.Revenue ?? 0m);
            Assert.Contains(FinanceFormat.Money(Revenue(8), c), words);
            Assert.Contains(FinanceFormat.Money(Revenue(5), c), words);
        }

        Assert.Contains("(FY2026-Q2)", string.Join(" ", words), StringComparison.Ordinal);

        // June is not closed: the year to date cannot be built, the quarter to date can.
        var gap = input with { EarlierPeriods = [.. input.EarlierPeriods.Where(s => s.Period != new Period(2025, 6))] };
        Assert.NotNull(gap.SnapshotOf(gap.QuarterToDate));
        Assert.Null(gap.SnapshotOf(gap.YearToDate));
        var withGap = FirstPage(gap);
        var usd = gap.Snapshot.Totals[0];
        Assert.Contains(FinanceFormat.Money(Enumerable.Range(8, 3).Sum(m => m == 10 ? usd.Figures.Revenue : ReportInput.TotalsOf(gap.Earlier(new Period(2025, m)), usd.Currency)!.Figures.Revenue), usd.Currency), withGap);
        Assert.True(withGap.Count(w => w == "n/a") >= words.Count(w => w == "n/a") + 6, "every headline of the YTD column is n/a");
    }

    [Fact]
    public void A_forecast_that_does_not_add_up_to_the_stored_one_shows_NO_on_the_tie_out()
    {
        var (input, _, _) = Rendered.Value;
        var changed = input.Contracts.First(c => c.Forward is { } f && f.Forecast.Billings.Months[0] != 0m);
        var forward = changed.Forward!;
        var months = forward.Forecast.Billings.Months.ToArray();
        months[0] += 1m;
        var broken = changed with { Forward = forward with { Forecast = forward.Forecast with { Billings = forward.Forecast.Billings with { Months = months } } } };
        input = input with { Contracts = [.. input.Contracts.Select(c => c == changed ? broken : c)] };
        var csv = ReportCsv.Render(input);

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, csv));
        var tieOut = document.GetPages().SkipWhile(p => !p.GetWords().Any(w => w.Text == "Tie-out:")).ToList();
        var no = tieOut.Select(p => (Page: p, Words: p.GetWords().Where(w => w.Text == "NO").ToList())).Where(p => p.Words.Count > 0).ToList();

        var (page, marks) = Assert.Single(no);
        var line = page.GetWords().Where(w => Math.Abs(w.BoundingBox.Bottom - Assert.Single(marks).BoundingBox.Bottom) < 1).OrderBy(w => w.BoundingBox.Left).Select(w => w.Text);
        Assert.StartsWith("Billings forecast = Σ contracts in forecast.csv", string.Join(" ", line), StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_closed_before_forecasts_were_stored_says_so_instead_of_failing_its_identities()
    {
        var (input, _, _) = Rendered.Value;
        input = input with { Snapshot = input.Snapshot with { Forecasts = [] }, Contracts = [.. input.Contracts.Select(c => c with { Forward = null })] };

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));
        var words = document.GetPages().SelectMany(p => p.GetWords().Select(w => w.Text)).ToList();

        Assert.DoesNotContain("NO", words);
        Assert.Equal(input.Snapshot.Totals.Count * 2, string.Join(" ", words).Split("closed before the").Length - 1);
    }

    [Fact]
    public void Chart_pages_have_titles_and_axis_labels_and_the_metadata_is_set()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var currencies = input.Snapshot.Totals.Count;

        // Summary, then statements and charts per currency, then the tie-out (pages may continue).
        Assert.True(document.NumberOfPages >= 2 + (2 * currencies), $"{document.NumberOfPages} pages");
        foreach (var total in input.Snapshot.Totals)
        {
            var chartPage = document.GetPages().Single(p => p.Text.Contains($"{total.Currency.Code} — trends", StringComparison.Ordinal) || p.GetWords().Select(w => w.Text).Contains("trends,") && p.GetWords().Any(w => w.Text == total.Currency.Code));
            var words = chartPage.GetWords().Select(w => w.Text).ToList();
            Assert.Contains("Month", words);
            Assert.Contains("Bookings", words);
            Assert.Contains("waterfall:", words);
            Assert.Contains("maturity", words);
        }

        var info = document.Information;
        Assert.Equal($"Backlog board pack {October} (version 1)", info.Title);
        Assert.Equal("BacklogFunctions", info.Author);
        Assert.Equal("BacklogFunctions month-end close", info.Creator);
        Assert.StartsWith("D:20251101020700", info.CreationDate, StringComparison.Ordinal);
    }

    [Fact]
    public void The_top_customers_name_their_contracts_and_the_command_that_explains_them()
    {
        var (input, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords().Select(w => w.Text)));

        foreach (var total in input.Snapshot.Totals.Where(t => t.Concentration.TopCustomers.Count > 0))
        {
            var top = total.Concentration.TopCustomers[0];
            var largest = input.Contracts.Where(k => k.Currency == total.Currency && k.Customer.Id == top.CustomerId).OrderByDescending(k => k.Figures.Backlog).ThenBy(k => k.ContractId, StringComparer.Ordinal).First();
            Assert.Contains(largest.ContractId, text, StringComparison.Ordinal);
        }

        Assert.Contains($"backlog explain --events <file> --contract <id> --period {input.Period}", text, StringComparison.Ordinal);
        Assert.Contains($"GET /api/periods/{input.Period}/contracts/<id>/explain?version={input.Version}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_page_says_alerts_were_not_evaluated_for_a_version_without_them_and_the_summary_has_no_plan_columns()
    {
        var (_, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var text = string.Join(" ", document.GetPage(1).GetWords().Select(w => w.Text));

        Assert.Contains("Alerts not evaluated", text, StringComparison.Ordinal);
        Assert.DoesNotContain("vs plan", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_shows_each_target_and_its_variance_and_the_first_page_lists_the_fired_alerts_critical_first()
    {
        var input = SampleReports.Input(120, 22, 31, October);
        var usd = ReportInput.TotalsOf(input.Snapshot, Currency.USD)!.Figures;
        AlertRule Rule(string name, string figure, AlertOperator op, decimal threshold, AlertSeverity severity) => new(name, figure, AlertRule.EachCurrency, op, threshold, 1, severity);
        input = input with
        {
            Snapshot = input.Snapshot with
            {
                TargetsVersion = 2,
                Targets =
                [
                    new("2025-10", Currency.USD, Domain.Alerts.TargetFigure.Revenue, 200000m, usd.Revenue),
                    new("2025-10", Currency.USD, Domain.Alerts.TargetFigure.Collections, 80000m, usd.Collections),
                ],
                Alerts =
                [
                    new("2025-10|v1|Overdue backlog|EUR", Rule("Overdue backlog", "overdueBacklog", AlertOperator.Greater, 0m, AlertSeverity.Warning), "EUR", 1234.5m, true, "1234.5 > 0"),
                    new("2025-10|v1|GRR below 0.9|USD", Rule("GRR below 0.9", "grr", AlertOperator.Less, 0.9m, AlertSeverity.Critical), "USD", 0.85m, true, "0.85 < 0.9"),
                    new("2025-10|v1|Backlog ratio below 6 months|USD", Rule("Backlog ratio below 6 months", "backlogRatio", AlertOperator.Less, 6m, AlertSeverity.Warning), "USD", 9.5m, false, "not 9.5 < 6"),
                    new("2025-10|v1|Overdue backlog|USD", Rule("Overdue backlog", "overdueBacklog", AlertOperator.Greater, 0m, AlertSeverity.Warning), "USD", 10m, true, "10 > 0"),
                ],
            },
        };

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));
        var page = document.GetPage(1);

        // The first page and the one the USD table continues on, line by line.
        var lines = new[] { page, document.GetPage(2) }.SelectMany(p => p.GetWords()
            .GroupBy(w => Math.Round(w.BoundingBox.Bottom)).OrderByDescending(g => g.Key)
            .Select(g => string.Join(" ", g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)))).ToList();
        var text = string.Join(" | ", lines);

        // The alerts box: fired only, one row per rule with its currencies, critical first, actual and threshold as stored.
        var critical = lines.FindIndex(l => l == "critical GRR below 0.9 USD 0.85 < 0.9");
        var warning = lines.FindIndex(l => l == "warning Overdue backlog EUR 1234.50, USD 10.00 > 0.00");
        Assert.True(critical >= 0 && warning > critical, text);
        Assert.DoesNotContain("Backlog ratio below 6 months", text, StringComparison.Ordinal);
        Assert.Contains("3 of 4 check(s) fired (3 rule(s) across currencies).", text, StringComparison.Ordinal);

        // The USD table: revenue and collections against plan; other figures blank.
        var variance = Math.Round((usd.Revenue - 200000m) / 200000m, 4, MidpointRounding.AwayFromZero);
        Assert.Contains($"Revenue {FinanceFormat.Money(usd.Revenue, Currency.USD)}", text, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Revenue ", StringComparison.Ordinal) && l.EndsWith($" 200,000.00 {FinanceFormat.Percent(variance)}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Collections ", StringComparison.Ordinal) && l.EndsWith($" 80,000.00 {FinanceFormat.Percent(Math.Round((usd.Collections - 80000m) / 80000m, 4, MidpointRounding.AwayFromZero))}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("YTD Plan vs plan", StringComparison.Ordinal));

        // Every currency's headline figures still on the first page.
        foreach (var total in input.Snapshot.Totals)
        {
            Assert.Contains(FinanceFormat.Money(total.Figures.Backlog, total.Currency), page.GetWords().Select(w => w.Text));
        }
    }

    [Fact]
    public void The_group_page_shows_the_consolidated_targets_and_says_when_no_alert_fired()
    {
        var (consolidatedInput, _, _) = Consolidated.Value;
        var view = consolidatedInput.Snapshot.Consolidated!.View!;
        var input = consolidatedInput with
        {
            Snapshot = consolidatedInput.Snapshot with
            {
                TargetsVersion = 1,
                Targets = [new("2025-10", Currency.USD, Domain.Alerts.TargetFigure.Arr, 1000000m, view.Figures.Arr)],
                Alerts =
                [
                    new("2025-10|v1|GRR below 0.9|consolidated", new AlertRule("GRR below 0.9", "grr", AlertRule.Consolidated, AlertOperator.Less, 0.9m, 1, AlertSeverity.Critical), "consolidated", 0.97m, false, "not 0.97 < 0.9"),
                ],
            },
        };

        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));
        var group = string.Join(" ", Section(document, "Group summary"));
        var summary = string.Join(" ", Section(document, "Summary"));

        Assert.Contains("No alerts fired: 1 rule(s) evaluated, 1 check(s) across currencies", group, StringComparison.Ordinal);
        var pct = FinanceFormat.Percent(Math.Round((view.Figures.Arr - 1000000m) / 1000000m, 4, MidpointRounding.AwayFromZero));
        Assert.Contains($"ARR {FinanceFormat.Money(view.Figures.Arr, Currency.USD)}", group, StringComparison.Ordinal);
        Assert.Contains($"1,000,000.00 {pct}", group, StringComparison.Ordinal);
        Assert.Contains("vs plan", group, StringComparison.Ordinal);

        // The USD target is the group's: the USD currency table has no plan columns, and the alerts box is on the first page only.
        Assert.DoesNotContain("vs plan", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("No alerts fired", summary, StringComparison.Ordinal);
    }

    /// <summary>The identities of the forward view on the tie-out page, per currency.</summary>
    private const int ForwardIdentities = 10;

    /// <summary>The journal's checks per currency on the billed basis: balanced, three balance accounts, revenue, and journal.csv and journal-detail.csv read back (three).</summary>
    private const int JournalChecks = 8;

    /// <summary>The words of the pages of one section (the running header names it), continued pages included.</summary>
    private static List<string> Section(PdfDocument document, string section)
    {
        var pages = document.GetPages().ToList();
        var start = pages.FindIndex(p => p.Text.Contains(section, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no page of {section}");
        var words = new List<string>();
        for (var i = start; i < pages.Count && (i == start || pages[i].Text.Contains("continued", StringComparison.Ordinal)); i++)
        {
            words.AddRange(pages[i].GetWords().Select(w => w.Text));
        }

        return words;
    }

    private static List<string> FirstPage(ReportInput input)
    {
        using var document = PdfDocument.Open(new BoardPack(SampleReports.Fonts).Render(input, ReportCsv.Render(input)));
        return document.GetPage(1).GetWords().Select(w => w.Text).ToList();
    }

    [Fact]
    public void The_pack_is_kept_under_the_test_output_for_a_look()
    {
        var (_, pdf, _) = Rendered.Value;
        var path = Path.Combine(AppContext.BaseDirectory, "board-pack-sample.pdf");
        File.WriteAllBytes(path, pdf);
        Assert.True(new FileInfo(path).Length > 10_000);
        var group = Path.Combine(AppContext.BaseDirectory, "board-pack-group-sample.pdf");
        File.WriteAllBytes(group, Consolidated.Value.Pdf);
        Assert.True(new FileInfo(group).Length > 10_000);
    }

    [Fact]
    public void The_same_snapshot_renders_the_same_bytes()
    {
        var (input, pdf, csv) = Rendered.Value;
        Assert.Equal(pdf, new BoardPack(SampleReports.Fonts).Render(input, csv));
    }

    [Fact]
    public void A_missing_or_empty_font_fails_loudly_instead_of_drawing_no_text()
    {
        var empty = Directory.CreateTempSubdirectory("fonts-").FullName;
        try
        {
            var missing = Assert.Throws<InvalidOperationException>(() => ReportFonts.Load(empty));
            Assert.Contains(ReportFonts.RegularFile, missing.Message, StringComparison.Ordinal);

            File.WriteAllBytes(Path.Combine(empty, ReportFonts.RegularFile), []);
            File.WriteAllBytes(Path.Combine(empty, ReportFonts.BoldFile), []);
            Assert.Throws<InvalidOperationException>(() => ReportFonts.Load(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void The_pack_draws_its_text_with_the_font_the_build_provides()
    {
        var (_, pdf, _) = Rendered.Value;
        using var document = PdfDocument.Open(pdf);
        var letters = document.GetPages().SelectMany(p => p.Letters).ToList();
        Assert.True(letters.Count > 2000, $"{letters.Count} letters");
        Assert.All(letters.Select(l => l.FontName).Distinct(), f => Assert.Contains("Liberation", f, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "fonts", ReportFonts.RegularFile)), "the build copies the font next to the program");
        _ = Repository.Root;
    }
}
