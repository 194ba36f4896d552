using System.Globalization;
using System.Text.Json;
using BacklogFunctions.Cli;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The sample's plan end to end on a real Azurite over HTTP (alerts.md): <c>backlog sample --targets</c> writes it,
/// <c>backlog targets</c> uploads it before the months are closed, the timer closes them, and every stored target is
/// within the sample's band of the close's own actual — months, a quarter, consolidated USD included; <c>backlog
/// alerts</c> prints what the close evaluated.
/// </summary>
public sealed class TargetsCliTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("targets-cli-").FullName;
    private ClosingProgram _program = null!;

    public async Task InitializeAsync() => _program = await ClosingProgram.StartAsync(new DateTimeOffset(2026, 5, 2, 3, 0, 0, TimeSpan.Zero), "--Close:ReportingCurrency", "USD");

    public async Task DisposeAsync()
    {
        try
        {
            await _program.DisposeAsync();
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_sample_plan_uploaded_before_the_close_is_compared_with_the_close_and_alerts_print_what_it_evaluated()
    {
        var url = _program.Client.BaseAddress!.ToString();
        var rates = Path.Combine(_directory, "fx-rates.csv");
        var targets = Path.Combine(_directory, "targets.csv");
        var sample = await CliAsync("sample", "--contracts", "40", "--months", "12", "--seed", "5", "--start", "2025-05", "--fx-rates", rates, "--targets", targets);
        Assert.True(sample.Exit == 0, sample.Err);
        var rows = (await File.ReadAllLinesAsync(targets)).Skip(1).Select(l => l.Split(',')).ToList();

        var import = await CliAsync("fx", "import", "--file", rates, "--url", url);
        Assert.True(import.Exit == 0, import.Err);
        var upload = await CliAsync("targets", "--file", targets, "--url", url);
        Assert.True(upload.Exit == 0, upload.Err);
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"stored target version 1: {rows.Count:N0} targets for 15 periods (2025-05 to 2026-Q1), uploaded at "), upload.Out, StringComparison.Ordinal);

        await _program.SendAsync(sample.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("closed 12 period(s)", await _program.TimerAsync(), StringComparison.Ordinal);

        foreach (var period in new[] { "2025-05", "2025-11", "2026-04", "2025-Q4" })
        {
            var answer = await _program.GetAsync($"/api/periods/{period}/targets");
            Assert.Equal(1, answer.GetProperty("targetsVersion").GetInt32());
            var stored = answer.GetProperty("targets").EnumerateArray().ToList();
            Assert.Equal(rows.Count(r => r[0] == period), stored.Count);
            Assert.Contains(stored, t => t.GetProperty("currency").GetString() == "USD");
            foreach (var target in stored)
            {
                var planned = Number(target, "target");
                var actual = Number(target, "actual");
                var deviation = Math.Abs(planned - actual);
                Assert.True(
                    actual == 0m ? planned == 0m : deviation >= (SampleTargets.MinDeviation * actual) - 1m && deviation <= (SampleTargets.MaxDeviation * actual) + 1m,
                    $"{period} {target}: the plan is not within the sample's band of the close's actual");
            }
        }

        var alerts = await CliAsync("alerts", "--url", url, "--period", "2026-04");
        Assert.True(alerts.Exit == 0, alerts.Err);
        var text = alerts.Out.ReplaceLineEndings("\n");
        Assert.StartsWith("alerts for 2026-04 (version 1): ", text, StringComparison.Ordinal);
        Assert.Contains("\ntargets against actual for 2026-04 (version 1, target version 1)\n", text, StringComparison.Ordinal);
        foreach (var currency in new[] { "EUR", "JPY", "KWD", "USD" })
        {
            Assert.Matches($@"\n  {currency}\s+backlog\s+[0-9,.]+ ", text);
        }

        var json = await CliAsync("alerts", "--url", url, "--period", "2026-04", "--format", "json");
        Assert.True(json.Exit == 0, json.Err);
        using var document = JsonDocument.Parse(json.Out);
        var evaluated = document.RootElement.GetProperty("alerts").GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(evaluated.Count(a => a.GetProperty("fired").GetBoolean()), int.Parse(text[(text.IndexOf("): ", StringComparison.Ordinal) + 3)..text.IndexOf(" fired", StringComparison.Ordinal)], CultureInfo.InvariantCulture));
        Assert.Equal(rows.Count(r => r[0] == "2026-04"), document.RootElement.GetProperty("targets").GetProperty("targets").GetArrayLength());

        var list = await CliAsync("targets", "list", "--url", url);
        Assert.True(list.Exit == 0, list.Err);
        Assert.Equal(rows.Count + 2, list.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static decimal Number(JsonElement element, string name) =>
        decimal.Parse(element.GetProperty(name).GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private Task<(int Exit, string Out, string Err)> CliAsync(params string[] args) => Task.Run(() =>
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run(args, stdout, stderr, () => Stream.Null, showProgress: false, name => name == PeriodsCommand.KeyVariable ? ClosingProgram.Key : null, _program.Clock);
        return (exit, stdout.ToString(), stderr.ToString());
    });
}
