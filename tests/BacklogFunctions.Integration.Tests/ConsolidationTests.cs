using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Cli;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host;
using BacklogFunctions.Sample;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Group figures end to end on a real Azurite over HTTP (consolidation.md): rates uploaded, months closed by the
/// timer, the consolidated figures read back equal the CLI's from the same events and rate file; a missing rate
/// gives the documented absence; a late rate changes nothing until a restatement, whose version 2 differs.
/// </summary>
public sealed class ConsolidationTests : IAsyncLifetime
{
    private readonly string _events = Path.Combine(Path.GetTempPath(), $"group-{Guid.NewGuid():N}.ndjson");
    private readonly string _rates = Path.Combine(Path.GetTempPath(), $"group-{Guid.NewGuid():N}.csv");
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
            File.Delete(_events);
            File.Delete(_rates);
        }
    }

    [Fact]
    public async Task Closed_months_carry_the_clis_group_figures_a_missing_rate_is_named_and_a_late_rate_waits_for_a_restatement()
    {
        var spec = new SampleSpec(60, 10, 77, new Period(2025, 7));
        var events = SampleGenerator.Generate(spec);
        await File.WriteAllLinesAsync(_events, SampleGenerator.ToNdjson(events));
        // No EUR rate in the last ten days of September 2025: September lacks its closing rate, October its opening.
        var rates = SampleFxRates.Generate(spec).Where(r => !(r.Currency == Currency.EUR && r.Date > new DateOnly(2025, 9, 20) && r.Date <= new DateOnly(2025, 9, 30))).ToList();
        await using (var file = new StreamWriter(_rates))
        {
            FxRateFile.Write(file, rates);
        }

        Assert.Equal(HttpStatusCode.OK, (await PutRatesAsync(await File.ReadAllTextAsync(_rates))).StatusCode);
        await _program.SendAsync(SampleGenerator.ToNdjson(events));
        Assert.Contains("closed 10 period(s)", await _program.TimerAsync(), StringComparison.Ordinal);

        // Complete months and a quarter: the stored group figures are the CLI's, and the roll-forwards tie with their FX line.
        foreach (var period in new[] { "2025-08", "2026-01", "2026-02", "2026-Q1" })
        {
            var stored = (await _program.GetAsync($"/api/periods/{period}/snapshot")).GetProperty("consolidated");
            // The close also stores the group forecast, which the forecast endpoint answers (below).
            Assert.Equal(Normalize(Offline("snapshot", period).GetProperty("consolidated")), Normalize(stored, without: "forecast"));
            Assert.Equal("0.00", stored.GetProperty("rollForward").GetProperty("backlog").GetProperty("difference").GetString());
            Assert.Equal(
                Amount(stored, "backlog"),
                stored.GetProperty("byCurrency").EnumerateArray().Sum(t => Amount(t, "backlog")));
        }

        Assert.Equal(
            Normalize(Offline("forecast", "2026-03").GetProperty("consolidated")),
            Normalize((await _program.GetAsync("/api/periods/2026-03/forecast")).GetProperty("consolidated")));

        // A missing rate: the currency figures stand, the group figures say exactly what is missing.
        var september = await _program.GetAsync("/api/periods/2025-09/snapshot");
        Assert.Equal("""{"currency":"USD","missingRates":[{"currency":"EUR","kind":"closing","date":"2025-09-30"}]}""", Normalize(september.GetProperty("consolidated")));
        Assert.Equal(Normalize(Offline("snapshot", "2025-09").GetProperty("totals")), Normalize(september.GetProperty("totals")));
        Assert.Equal("""{"currency":"USD","missingRates":[{"currency":"EUR","kind":"closing","date":"2025-09-30"}]}""", Normalize((await _program.GetAsync("/api/periods/2025-10/snapshot")).GetProperty("consolidated")));
        Assert.Contains("\"missingRates\"", Normalize((await _program.GetAsync("/api/periods/2025-Q3/snapshot")).GetProperty("consolidated")), StringComparison.Ordinal);

        // backlog periods prints the group month by month beside the currencies, naming what a month lacks.
        using (var stdout = new StringWriter(CultureInfo.InvariantCulture))
        using (var stderr = new StringWriter(CultureInfo.InvariantCulture))
        {
            var exit = BacklogCommand.Run(["periods", "--url", _program.Client.BaseAddress!.ToString()], stdout, stderr, () => Stream.Null, false, name => name == PeriodsCommand.KeyVariable ? ClosingProgram.Key : null, _program.Clock);
            Assert.True(exit == 0, stderr.ToString());
            var table = stdout.ToString();
            Assert.Contains("Group in USD", table, StringComparison.Ordinal);
            Assert.Contains("2025-09   1 not available, rates missing: EUR closing rate of 2025-09-30", table, StringComparison.Ordinal);
            var groupBacklog = SnapshotTableMoney(Amount((await _program.GetAsync("/api/periods/2026-01/snapshot")).GetProperty("consolidated"), "backlog"));
            Assert.Contains(table.Split('\n'), line => line.Contains("2026-01", StringComparison.Ordinal) && line.Contains(groupBacklog, StringComparison.Ordinal) && table.IndexOf(line, StringComparison.Ordinal) > table.IndexOf("Group in USD", StringComparison.Ordinal));
        }

        // A rate corrected after the close: nothing changes until the month is restated, then version 2 differs.
        var february = await _program.GetAsync("/api/periods/2026-02/snapshot");
        _program.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await PutRatesAsync("date,currency,rate\n2026-02-27,EUR,1.5\n")).StatusCode);
        Assert.Contains("closed 0 period(s)", await _program.TimerAsync(), StringComparison.Ordinal);
        Assert.Equal(Normalize(february), Normalize(await _program.GetAsync("/api/periods/2026-02/snapshot")));

        var restate = await _program.Client.PostAsync("/api/periods/2026-02/restate", null);
        Assert.Equal(HttpStatusCode.OK, restate.StatusCode);
        var restated = await Json.ReadAsync(restate);
        Assert.Equal(2, restated.GetProperty("version").GetInt32());
        var differences = restated.GetProperty("differences").EnumerateArray().ToList();
        Assert.All(differences, d => Assert.Equal((GroupFigures.DifferencesKey, "USD"), (d.GetProperty("contractId").GetString(), d.GetProperty("currency").GetString())));
        var backlog = Assert.Single(differences, d => d.GetProperty("figure").GetString() == "backlog");
        Assert.Equal(Amount(february.GetProperty("consolidated"), "backlog"), decimal.Parse(backlog.GetProperty("before").GetString()!, CultureInfo.InvariantCulture));
        var version2 = (await _program.GetAsync("/api/periods/2026-02/snapshot")).GetProperty("consolidated");
        Assert.Equal(decimal.Parse(backlog.GetProperty("after").GetString()!, CultureInfo.InvariantCulture), Amount(version2, "backlog"));
        Assert.Equal(("1.5", "2026-02-27"), version2.GetProperty("rates").EnumerateArray().Where(r => r.GetProperty("currency").GetString() == "EUR").Select(r => (r.GetProperty("closing").GetString(), r.GetProperty("closingDate").GetString())).Single());
        Assert.Equal(Normalize(february.GetProperty("consolidated")), Normalize((await _program.GetAsync("/api/periods/2026-02/snapshot?version=1")).GetProperty("consolidated")));
        Assert.Contains(
            (await _program.GetAsync("/api/periods/2026-02/snapshot")).GetProperty("differencesFromPreviousVersion").EnumerateArray(),
            d => d.GetProperty("contractId").GetString() == GroupFigures.DifferencesKey);
    }

    private static string SnapshotTableMoney(decimal amount) => Application.Presentation.SnapshotTable.Money(Currency.USD, amount).Trim();

    private static decimal Amount(JsonElement element, string name) => decimal.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> PutRatesAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await _program.Client.PutAsync("/api/fx-rates", content);
    }

    private JsonElement Offline(string command, string period)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run([command, "--events", _events, "--period", period, "--format", "json", "--fx-rates", _rates, "--reporting-currency", "USD"], stdout, stderr, () => Stream.Null, showProgress: false);
        Assert.True(exit == 0, stderr.ToString());
        return Json.Parse(stdout.ToString());
    }

    private static string Normalize(JsonElement element, string? without = null) =>
        without is null
            ? JsonSerializer.Serialize(element)
            : JsonSerializer.Serialize(element.EnumerateObject().Where(p => p.Name != without).ToDictionary(p => p.Name, p => p.Value));
}
