using System.Globalization;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Cli;

namespace BacklogFunctions.Cli.Tests;

/// <summary>The <c>backlog</c> command end to end: arguments in, standard output and error and exit code out.</summary>
public sealed class BacklogCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("backlog-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => RunWithInput(null, args);

    private static (int Exit, string Out, string Err) RunWithInput(string? stdin, params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run(args, stdout, stderr, () => new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? string.Empty)), showProgress: false);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string Sample(int contracts = 60, int months = 24, int seed = 5)
    {
        var path = Path.Combine(_directory, $"events-{contracts}-{months}-{seed}.ndjson");
        var (exit, output, error) = Run("sample", "--contracts", $"{contracts}", "--months", $"{months}", "--seed", $"{seed}");
        Assert.True(exit == 0, error);
        File.WriteAllText(path, output);
        return path;
    }

    [Fact]
    public void Sample_is_deterministic_per_seed_and_one_event_per_line()
    {
        var first = Run("sample", "--contracts", "30", "--months", "12", "--seed", "9").Out;
        var again = Run("sample", "--contracts", "30", "--months", "12", "--seed", "9").Out;
        var other = Run("sample", "--contracts", "30", "--months", "12", "--seed", "10").Out;

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        foreach (var line in first.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("id").ValueKind);
        }
    }

    [Fact]
    public void Snapshot_json_has_money_as_strings_totals_per_currency_and_contracts_that_add_up()
    {
        var events = Sample();

        var (exit, output, error) = Run("snapshot", "--events", events, "--period", "2025-06", "--format", "json");

        Assert.True(exit == 0, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal("2025-06", root.GetProperty("period").GetString());
        Assert.Equal("2025-06-30", root.GetProperty("asOf").GetString());
        var totals = root.GetProperty("totals").EnumerateArray().ToList();
        var contracts = root.GetProperty("contracts").EnumerateArray().ToList();
        Assert.NotEmpty(totals);
        string[] names = ["tcv", "recognizedToDate", "billedToDate", "collectedToDate", "backlog", "deferredRevenue", "unbilledReceivable", "bookings", "expansions", "contractions", "cancellations", "revenue", "billings", "collections", "backlogRatio", "backlogRatioTtm", "rpoCurrent", "rpoNonCurrent"];
        foreach (var total in totals)
        {
            var currency = total.GetProperty("currency").GetString()!;
            foreach (var name in names)
            {
                Assert.Equal(JsonValueKind.String, total.GetProperty(name).ValueKind);
            }

            foreach (var figure in new[] { "tcv", "backlog", "revenue", "deferredRevenue", "unbilledReceivable", "billings" })
            {
                var sum = contracts.Where(c => c.GetProperty("currency").GetString() == currency).Sum(c => Money(c, figure));
                Assert.Equal(Money(total, figure), sum);
            }

            Assert.Equal("0" + (currency == "JPY" ? "" : currency == "KWD" ? ".000" : ".00"), total.GetProperty("rollForward").GetProperty("backlog").GetProperty("difference").GetString());
        }

        Assert.All(contracts, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("contractId").GetString())));
    }

    [Fact]
    public void Snapshot_as_of_a_day_and_policies_are_accepted()
    {
        var events = Sample();

        var (exit, output, error) = Run("snapshot", "--events", events, "--as-of", "2025-06-15", "--proration", "monthly-prorated", "--deferred-basis", "collected", "--format", "json");

        Assert.True(exit == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("2025-06-15", document.RootElement.GetProperty("asOf").GetString());
        Assert.Equal("2025-05-31", document.RootElement.GetProperty("openingDate").GetString());
        Assert.Equal("collected", document.RootElement.GetProperty("policy").GetProperty("deferredBasis").GetString());
        Assert.Equal("monthly-prorated", document.RootElement.GetProperty("policy").GetProperty("proration").GetString());
    }

    [Theory]
    [InlineData(null, "91463.41")]
    [InlineData("3", "91200.00")]
    public void Progress_decimals_round_the_progress_ratio_IFRS15_example_8(string? decimals, string revenue)
    {
        var events = Path.Combine(_directory, "progress.ndjson");
        File.WriteAllLines(events,
        [
            """{"id":"e1","type":"contract.signed","occurredAt":"2026-01-05T12:00:00Z","contractId":"C-8","data":{"signedDate":"2026-01-05","currency":"USD","customer":{"id":"K","name":"Builder"},"lines":[{"lineId":"B1","amount":"1000000.00","recognition":"progress","measure":"cost","estimatedTotal":"700000"}]}}""",
            """{"id":"e2","type":"progress.reported","occurredAt":"2026-12-31T12:00:00Z","contractId":"C-8","data":{"lineId":"B1","date":"2026-12-31","toDate":"420000"}}""",
            """{"id":"e3","type":"contract.amended","occurredAt":"2027-02-10T12:00:00Z","contractId":"C-8","data":{"effectiveDate":"2027-02-10","lines":[{"lineId":"B1","amount":"1350000.00","recognition":"progress","measure":"cost","estimatedTotal":"820000"}]}}""",
        ]);
        string[] args = ["snapshot", "--events", events, "--period", "2027-02", "--format", "json"];

        var (exit, output, error) = Run(decimals is null ? args : [.. args, "--progress-decimals", decimals]);

        Assert.True(exit == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(revenue, document.RootElement.GetProperty("contracts")[0].GetProperty("revenue").GetString());

        // The explanation shows the ratio used and the catch-up of the amended amount.
        string[] explain = ["explain", "--events", events, "--period", "2027-02", "--contract", "C-8"];
        var explained = Run(decimals is null ? explain : [.. explain, "--progress-decimals", decimals]);
        Assert.True(explained.Exit == 0, explained.Err);
        var ratio = decimals is null ? "0.512195122" : "0.512";
        var catchUp = decimal.Parse(revenue, CultureInfo.InvariantCulture).ToString("N2", CultureInfo.InvariantCulture);
        Assert.Contains($"    progress from 2027-02-10: 1,350,000.00 x {ratio} - 600,000.00 = ", explained.Out, StringComparison.Ordinal);
        Assert.Contains($"revenue {catchUp}", explained.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_table_shows_the_roll_forwards_per_currency()
    {
        var (exit, output, _) = Run("snapshot", "--events", Sample(), "--period", "2025-06");

        Assert.Equal(0, exit);
        Assert.Contains("Month-end snapshot 2025-06", output, StringComparison.Ordinal);
        Assert.Contains("Backlog roll-forward", output, StringComparison.Ordinal);
        Assert.Contains("USD", output, StringComparison.Ordinal);

        // The forward view and the KPIs of each currency, with the figures the JSON gives.
        var json = System.Text.Json.JsonDocument.Parse(Run("snapshot", "--events", Sample(), "--period", "2025-06", "--format", "json").Out).RootElement;
        var usd = json.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("currency").GetString() == "USD");
        var block = output[output.IndexOf("USD —", StringComparison.Ordinal)..];
        block = block.Contains("\n\n", StringComparison.Ordinal) ? block[..block.IndexOf("\n\n", StringComparison.Ordinal)] : block;
        Assert.Contains("Forward view", block, StringComparison.Ordinal);
        Assert.Matches($@"    book-to-bill +{System.Text.RegularExpressions.Regex.Escape(usd.GetProperty("bookToBill").GetString()!)} ", block);
        Assert.Matches($@"    ARR +{System.Text.RegularExpressions.Regex.Escape(Application.Presentation.SnapshotTable.Money(Domain.Money.Currency.USD, decimal.Parse(usd.GetProperty("arr").GetString()!, CultureInfo.InvariantCulture)))}", block);
    }

    [Fact]
    public void Invalid_events_are_reported_one_per_line_with_id_and_field_and_nothing_is_written()
    {
        var valid = File.ReadAllLines(Sample(contracts: 5, months: 6));
        var broken = valid.Take(3)
            .Append("""{"id":"evt_bad","type":"invoice.issued","occurredAt":"2024-02-01T00:00:00Z","contractId":"C-000001","data":{"invoiceId":"I-9","issueDate":"2024-02-30","amount":"12.5"}}""")
            .Append("not json")
            .Concat(valid.Skip(3));

        var (exit, output, error) = RunWithInput(string.Join('\n', broken), "snapshot", "--events", "-", "--period", "2024-06", "--format", "json");

        Assert.Equal(BacklogCommand.InvalidEvents, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("line 4: event evt_bad: data.issueDate: '2024-02-30' is not a date", error, StringComparison.Ordinal);
        Assert.Contains("line 5: event (no id): $: malformed JSON", error, StringComparison.Ordinal);
        Assert.Contains("nothing was computed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_that_do_not_fit_together_are_refused_too()
    {
        const string orphan = """{"id":"evt_1","type":"delivery.completed","occurredAt":"2024-02-01T00:00:00Z","contractId":"C-9","data":{"lineId":"L1","date":"2024-02-01"}}""";

        var (exit, output, error) = RunWithInput(orphan, "snapshot", "--events", "-", "--period", "2024-06");

        Assert.Equal(BacklogCommand.InvalidEvents, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("no contract.signed event", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Amounts_are_checked_against_the_currency_of_their_contract()
    {
        const string events = """
            {"id":"s1","type":"contract.signed","occurredAt":"2024-01-02T00:00:00Z","contractId":"C-JPY","data":{"signedDate":"2024-01-02","currency":"JPY","customer":{"id":"K1","name":"Kaisha"},"lines":[{"lineId":"L1","amount":"120000","recognition":"ratable","serviceStart":"2024-01-01","serviceEnd":"2024-12-31"}]}}
            {"id":"i1","type":"invoice.issued","occurredAt":"2024-01-03T00:00:00Z","contractId":"C-JPY","data":{"invoiceId":"I-1","issueDate":"2024-01-03","amount":"10000.5"}}
            """;

        var (exit, output, error) = RunWithInput(events, "snapshot", "--events", "-", "--period", "2024-01");

        Assert.Equal(BacklogCommand.InvalidEvents, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("line 2: event i1: data.amount: 10000.5 has 1 fraction digits; JPY allows 0", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("snapshot", "--period", "2025-06", "--as-of", "2025-06-30")]
    [InlineData("snapshot")]
    [InlineData("snapshot", "--period", "2025-13")]
    [InlineData("snapshot", "--period", "2025-06", "--format", "xml")]
    [InlineData("snapshot", "--period", "2025-06", "--proration", "weekly")]
    [InlineData("snapshot", "--period", "2025-06", "--progress-decimals", "11")]
    [InlineData("snapshot", "--period", "2025-06", "--progress-decimals", "three")]
    [InlineData("sample", "--months", "0")]
    public void Bad_arguments_fail_with_a_message(params string[] args)
    {
        var withEvents = args[0] == "snapshot" ? args.Append("--events").Append(Path.Combine(_directory, "none.ndjson")).ToArray() : args;

        var (exit, output, error) = Run(withEvents);

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("tcv", output, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Long_runs_show_progress_on_standard_error_only_when_asked_to()
    {
        var events = Sample(contracts: 1200, months: 12);
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);

        var exit = BacklogCommand.Run(["snapshot", "--events", events, "--period", "2024-12", "--format", "json"], stdout, stderr, () => Stream.Null, showProgress: true);
        var quiet = Run("snapshot", "--events", events, "--period", "2024-12", "--format", "json");

        Assert.Equal(0, exit);
        Assert.Contains("1,200 / 1,200 contracts (100%)", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, quiet.Err);
        Assert.Equal(quiet.Out, stdout.ToString());
    }

    [Fact]
    public void A_missing_events_file_is_a_clear_error()
    {
        var (exit, _, error) = Run("snapshot", "--events", Path.Combine(_directory, "missing.ndjson"), "--period", "2025-06");

        Assert.NotEqual(0, exit);
        Assert.Contains("cannot read events", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" =1+1")]
    [InlineData("\\u200B=1+1")]
    [InlineData("\\uFEFF+1")]
    [InlineData("\\uFF1D1+1")]
    [InlineData("\\uFF20SUM(A1)")]
    public void Csv_neutralizes_formulas_hidden_behind_ignored_or_full_width_characters(string escapedName)
    {
        var lines = File.ReadAllLines(Sample(contracts: 3, months: 6)).ToList();
        var signing = lines.First(l => l.Contains("contract.signed", StringComparison.Ordinal));
        var name = JsonDocument.Parse(signing).RootElement.GetProperty("data").GetProperty("customer").GetProperty("name").GetString()!;
        lines[lines.IndexOf(signing)] = signing.Replace($"\"name\":\"{name}\"", $"\"name\":\"{escapedName}\"", StringComparison.Ordinal);
        var decoded = JsonSerializer.Deserialize<string>($"\"{escapedName}\"")!;

        var (exit, output, error) = RunWithInput(string.Join('\n', lines), "snapshot", "--events", "-", "--period", "2024-06", "--format", "csv");

        Assert.True(exit == 0, error);
        Assert.Contains(",'" + decoded + ",", output, StringComparison.Ordinal);
        Assert.DoesNotContain("," + decoded + ",", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_in_an_events_file_exits_2_with_its_line_and_field()
    {
        var lines = File.ReadAllLines(Sample(contracts: 3, months: 6)).ToList();
        var signing = lines.First(l => l.Contains("contract.signed", StringComparison.Ordinal));
        var name = JsonDocument.Parse(signing).RootElement.GetProperty("data").GetProperty("customer").GetProperty("name").GetString()!;
        var index = lines.IndexOf(signing);
        lines[index] = signing.Replace($"\"name\":\"{name}\"", "\"name\":\"bad\\ud800\"", StringComparison.Ordinal);
        var file = Path.Combine(_directory, "surrogate.ndjson");
        File.WriteAllLines(file, lines);

        var (exit, output, error) = Run("snapshot", "--events", file, "--period", "2024-06");

        Assert.Equal(BacklogCommand.InvalidEvents, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"line {index + 1}: ", error, StringComparison.Ordinal);
        Assert.Contains("data.customer.name: is not valid text", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_has_fixed_columns_and_neutralizes_formulas_in_customer_names()
    {
        var lines = File.ReadAllLines(Sample(contracts: 3, months: 6)).ToList();
        var signing = lines.First(l => l.Contains("contract.signed", StringComparison.Ordinal));
        var name = JsonDocument.Parse(signing).RootElement.GetProperty("data").GetProperty("customer").GetProperty("name").GetString()!;
        lines[lines.IndexOf(signing)] = signing.Replace($"\"name\":\"{name}\"", "\"name\":\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"", StringComparison.Ordinal);

        var (exit, output, error) = RunWithInput(string.Join('\n', lines), "snapshot", "--events", "-", "--period", "2024-06", "--format", "csv");

        Assert.True(exit == 0, error);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("scope,period,asOf,currency,contractId,customerId,customerName", rows[0], StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r.Contains(",=HYPERLINK", StringComparison.Ordinal) || r.Contains(",\"=HYPERLINK", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Equal(rows[0].Split(',').Length, CountFields(r)));
    }

    [Fact]
    public void Waterfall_adds_up_to_the_closing_backlog()
    {
        var events = Sample();
        using var snapshot = JsonDocument.Parse(Run("snapshot", "--events", events, "--period", "2025-06", "--format", "json").Out);

        var (exit, output, error) = Run("waterfall", "--events", events, "--period", "2025-06", "--format", "json");

        Assert.True(exit == 0, error);
        using var document = JsonDocument.Parse(output);
        foreach (var waterfall in document.RootElement.GetProperty("waterfalls").EnumerateArray())
        {
            var currency = waterfall.GetProperty("currency").GetString();
            var months = waterfall.GetProperty("months").EnumerateArray().ToList();
            Assert.Equal(24, months.Count);
            Assert.Equal("2025-07", months[0].GetProperty("month").GetString());
            var backlog = Money(snapshot.RootElement.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("currency").GetString() == currency), "backlog");
            Assert.Equal(backlog, months.Sum(m => Money(m, "amount")) + Money(waterfall, "later"));
        }
    }

    [Fact]
    public void Forecast_puts_billings_collections_and_revenue_side_by_side_and_each_adds_up()
    {
        var events = Sample();
        using var snapshot = JsonDocument.Parse(Run("snapshot", "--events", events, "--period", "2025-06", "--format", "json").Out);

        var (exit, output, error) = Run("forecast", "--events", events, "--period", "2025-06", "--format", "json");

        Assert.True(exit == 0, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal("2025-06-30", root.GetProperty("asOf").GetString());
        var totals = root.GetProperty("totals").EnumerateArray().ToList();
        var contracts = root.GetProperty("contracts").EnumerateArray().ToList();
        Assert.NotEmpty(totals);
        foreach (var total in totals)
        {
            var currency = total.GetProperty("currency").GetString();
            var figures = snapshot.RootElement.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("currency").GetString() == currency);
            foreach (var series in new[] { "billingsForecast", "collectionsForecast", "revenueWaterfall" })
            {
                var months = total.GetProperty(series).EnumerateArray().ToList();
                Assert.Equal(24, months.Count);
                Assert.Equal("2025-07", months[0].GetProperty("month").GetString());
                Assert.Equal("2027-06", months[23].GetProperty("month").GetString());
            }

            decimal Sum(JsonElement line, string series, string later) => line.GetProperty(series).EnumerateArray().Sum(m => Money(m, "amount")) + Money(line, later);

            // Not yet billed = overdue billing + Σ forecast + unscheduled; the waterfall is the backlog.
            Assert.Equal(Money(figures, "tcv") - Money(figures, "billedToDate"), Money(total, "overdueBilling") + Sum(total, "billingsForecast", "billingsLater") + Money(total, "unscheduledBilling"));
            Assert.Equal(Money(figures, "backlog"), Sum(total, "revenueWaterfall", "revenueLater"));

            // The totals are the sums of the contracts.
            var own = contracts.Where(c => c.GetProperty("currency").GetString() == currency).ToList();
            Assert.All(own, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("contractId").GetString())));
            foreach (var figure in new[] { "overdueBilling", "unscheduledBilling", "collectionsOverdue", "billingsLater", "collectionsLater", "revenueLater" })
            {
                Assert.Equal(Money(total, figure), own.Sum(c => Money(c, figure)));
            }
        }

        var csv = Run("forecast", "--events", events, "--period", "2025-06", "--format", "csv").Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("scope,asOf,currency,contractId,month,billings,collections,revenue", csv[0]);
        Assert.Equal((totals.Count + contracts.Count) * 27, csv.Length - 1);
        Assert.Contains("Forecast as of 2025-06-30", Run("forecast", "--events", events, "--period", "2025-06").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2025-Q2", 1, "2025-04", "2025-06")]
    [InlineData("FY2025", 7, "2024-07", "2025-06")]
    [InlineData("FY2025-Q3", 7, "2025-01", "2025-03")]
    public void A_quarter_or_fiscal_year_opens_from_the_month_before_and_sums_its_months_flows(string span, int fiscalStart, string first, string last)
    {
        var events = Sample();
        JsonElement Totals(string period, string currency)
        {
            using var month = JsonDocument.Parse(Run("snapshot", "--events", events, "--period", period, "--format", "json").Out);
            return month.RootElement.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("currency").GetString() == currency).Clone();
        }

        var (exit, output, error) = Run("snapshot", "--events", events, "--period", span, "--fiscal-year-start-month", $"{fiscalStart}", "--format", "json");

        Assert.True(exit == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(span, document.RootElement.GetProperty("period").GetString());
        var firstMonth = DateOnly.ParseExact(first + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var months = Enumerable.Range(0, 12).Select(firstMonth.AddMonths).TakeWhile(m => string.CompareOrdinal(m.ToString("yyyy-MM", CultureInfo.InvariantCulture), last) <= 0).Select(m => m.ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();
        foreach (var total in document.RootElement.GetProperty("totals").EnumerateArray())
        {
            var currency = total.GetProperty("currency").GetString()!;
            var monthly = months.Select(m => Totals(m, currency)).ToList();
            Assert.Equal(Money(monthly[0], "openingBacklog"), Money(total, "openingBacklog"));
            Assert.Equal(Money(monthly[^1], "backlog"), Money(total, "backlog"));
            foreach (var flow in new[] { "bookings", "expansions", "contractions", "cancellations", "revenue", "billings", "collections" })
            {
                Assert.Equal(monthly.Sum(m => Money(m, flow)), Money(total, flow));
            }
        }

        Assert.Contains($"Snapshot {span}", Run("snapshot", "--events", events, "--period", span, "--fiscal-year-start-month", $"{fiscalStart}").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--period", "2025-Q5", "a quarter (2026-Q4)")]
    [InlineData("--fiscal-year-start-month", "13", "must be 1-12")]
    public void A_period_that_is_not_one_is_refused(string option, string value, string expected)
    {
        var events = Sample(contracts: 5, months: 3);
        var args = option == "--period" ? new[] { "snapshot", "--events", events, "--period", value } : ["snapshot", "--events", events, "--period", "FY2025", option, value];

        var (exit, output, error) = Run(args);

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("openingBacklog", output, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static decimal Money(JsonElement element, string name) =>
        decimal.Parse(element.GetProperty(name).GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static int CountFields(string row)
    {
        var count = 1;
        var quoted = false;
        foreach (var c in row)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                count++;
            }
        }

        return count;
    }
}
