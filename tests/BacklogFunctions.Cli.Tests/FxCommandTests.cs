using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Cli;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Cli.Tests;

/// <summary><c>backlog sample --fx-rates</c> and the arguments of <c>backlog fx</c> (the calls to the program are in the integration tests).</summary>
public sealed class FxCommandTests : IDisposable
{
    private const string Key = "read-key-0123456789abcdef";

    private readonly string _directory = Directory.CreateTempSubdirectory("backlog-fx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Out, string Err) Run(string? key, params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run(args, stdout, stderr, () => Stream.Null, showProgress: false, name => name == PeriodsCommand.KeyVariable ? key : null, TimeProvider.System);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Sample_writes_its_rate_file_beside_events_that_do_not_change()
    {
        var path = Path.Combine(_directory, "fx-rates.csv");

        var with = Run(null, "sample", "--contracts", "40", "--months", "12", "--seed", "9", "--start", "2025-01", "--fx-rates", path);
        var without = Run(null, "sample", "--contracts", "40", "--months", "12", "--seed", "9", "--start", "2025-01");

        Assert.True(with.Exit == 0, with.Err);
        Assert.Equal(without.Out, with.Out);
        using var expected = new StringWriter(CultureInfo.InvariantCulture);
        FxRateFile.Write(expected, SampleFxRates.Generate(new SampleSpec(40, 12, 9, new Period(2025, 1))));
        var written = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetBytes(expected.ToString()), written);
        Assert.StartsWith("date,currency,rate\n2024-12-02,EUR,", Encoding.UTF8.GetString(written), StringComparison.Ordinal);
        Assert.True(FxRateFile.Parse(written, Currency.USD).IsValid);
    }

    [Fact]
    public void Sample_says_when_it_cannot_write_the_rate_file()
    {
        var (exit, output, error) = Run(null, "sample", "--contracts", "1", "--months", "1", "--fx-rates", Path.Combine(_directory, "missing", "fx.csv"));

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("cannot write the FX rates to", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_needs_the_key_from_the_environment()
    {
        var (exit, _, error) = Run(null, "fx", "import", "--file", Path.Combine(_directory, "fx.csv"), "--url", "http://127.0.0.1:9");

        Assert.Equal(1, exit);
        Assert.Contains("set BACKLOG_READ_KEY", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_says_when_the_file_cannot_be_read()
    {
        var (exit, _, error) = Run(Key, "fx", "import", "--file", Path.Combine(_directory, "missing.csv"), "--url", "http://127.0.0.1:9");

        Assert.Equal(1, exit);
        Assert.Contains("cannot read the rate file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_and_list_say_when_the_program_cannot_be_reached()
    {
        var path = Path.Combine(_directory, "fx.csv");
        File.WriteAllText(path, "date,currency,rate\n2026-11-30,EUR,1.08\n");
        var url = $"http://127.0.0.1:{ClosedPort()}";

        var import = Run(Key, "fx", "import", "--file", path, "--url", url);
        var list = Run(Key, "fx", "list", "--url", url);

        Assert.Equal((FxCommand.Refused, FxCommand.Refused), (import.Exit, list.Exit));
        Assert.Contains("cannot reach the program", import.Err, StringComparison.Ordinal);
        Assert.Contains("cannot reach the program", list.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fx", "import", "--url", "http://127.0.0.1:9")]
    [InlineData("fx", "import", "--file", "fx.csv")]
    [InlineData("fx", "import", "--file", "fx.csv", "--url", "127.0.0.1:9")]
    [InlineData("fx", "import", "--file", "fx.csv", "--url", "ftp://127.0.0.1:9")]
    [InlineData("fx", "list", "--url", "http://127.0.0.1:9", "--from", "2026-11-31")]
    [InlineData("fx", "list", "--url", "http://127.0.0.1:9", "--to", "30.11.2026")]
    [InlineData("fx")]
    public void Bad_arguments_fail_with_a_message(params string[] args)
    {
        var (exit, output, error) = Run(Key, args);

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("uploaded at", output, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void Snapshot_waterfall_and_forecast_add_the_group_figures_from_a_rate_file()
    {
        var events = Path.Combine(_directory, "events.ndjson");
        var rates = Path.Combine(_directory, "fx.csv");
        var sample = Run(null, "sample", "--contracts", "30", "--months", "12", "--seed", "5", "--start", "2025-01", "--fx-rates", rates);
        File.WriteAllText(events, sample.Out);

        var month = Run(null, "snapshot", "--events", events, "--period", "2025-11", "--fx-rates", rates, "--reporting-currency", "USD", "--format", "json");
        var quarter = Run(null, "snapshot", "--events", events, "--period", "2025-Q3", "--fx-rates", rates, "--reporting-currency", "USD", "--format", "json");
        var waterfall = Run(null, "waterfall", "--events", events, "--period", "2025-11", "--fx-rates", rates, "--reporting-currency", "USD", "--format", "csv");
        var forecast = Run(null, "forecast", "--events", events, "--period", "2025-11", "--fx-rates", rates, "--reporting-currency", "USD");

        Assert.True(month.Exit == 0, month.Err);
        using var json = System.Text.Json.JsonDocument.Parse(month.Out);
        var group = json.RootElement.GetProperty("consolidated");
        Assert.Equal("USD", group.GetProperty("currency").GetString());
        var backlog = decimal.Parse(group.GetProperty("backlog").GetString()!, CultureInfo.InvariantCulture);
        var translated = group.GetProperty("byCurrency").EnumerateArray().Sum(t => decimal.Parse(t.GetProperty("backlog").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(backlog, translated);
        Assert.Equal("0.00", group.GetProperty("rollForward").GetProperty("backlog").GetProperty("difference").GetString());
        Assert.True(quarter.Exit == 0, quarter.Err);
        Assert.Equal("0.00", System.Text.Json.JsonDocument.Parse(quarter.Out).RootElement.GetProperty("consolidated").GetProperty("rollForward").GetProperty("backlog").GetProperty("difference").GetString());
        Assert.Contains("\nconsolidated,USD,2025-12,", waterfall.Out.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Group USD", forecast.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_month_without_its_rates_names_them_and_the_currency_figures_stand()
    {
        var events = Path.Combine(_directory, "events.ndjson");
        var rates = Path.Combine(_directory, "fx.csv");
        File.WriteAllText(events, Run(null, "sample", "--contracts", "30", "--months", "12", "--seed", "5", "--start", "2025-01").Out);
        File.WriteAllText(rates, "date,currency,rate\n2025-11-28,EUR,1.05\n");

        var (exit, output, error) = Run(null, "snapshot", "--events", events, "--period", "2025-11", "--fx-rates", rates, "--reporting-currency", "USD");

        Assert.True(exit == 0, error);
        Assert.Contains("Group in USD: not available, rates missing: EUR closing rate of 2025-10-31", output, StringComparison.Ordinal);
        Assert.Contains("JPY closing rate of 2025-11-30, JPY average rate of 2025-11-30", output, StringComparison.Ordinal);
        Assert.Contains("EUR — ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("date,currency,rate\n2025-11-31,EUR,1.05\n", "line 2, date")]
    [InlineData("date,currency,rate\n2025-11-28,EUR,-1\n", "line 2, rate")]
    [InlineData("day,currency,rate\n", "line 1, header")]
    public void A_bad_rate_file_is_refused_by_line_and_field_and_nothing_is_computed(string file, string expected)
    {
        var events = Path.Combine(_directory, "events.ndjson");
        var rates = Path.Combine(_directory, "fx.csv");
        File.WriteAllText(events, Run(null, "sample", "--contracts", "5", "--months", "3", "--start", "2025-01").Out);
        File.WriteAllText(rates, file);

        var (exit, output, error) = Run(null, "snapshot", "--events", events, "--period", "2025-02", "--fx-rates", rates, "--reporting-currency", "USD");

        Assert.Equal(BacklogCommand.InvalidEvents, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--fx-rates", "fx.csv")]
    [InlineData("--reporting-currency", "USD")]
    public void Rates_and_reporting_currency_go_together(string option, string value)
    {
        var (exit, _, error) = Run(null, "snapshot", "--events", "-", "--period", "2025-02", option, value);

        Assert.NotEqual(0, exit);
        Assert.Contains("give --fx-rates and --reporting-currency together", error, StringComparison.Ordinal);
    }
}
