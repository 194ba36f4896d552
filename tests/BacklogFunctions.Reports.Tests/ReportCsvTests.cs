using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using CsvHelper;

namespace BacklogFunctions.Reports.Tests;

public class ReportCsvTests
{
    private static readonly Period February = new(2025, 2);

    /// <summary>BACKLOG_UPDATE_GOLDEN=1 rewrites the golden files (then review the diff).</summary>
    [Theory]
    [InlineData(ReportCsv.ContractsFile)]
    [InlineData(ReportCsv.RollForwardsFile)]
    [InlineData(ReportCsv.SegmentsFile)]
    [InlineData(ReportCsv.RpoFile)]
    [InlineData(ReportCsv.ForecastFile)]
    [InlineData(ReportCsv.ReceivablesFile)]
    [InlineData(ReportCsv.OverdueFile)]
    [InlineData(ReportCsv.ConsolidatedFile)]
    [InlineData(ReportCsv.JournalFile)]
    [InlineData(ReportCsv.JournalDetailFile)]
    [InlineData(ReportCsv.TargetsFile)]
    [InlineData(ReportCsv.AlertsFile)]
    public void A_small_fixed_company_renders_exactly_the_golden_files(string name)
    {
        // Consolidated into USD: the currency files are the same with or without a reporting currency.
        var file = ReportCsv.Render(SampleReports.Input(6, 14, 7, February, rates: SampleReports.RatesFor(February))).Single(f => f.Name == name);
        var golden = Path.Combine(Testing.Repository.Root, "tests", "BacklogFunctions.Reports.Tests", "golden", name);
        if (Environment.GetEnvironmentVariable("BACKLOG_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(golden, file.Content);
        }

        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(golden)), Encoding.UTF8.GetString(file.Content));
        Assert.Equal(File.ReadAllBytes(golden), file.Content);
    }

    [Fact]
    public void Files_are_utf8_with_a_byte_order_mark_fixed_headers_and_crlf_rows()
    {
        foreach (var file in ReportCsv.Render(SampleReports.Input(6, 14, 7, February)))
        {
            Assert.Equal([0xEF, 0xBB, 0xBF], file.Content[..3]);
            var text = Encoding.UTF8.GetString(file.Content[3..]);
            var header = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
            var expected = file.Name switch
            {
                ReportCsv.ContractsFile => ReportCsv.ContractColumns,
                ReportCsv.RollForwardsFile => ReportCsv.RollForwardColumns,
                ReportCsv.SegmentsFile => ReportCsv.SegmentColumns,
                ReportCsv.RpoFile => ReportCsv.RpoColumns,
                ReportCsv.ForecastFile => ReportCsv.ForecastColumns,
                ReportCsv.ReceivablesFile => ReportCsv.ReceivableColumns,
                ReportCsv.OverdueFile => ReportCsv.OverdueColumns,
                ReportCsv.ConsolidatedFile => ReportCsv.ConsolidatedColumns,
                ReportCsv.JournalFile => JournalFormats.SummaryColumns,
                ReportCsv.JournalDetailFile => JournalFormats.DetailColumns,
                ReportCsv.TargetsFile => ReportCsv.TargetColumns,
                ReportCsv.AlertsFile => ReportCsv.AlertColumns,
                _ => throw new InvalidOperationException($"{file.Name} has no documented columns"),
            };
            Assert.Equal(string.Join(',', expected), header);
        }
    }

    [Fact]
    public void Consolidated_csv_is_the_header_only_without_a_reporting_currency()
    {
        var file = ReportCsv.Render(SampleReports.Input(6, 14, 7, February)).Single(f => f.Name == ReportCsv.ConsolidatedFile);

        Assert.Equal("\uFEFF" + string.Join(',', ReportCsv.ConsolidatedColumns) + "\r\n", SampleReports.Text(file.Content));
    }

    [Theory]
    [InlineData(9, 3)]
    [InlineData(150, 99)]
    [InlineData(60, 5)]
    public void Consolidated_csv_totals_are_the_sums_of_its_translated_rows_and_its_roll_forwards_tie_with_the_fx_line(int contracts, int seed)
    {
        var period = new Period(2025, 9);
        var input = SampleReports.Input(contracts, 24, seed, period, rates: SampleReports.RatesFor(period));
        var view = input.Snapshot.Consolidated!.View!;
        var rows = ConsolidatedCsv.Read(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ConsolidatedFile).Content);
        var consolidated = rows.Where(r => r.Section == ReportCsv.ConsolidatedSection).ToDictionary(r => r.Name, r => r.Amount!.Value);
        var translated = rows.Where(r => r.Section == ReportCsv.TranslatedSection).ToList();

        Assert.Equal(FigureColumns.All.Select(c => c.Name), consolidated.Keys);
        Assert.Equal(input.Snapshot.Totals.Select(t => t.Currency.Code), translated.Select(r => r.Currency).Distinct());
        Assert.True(consolidated["backlog"] > 0m && translated.Select(r => r.Currency).Distinct().Count() > 1, "several currencies with backlog");
        foreach (var column in FigureColumns.All)
        {
            Assert.Equal(consolidated[column.Name], translated.Where(r => r.Name == column.Name).Sum(r => r.Amount!.Value));
            Assert.Equal(column.Value(view.Figures), consolidated[column.Name]);
        }

        // Each dimension's segments (with the rounding line) add up to the consolidated figure.
        foreach (var dimension in rows.Where(r => r.Section == ReportCsv.SegmentSection).GroupBy(r => r.Dimension))
        {
            foreach (var figure in dimension.GroupBy(r => r.Name))
            {
                Assert.True(consolidated[figure.Key] == figure.Sum(r => r.Amount!.Value), $"{dimension.Key} {figure.Key}: {figure.Sum(r => r.Amount!.Value)} against {consolidated[figure.Key]}");
            }
        }

        foreach (var (section, effect) in new[] { (ReportCsv.BacklogRollForwardSection, view.FxEffectBacklog), (ReportCsv.NetContractPositionRollForwardSection, view.FxEffectNetContractPosition) })
        {
            var lines = rows.Where(r => r.Section == section).ToDictionary(r => r.Name, r => r.Amount!.Value);
            Assert.Equal(effect, lines[ConsolidatedRollForward.FxTranslationEffect]);
            Assert.Equal(0m, lines["difference"]);
            Assert.Equal(lines["closing"], lines.Where(l => l.Key is not ("closing" or "difference")).Sum(l => l.Value));
        }

        Assert.Equal(input.Snapshot.Totals.Count * 3, rows.Count(r => r.Section == ReportCsv.RateSection && r.Rate > 0m));
        Assert.All(rows.Where(r => r.Section == ReportCsv.RateSection && r.Name == ReportCsv.ClosingRate), r => Assert.InRange(period.LastDay.DayNumber - r.Date!.Value.DayNumber, 0, 7));
    }

    [Fact]
    public void With_a_missing_rate_consolidated_csv_lists_the_currency_kind_and_day_and_no_figure()
    {
        // No EUR rate after 20 February: February's closing rate is missing (more than 7 days old), its average is not.
        var rates = SampleReports.RatesFor(February, r => r.Currency == Currency.EUR && r.Date > new DateOnly(2025, 2, 20));
        var input = SampleReports.Input(6, 14, 7, February, rates: rates);
        var text = SampleReports.Text(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ConsolidatedFile).Content);

        Assert.Equal(
            "\uFEFF" + string.Join(',', ReportCsv.ConsolidatedColumns) + "\r\n2025-02,1,USD,missingRate,EUR,,,closing,,,2025-02-28\r\n",
            text);
    }

    [Fact]
    public void A_top_customer_named_like_a_formula_stays_text_in_consolidated_csv()
    {
        const string formula = "=HYPERLINK(\"x\")";
        var input = SampleReports.Input(40, 14, 3, February, rates: SampleReports.RatesFor(February));
        var group = input.Snapshot.Consolidated!;
        var view = group.View!;
        var top = view.Totals.Concentration.TopCustomers;
        var renamed = view with { Totals = view.Totals with { Concentration = view.Totals.Concentration with { TopCustomers = [top[0] with { CustomerName = formula }, .. top.Skip(1)] } } };
        input = input with { Snapshot = input.Snapshot with { Consolidated = group with { View = renamed } } };

        var rows = ConsolidatedCsv.Read(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ConsolidatedFile).Content);

        Assert.Equal("'" + formula, rows.First(r => r.Section == ReportCsv.TopCustomerSection).Item);
        Assert.DoesNotContain(rows, r => r.Item == formula);
    }

    [Fact]
    public void A_customer_and_an_account_named_like_formulas_stay_text_in_the_journal_files()
    {
        const string formula = "=HYPERLINK(\"x\")";
        var input = SampleReports.Input(20, 14, 3, February);
        var journal = input.Journal!;
        var first = journal.Lines[0];
        var renamed = first with { Contract = first.Contract! with { Customer = first.Contract.Customer with { Name = formula } } };
        input = input with
        {
            Journal = journal with { Lines = [renamed, .. journal.Lines.Skip(1)] },
            JournalAccounts = Application.Journal.JournalAccounts.Default with { Revenue = "+4000 Revenue" },
        };

        var files = ReportCsv.Render(input);
        var detail = SampleReports.Text(files.Single(f => f.Name == ReportCsv.JournalDetailFile).Content);
        var summary = SampleReports.Text(files.Single(f => f.Name == ReportCsv.JournalFile).Content);

        Assert.Contains("'" + formula.Replace("\"", "\"\"", StringComparison.Ordinal), detail, StringComparison.Ordinal);
        Assert.DoesNotContain("," + formula, detail, StringComparison.Ordinal);
        Assert.Contains("'+4000 Revenue", summary, StringComparison.Ordinal);
        Assert.DoesNotContain(",+4000 Revenue", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Contract_detail_parses_back_and_its_column_totals_equal_the_snapshot_totals()
    {
        var input = SampleReports.Input(150, 24, 99, new Period(2025, 9));
        var contracts = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ContractsFile);
        var totals = CsvTotals.OfContracts(contracts.Content);

        Assert.Equal(input.Snapshot.Totals.Select(t => t.Currency.Code), totals.Keys);
        foreach (var total in input.Snapshot.Totals)
        {
            foreach (var column in FigureColumns.All)
            {
                Assert.Equal(column.Value(total.Figures), totals[total.Currency.Code][column.Name]);
            }
        }

        // Negative amounts stay numbers: no apostrophe in front of a minus sign.
        Assert.DoesNotContain(",'-", Encoding.UTF8.GetString(contracts.Content), StringComparison.Ordinal);
        Assert.Contains(",-", Encoding.UTF8.GetString(contracts.Content), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, 3)]
    [InlineData(150, 99)]
    [InlineData(60, 5)]
    public void Receivables_csv_open_balances_less_unapplied_credits_are_each_currencys_receivables(int contracts, int seed)
    {
        var input = SampleReports.Input(contracts, 24, seed, new Period(2025, 9));
        var file = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ReceivablesFile);
        var sums = CsvTotals.Sums(file.Content, "bucket", ["openBalance"]);

        Assert.True(input.Snapshot.Totals.Any(t => t.Figures.Receivables != 0m), "the sample has receivables");
        foreach (var total in input.Snapshot.Totals)
        {
            var f = total.Figures;
            decimal Bucket(string bucket) => sums.TryGetValue((total.Currency.Code, bucket), out var sum) ? sum[0] : 0m;
            var open = ReceivableBuckets.Aging(f).Sum(b => Bucket(b.Bucket));
            var unapplied = -Bucket(ReceivableBuckets.Unapplied);

            Assert.Equal(f.Receivables, open - unapplied);
            Assert.Equal(f.UnappliedCredits, unapplied);
            foreach (var (bucket, amount) in ReceivableBuckets.Aging(f))
            {
                Assert.Equal(amount, Bucket(bucket));
            }
        }
    }

    [Fact]
    public void A_contracts_unapplied_credits_are_a_row_of_their_own_with_minus_the_credits_as_open_balance()
    {
        var input = SampleReports.Input(6, 14, 7, February);
        var paidAhead = input.Contracts.First(c => c.Currency.Code == "USD");
        var credited = paidAhead with { Figures = paidAhead.Figures with { UnappliedCredits = 1250.5m, Receivables = paidAhead.Figures.Receivables - 1250.5m } };
        input = input with { Contracts = [.. input.Contracts.Select(c => c == paidAhead ? credited : c)] };

        var file = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ReceivablesFile);
        var row = SampleReports.Text(file.Content).Split("\r\n").Single(l => l.EndsWith(",unapplied", StringComparison.Ordinal));

        Assert.Equal($"2025-02,1,{paidAhead.ContractId},USD,{paidAhead.Customer.Id},{paidAhead.Customer.Name},,,,,-1250.50,,unapplied", row);
        var sums = CsvTotals.Sums(file.Content, "currency", ["openBalance"]);
        Assert.Equal(input.Contracts.Where(c => c.Currency.Code == "USD").Sum(c => c.Figures.Receivables), sums[("USD", "USD")][0]);
    }

    [Theory]
    [InlineData(9, 3)]
    [InlineData(150, 99)]
    [InlineData(60, 5)]
    public void Forecast_csv_contract_rows_add_up_to_each_currencys_stored_forecast_month_by_month(int contracts, int seed)
    {
        var input = SampleReports.Input(contracts, 24, seed, new Period(2025, 9));
        var file = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ForecastFile);
        var sums = CsvTotals.Sums(file.Content, "month", ["billings", "collections", "revenue"], ("scope", ReportCsv.ContractScope));
        var totals = CsvTotals.Sums(file.Content, "month", ["billings", "collections", "revenue"], ("scope", ReportCsv.TotalScope));

        Assert.Equal(input.Snapshot.Totals.Select(t => t.Currency), input.Snapshot.Forecasts.Select(f => f.Currency));
        foreach (var stored in input.Snapshot.Forecasts)
        {
            var rows = ForecastFormats.Rows(input.Period.Next, stored).ToList();
            Assert.Equal(27, rows.Count);
            foreach (var row in rows)
            {
                var key = (stored.Currency.Code, row.Month);
                Assert.Equal([row.Billings, row.Collections, row.Revenue], sums.TryGetValue(key, out var sum) ? sum : [0m, 0m, 0m]);
                Assert.Equal([row.Billings, row.Collections, row.Revenue], totals[key]);
            }

            var f = ReportInput.TotalsOf(input.Snapshot, stored.Currency)!.Figures;
            Assert.Equal(f.NotYetBilled, rows.Sum(r => r.Billings));
            Assert.Equal(f.Backlog, rows.Sum(r => r.Revenue));
            Assert.Equal(f.AgingCurrent + f.AgingDays1To30 + f.AgingDays31To60 + f.AgingDays61To90 + f.AgingOver90 + f.OverdueBilling + f.ForecastBilling, rows.Sum(r => r.Collections));
        }
    }

    [Theory]
    [InlineData(9, 3, false)]
    [InlineData(150, 99, true)]
    [InlineData(60, 5, true)]
    public void Overdue_csv_deliveries_add_up_to_the_overdue_backlog_and_billing_rows_to_the_overdue_billing(int contracts, int seed, bool late)
    {
        var input = SampleReports.Input(contracts, 24, seed, new Period(2025, 9));
        Assert.Equal(late, input.Snapshot.OverdueDeliveries.Count > 0);
        var file = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.OverdueFile);
        var sums = CsvTotals.Sums(file.Content, "kind", ["amount"]);

        foreach (var total in input.Snapshot.Totals)
        {
            decimal Kind(string kind) => sums.TryGetValue((total.Currency.Code, kind), out var sum) ? sum[0] : 0m;
            Assert.Equal(total.Figures.OverdueBacklog, Kind(ReportCsv.OverdueDeliveryKind));
            Assert.Equal(total.Figures.OverdueBilling, Kind(ReportCsv.OverdueBillingKind));
            Assert.Equal(total.Figures.OverdueBacklog, input.Snapshot.OverdueDeliveries.Where(d => d.Currency == total.Currency).Sum(d => d.Amount));
        }
    }

    [Theory]
    [InlineData(ReportCsv.ReceivablesFile)]
    [InlineData(ReportCsv.OverdueFile)]
    public void A_customer_named_like_a_formula_stays_text_in_the_forward_files(string name)
    {
        const string formula = "=HYPERLINK(\"x\")";
        var input = SampleReports.Input(40, 14, 3, February);
        var file = ReportCsv.Render(input).Single(f => f.Name == name);
        var contractIds = ReadColumn(file, "contractId");
        Assert.NotEmpty(contractIds);
        var contractId = contractIds[0];
        input = input with { Contracts = [.. input.Contracts.Select(c => c.ContractId == contractId ? c with { Customer = c.Customer with { Name = formula } } : c)] };

        var names = ReadColumn(ReportCsv.Render(input).Single(f => f.Name == name), "customerName");

        Assert.Contains("'" + formula, names);
        Assert.DoesNotContain(formula, names);
    }

    private static List<string> ReadColumn(ReportFile file, string name)
    {
        using var text = new StreamReader(new MemoryStream(file.Content), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var reader = CsvReader.Create(text, new CsvReaderOptions(), false);
        reader.ReadHeader();
        var column = reader.GetFieldIndex(name);
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(column));
        }

        return values;
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://attacker.example\",\"click\")")]
    [InlineData("+SUM(A1:A9)")]
    [InlineData("-2+3")]
    [InlineData("@cmd")]
    [InlineData(" =1+1")]
    [InlineData("\u200B=HYPERLINK(\"http://attacker.example\")")]
    [InlineData("\uFEFF+1")]
    [InlineData("\uFF1DSUM(A1)")]
    [InlineData("\uFF0D2+3")]
    public void A_customer_name_that_looks_like_a_formula_stays_text(string name)
    {
        var input = SampleReports.Input(6, 14, 7, February);
        var first = input.Contracts[0];
        input = input with { Contracts = [first with { Customer = first.Customer with { Name = name } }, .. input.Contracts.Skip(1)] };

        var contracts = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ContractsFile);
        using var text = new StreamReader(new MemoryStream(contracts.Content), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var reader = CsvReader.Create(text, new CsvReaderOptions(), false);
        reader.ReadHeader();
        var column = reader.GetFieldIndex("customerName");
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(column));
        }

        var written = names.Single(n => n.Contains(name.TrimStart('=', '+', '-', '@'), StringComparison.Ordinal));
        Assert.NotEqual(name[0], written[0]);
        Assert.EndsWith(name, written, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_amount_has_the_currencys_digits_in_invariant_culture()
    {
        var input = SampleReports.Input(40, 14, 3, February);
        var rpo = Encoding.UTF8.GetString(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.RpoFile).Content);
        foreach (var line in rpo.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var fields = line.Split(',');
            var currency = Currency.Of(fields[2]);
            var amount = fields[^1];
            Assert.Equal(currency.MinorUnit, amount.Contains('.', StringComparison.Ordinal) ? amount.Length - amount.IndexOf('.', StringComparison.Ordinal) - 1 : 0);
            _ = decimal.Parse(amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        Assert.Contains($",waterfall,{EventJson.Iso(February.LastDay.AddMonthsKeepingMonthEnd(1))[..7]},", rpo, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_csv_lists_the_months_targets_as_stored_then_the_fiscal_quarter_and_year_it_ends()
    {
        // Fiscal years start in April: March 2025 ends FY2025-Q4 and FY2025.
        var march = new Period(2025, 3);
        var input = SampleReports.Input(6, 14, 7, march, fiscalYearStartMonth: 4);
        var quarter = ReportInput.TotalsOf(input.SnapshotOf(ReportingPeriod.Parse("FY2025-Q4", 4)), Currency.USD)!.Figures;
        var year = ReportInput.TotalsOf(input.SnapshotOf(ReportingPeriod.Parse("FY2025", 4)), Currency.USD)!.Figures;
        Assert.True(quarter.Revenue > 0m && year.Bookings > 0m, "the sample has USD revenue and bookings");
        input = input with
        {
            Snapshot = input.Snapshot with
            {
                TargetsVersion = 3,
                Targets =
                [
                    new("2025-03", Currency.USD, TargetFigure.Revenue, 200000m, 190000m),
                    new("2025-03", Currency.JPY, TargetFigure.Bookings, 0m, 5000m),
                    new("2025-03", Currency.KWD, TargetFigure.Backlog, 1000m, 1012.345m),
                ],
            },
            Plan = new TargetVersion(3, new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero),
            [
                new("2025-03", Currency.USD, TargetFigure.Revenue, 200000m),
                new("FY2025-Q4", Currency.USD, TargetFigure.Revenue, 1000m),
                new("FY2025", Currency.USD, TargetFigure.Bookings, 2000m),
                new("FY2025", Currency.Of("CHF"), TargetFigure.Arr, 500m),
                new("2025-Q1", Currency.USD, TargetFigure.Revenue, 9m),
            ]),
        };

        var text = SampleReports.Text(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.TargetsFile).Content);

        string Pct(decimal variance, decimal target) => Math.Round(variance / target, 4, MidpointRounding.AwayFromZero).ToString("0.0000", CultureInfo.InvariantCulture);
        string Usd(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
        Assert.Equal(
            "\uFEFFperiod,currency,figure,target,actual,variance,variancePct\r\n" +
            "2025-03,USD,revenue,200000.00,190000.00,-10000.00,-0.0500\r\n" +
            "2025-03,JPY,bookings,0,5000,5000,n/a\r\n" +
            "2025-03,KWD,backlog,1000.000,1012.345,12.345,0.0123\r\n" +
            $"FY2025-Q4,USD,revenue,1000.00,{Usd(quarter.Revenue)},{Usd(quarter.Revenue - 1000m)},{Pct(quarter.Revenue - 1000m, 1000m)}\r\n" +
            $"FY2025,USD,bookings,2000.00,{Usd(year.Bookings)},{Usd(year.Bookings - 2000m)},{Pct(year.Bookings - 2000m, 2000m)}\r\n" +
            "FY2025,CHF,arr,500.00,0.00,-500.00,-1.0000\r\n",
            text);
    }

    [Fact]
    public void Targets_csv_has_the_quarters_targets_with_actual_na_when_a_month_of_it_is_not_closed()
    {
        var march = new Period(2025, 3);
        var input = SampleReports.Input(6, 14, 7, march);
        input = input with
        {
            EarlierPeriods = [.. input.EarlierPeriods.Where(s => s.Period != new Period(2025, 2))],
            Plan = new TargetVersion(1, new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero), [new("2025-Q1", Currency.EUR, TargetFigure.Billings, 750.5m)]),
        };

        var text = SampleReports.Text(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.TargetsFile).Content);

        Assert.Equal("\uFEFFperiod,currency,figure,target,actual,variance,variancePct\r\n2025-Q1,EUR,billings,750.50,n/a,n/a,n/a\r\n", text);
    }

    [Fact]
    public void Alerts_csv_has_every_check_as_stored_with_numbers_as_numbers_and_names_that_stay_text()
    {
        const string formula = "=HYPERLINK(\"x\")";
        var input = SampleReports.Input(6, 14, 7, February);
        AlertRule Rule(string name, string figure, AlertOperator op, decimal threshold, AlertSeverity severity) => new(name, figure, AlertRule.EachCurrency, op, threshold, 1, severity);
        input = input with
        {
            Snapshot = input.Snapshot with
            {
                Alerts =
                [
                    new("2025-02|v1|Backlog down|USD", Rule("Backlog down", AlertRule.BacklogChange, AlertOperator.Less, -0.10m, AlertSeverity.Critical), "USD", -0.125m, true, "-0.125 < -0.1"),
                    new("2025-02|v1|GRR below 0.9|EUR", Rule("GRR below 0.9", "grr", AlertOperator.Less, 0.9m, AlertSeverity.Critical), "EUR", null, false, "n/a: no revenue a year ago"),
                    new("2025-02|v1|Overdue backlog|KWD", Rule("Overdue backlog", "overdueBacklog", AlertOperator.Greater, 0m, AlertSeverity.Warning), "KWD", 1234.5m, true, "1234.5 > 0"),
                    new($"2025-02|v1|{formula}|JPY", Rule(formula, "backlogRatio", AlertOperator.Less, 6m, AlertSeverity.Warning), "JPY", 7.25m, false, "not 7.25 < 6"),
                ],
            },
        };

        var file = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.AlertsFile);
        var lines = SampleReports.Text(file.Content).Split("\r\n");

        Assert.Equal("\uFEFFid,name,figure,currency,operator,threshold,actual,fired,severity,note", lines[0]);
        Assert.Equal("2025-02|v1|Backlog down|USD,Backlog down,backlogChangePct,USD,<,-0.1,-0.125,true,critical,\"'-0.125 < -0.1\"", lines[1]);
        Assert.Equal("2025-02|v1|GRR below 0.9|EUR,GRR below 0.9,grr,EUR,<,0.9,n/a,false,critical,n/a: no revenue a year ago", lines[2]);
        Assert.Equal("2025-02|v1|Overdue backlog|KWD,Overdue backlog,overdueBacklog,KWD,>,0.000,1234.500,true,warning,1234.5 > 0", lines[3]);
        Assert.Equal(6, lines.Length);
        Assert.Equal("", lines[5]);
        Assert.Equal("'" + formula, ReadColumn(file, "name")[3]);
        Assert.DoesNotContain(formula, ReadColumn(file, "name"));
        Assert.EndsWith(",backlogRatio,JPY,<,6,7.25,false,warning,not 7.25 < 6", lines[4], StringComparison.Ordinal);
    }
}
