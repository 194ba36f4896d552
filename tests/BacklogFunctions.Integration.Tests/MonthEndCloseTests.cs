using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Cli;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Host;
using BacklogFunctions.Sample;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The month-end close end to end on Azurite: events through the webhook, every ended month closed by the
/// timer's catch-up, stored totals equal to the offline CLI's, late events as adjustments of the next month.
/// </summary>
public sealed class MonthEndCloseTests : IAsyncLifetime
{
    private const string Secret = "whsec_close_0123456789abcdef";
    private const string Key = "read-key-0123456789abcdef";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero));
    private readonly string _events = Path.Combine(Path.GetTempPath(), $"close-{Guid.NewGuid():N}.ndjson");
    private AzuriteServer _azurite = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        _app = Build(_azurite.ConnectionString, services => services.AddSingleton<TimeProvider>(_clock));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
        _client.DefaultRequestHeaders.Add("x-functions-key", Key);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        try
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        finally
        {
            await _azurite.DisposeAsync();
            File.Delete(_events);
        }
    }

    [Fact]
    public async Task Every_ended_month_is_closed_by_the_catch_up_with_the_offline_figures_and_late_events_adjust_the_next_month()
    {
        var events = SampleGenerator.Generate(new SampleSpec(200, 24, 515, SampleSpec.DefaultStart));
        await File.WriteAllLinesAsync(_events, SampleGenerator.ToNdjson(events));
        await SendAsync(SampleGenerator.ToNdjson(events));

        var answer = await TimerAsync();

        Assert.Contains("closed 24 period(s)", answer, StringComparison.Ordinal);
        var periods = await GetAsync("/api/periods");
        Assert.Equal(24, periods.GetProperty("periods").GetArrayLength());
        for (var period = SampleSpec.DefaultStart; period <= new Period(2025, 12); period = period.Next)
        {
            var stored = await GetAsync($"/api/periods/{period}/snapshot");
            var offline = OfflineSnapshot(period);
            Assert.Equal(1, stored.GetProperty("version").GetInt32());
            Assert.Equal(Normalize(offline.GetProperty("totals")), Normalize(stored.GetProperty("totals")));
        }

        // Running again closes nothing and changes nothing.
        var december = Normalize(await GetAsync("/api/periods/2025-12/snapshot"));
        Assert.Contains("closed 0 period(s)", await TimerAsync(), StringComparison.Ordinal);
        Assert.Equal(december, Normalize(await GetAsync("/api/periods/2025-12/snapshot")));

        // A late invoice dated in closed December arrives in January; January is closed in February.
        var contract = events.OfType<Domain.Events.ContractSigned>().First(s => s.Currency == Currency.USD && s.SignedDate < new DateOnly(2025, 6, 1));
        await SendAsync([$$$"""{"id":"late-1","type":"invoice.issued","source":"billing-late","occurredAt":"2026-01-10T09:00:00Z","contractId":"{{{contract.ContractId}}}","data":{"invoiceId":"INV-LATE","issueDate":"2025-12-20","amount":"777.00"}}"""]);
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 1, 2, 30, 0, TimeSpan.Zero));

        Assert.Contains("closed 1 period(s): 2026-01", await TimerAsync(), StringComparison.Ordinal);

        Assert.Equal(december, Normalize(await GetAsync("/api/periods/2025-12/snapshot")));
        var january = (await GetAsync("/api/periods/2026-01/snapshot")).GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("currency").GetString() == "USD");
        var decemberUsd = (await GetAsync("/api/periods/2025-12/snapshot")).GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("currency").GetString() == "USD");
        var net = january.GetProperty("rollForward").GetProperty("netContractPosition");
        Assert.Equal("777.00", net.GetProperty("priorPeriodAdjustments").GetString());
        Assert.Equal(decemberUsd.GetProperty("netContractPosition").GetString(), net.GetProperty("opening").GetString());
        Assert.Equal("0.00", net.GetProperty("difference").GetString());
        Assert.Equal("0.00", january.GetProperty("rollForward").GetProperty("backlog").GetProperty("difference").GetString());

        var contractRow = await GetAsync($"/api/periods/2026-01/snapshot?contract={contract.ContractId}");
        Assert.Equal("777.00", contractRow.GetProperty("figures").GetProperty("netContractPositionPriorPeriodAdjustment").GetString());

        // The journal of January posts the late invoice as a prior-period adjustment, and balances per currency.
        var journal = (await GetAsync("/api/periods/2026-01/journal?detail=contract")).GetProperty("lines").EnumerateArray().ToList();
        var lateLine = Assert.Single(journal, l => l.GetProperty("priorPeriodAdjustment").GetBoolean());
        Assert.Equal((contract.ContractId, "Accounts receivable", "777.00", "0.00"), (lateLine.GetProperty("contractId").GetString(), lateLine.GetProperty("account").GetString(), lateLine.GetProperty("debit").GetString(), lateLine.GetProperty("credit").GetString()));
        Assert.StartsWith("Prior-period adjustment: billings dated before 2026-01 that arrived after 2025-12 was closed", lateLine.GetProperty("memo").GetString(), StringComparison.Ordinal);
        var summary = (await GetAsync("/api/periods/2026-01/journal")).GetProperty("lines").EnumerateArray().ToList();
        Assert.All(summary.GroupBy(l => l.GetProperty("currency").GetString()), g => Assert.Equal(g.Sum(l => decimal.Parse(l.GetProperty("debit").GetString()!, CultureInfo.InvariantCulture)), g.Sum(l => decimal.Parse(l.GetProperty("credit").GetString()!, CultureInfo.InvariantCulture))));
        Assert.All(summary, l => Assert.False(l.TryGetProperty("contractId", out _)));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/periods/2026-01/journal?detail=everything")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/periods/2026-Q1/journal")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/periods/2026-05/journal")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/periods/2026-01/journal?version=7")).StatusCode);

        // Restating December: version 2 is a fresh computation with the late invoice; version 1 stays readable.
        var late = $$$"""{"id":"late-1","type":"invoice.issued","source":"billing-late","occurredAt":"2026-01-10T09:00:00Z","contractId":"{{{contract.ContractId}}}","data":{"invoiceId":"INV-LATE","issueDate":"2025-12-20","amount":"777.00"}}""";
        await File.AppendAllLinesAsync(_events, [late]);
        var restate = await _client.PostAsync("/api/periods/2025-12/restate", null);
        Assert.Equal(HttpStatusCode.OK, restate.StatusCode);
        var restated = await Json.ReadAsync(restate);
        Assert.Equal(2, restated.GetProperty("version").GetInt32());
        var changed = restated.GetProperty("differences").EnumerateArray().ToList();
        Assert.All(changed, d => Assert.Equal(contract.ContractId, d.GetProperty("contractId").GetString()));
        Assert.Contains(changed, d => d.GetProperty("figure").GetString() == "billings" && d.GetProperty("after").GetString() == (decimal.Parse(d.GetProperty("before").GetString()!, CultureInfo.InvariantCulture) + 777m).ToString(CultureInfo.InvariantCulture));
        Assert.Contains(changed, d => d.GetProperty("figure").GetString() == "netContractPosition");

        var version2 = await GetAsync("/api/periods/2025-12/snapshot");
        Assert.Equal(2, version2.GetProperty("version").GetInt32());
        Assert.Equal([1, 2], version2.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(Normalize(OfflineSnapshot(new Period(2025, 12)).GetProperty("totals")), Normalize(version2.GetProperty("totals")));
        Assert.NotEmpty(version2.GetProperty("differencesFromPreviousVersion").EnumerateArray());
        var listed = (await GetAsync("/api/periods")).GetProperty("periods").EnumerateArray().Single(p => p.GetProperty("period").GetString() == "2025-12");
        Assert.Equal(2, listed.GetProperty("version").GetInt32());
        Assert.Equal([1, 2], listed.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var version1 = await GetAsync("/api/periods/2025-12/snapshot?version=1");
        Assert.Equal(Normalize(Json.Parse(december).GetProperty("totals")), Normalize(version1.GetProperty("totals")));

        // The month-by-month table read back through the API.
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run(["periods", "--url", _client.BaseAddress!.ToString()], stdout, stderr, () => Stream.Null, false, name => name == PeriodsCommand.KeyVariable ? Key : null, _clock);
        Assert.True(exit == 0, stderr.ToString());
        var table = stdout.ToString();
        Assert.Contains("USD  period", table, StringComparison.Ordinal);
        Assert.Contains("2025-12   2", table, StringComparison.Ordinal);
        Assert.Contains("2026-01   1", table, StringComparison.Ordinal);

        // Every closed version was handed over to report rendering.
        var reports = new Azure.Storage.Queues.QueueServiceClient(_azurite.ConnectionString).GetQueueClient(Storage.ReportRequestQueue.QueueName);
        Assert.Equal(26, (await reports.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Quarters_and_years_are_built_from_closed_months_and_forecasts_read_from_the_stored_close()
    {
        var events = SampleGenerator.Generate(new SampleSpec(80, 12, 4242, new Period(2025, 7)));
        await File.WriteAllLinesAsync(_events, SampleGenerator.ToNdjson(events));
        await SendAsync(SampleGenerator.ToNdjson(events));
        Assert.Contains("closed 6 period(s)", await TimerAsync(), StringComparison.Ordinal);

        // A quarter whose months are all closed equals the offline snapshot of the quarter, computed from the events.
        var q3 = await GetAsync("/api/periods/2025-Q3/snapshot");
        Assert.Equal(("2025-Q3", "quarter", "2025-09-30", "2025-06-30"), (q3.GetProperty("period").GetString(), q3.GetProperty("kind").GetString(), q3.GetProperty("asOf").GetString(), q3.GetProperty("openingDate").GetString()));
        Assert.Equal(["2025-07", "2025-08", "2025-09"], q3.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("period").GetString()));
        Assert.Equal(Normalize(OfflineSnapshot("2025-Q3").GetProperty("totals")), Normalize(q3.GetProperty("totals")));
        var q4 = await GetAsync("/api/periods/2025-Q4/snapshot");
        Assert.Equal(Normalize(OfflineSnapshot("2025-Q4").GetProperty("totals")), Normalize(q4.GetProperty("totals")));
        Assert.All(q4.GetProperty("totals").EnumerateArray(), t => Assert.Equal(0m, decimal.Parse(t.GetProperty("rollForward").GetProperty("backlog").GetProperty("difference").GetString()!, CultureInfo.InvariantCulture)));

        // Until every month is closed: 409, naming the months that are not.
        await AssertNotClosedAsync("2026-Q1", "not closed yet: 2026-01, 2026-02, 2026-03");
        await AssertNotClosedAsync("FY2025", "not closed yet: 2025-01, 2025-02, 2025-03, 2025-04, 2025-05, 2025-06");
        foreach (var bad in new[] { "2025-Q5/snapshot", "FY25/snapshot", "2025-13/snapshot", "2025-Q3/snapshot?version=1", "2025-Q3/snapshot?contract=C-1", "2025-Q0/forecast" })
        {
            Assert.True(HttpStatusCode.BadRequest == (await _client.GetAsync($"/api/periods/{bad}")).StatusCode, bad);
        }

        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 1, 3, 0, 0, TimeSpan.Zero));
        Assert.Contains("closed 1 period(s): 2026-01", await TimerAsync(), StringComparison.Ordinal);
        await AssertNotClosedAsync("2026-Q1", "not closed yet: 2026-02, 2026-03");

        // The forecasts the close stored are the offline forecasts of the month, in total and per contract.
        var offline = OfflineForecast("2025-11");
        var stored = await GetAsync("/api/periods/2025-11/forecast");
        Assert.Equal(Normalize(offline.GetProperty("totals")), Normalize(stored.GetProperty("totals")));
        Assert.Empty(stored.GetProperty("contracts").EnumerateArray());
        var detail = await GetAsync("/api/periods/2025-11/forecast?detail=contract");
        Assert.Equal(Normalize(offline.GetProperty("contracts")), Normalize(detail.GetProperty("contracts")));
        var one = offline.GetProperty("contracts")[0];
        var contract = await GetAsync($"/api/periods/2025-11/forecast?contract={one.GetProperty("contractId").GetString()}");
        Assert.Equal(Normalize(one), Normalize(contract.GetProperty("contracts")[0]));
        Assert.Equal(Normalize(OfflineForecast("2025-12").GetProperty("totals")), Normalize((await GetAsync("/api/periods/2025-Q4/forecast")).GetProperty("totals")));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/periods/2025-11/forecast?detail=everything")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/periods/2025-11/forecast?contract=NOPE")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/periods/2026-03/forecast")).StatusCode);

        // Late work: the stored month lists the overdue deliveries the offline snapshot does.
        Assert.Equal(Normalize(OfflineSnapshot("2025-11").GetProperty("overdueDeliveries")), Normalize((await GetAsync("/api/periods/2025-11/snapshot")).GetProperty("overdueDeliveries")));

        // With a fiscal year from July, FY2026-Q1 is July to September 2025: the same months as 2025-Q3.
        var fiscal = Build(_azurite.ConnectionString, services => services.AddSingleton<TimeProvider>(_clock), "--Close:FiscalYearStartMonth", "7");
        await using (fiscal)
        {
            await fiscal.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(fiscal.Urls.Single()) };
            client.DefaultRequestHeaders.Add("x-functions-key", Key);
            var fq1 = await Json.ReadAsync(await client.GetAsync("/api/periods/FY2026-Q1/snapshot"));
            Assert.Equal(("fiscalQuarter", "2025-09-30"), (fq1.GetProperty("kind").GetString(), fq1.GetProperty("asOf").GetString()));
            Assert.Equal(Normalize(q3.GetProperty("totals")), Normalize(fq1.GetProperty("totals")));
            Assert.Contains("not closed yet: 2026-02, 2026-03, 2026-04, 2026-05, 2026-06", await (await client.GetAsync("/api/periods/FY2026/snapshot")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await fiscal.StopAsync();
        }
    }

    private async Task AssertNotClosedAsync(string span, string detail)
    {
        var response = await _client.GetAsync($"/api/periods/{span}/snapshot");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_close_that_stops_half_way_is_not_marked_closed_and_a_rerun_gives_the_same_figures()
    {
        var events = SampleGenerator.Generate(new SampleSpec(60, 12, 99, new Period(2025, 1)));
        await File.WriteAllLinesAsync(_events, SampleGenerator.ToNdjson(events));
        await SendAsync(SampleGenerator.ToNdjson(events));

        // A second program on the same storage whose snapshot store fails after writing June's rows.
        var crashing = Build(_azurite.ConnectionString, services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddSingleton<ISnapshotStore>(sp => new StopsBeforeMarking(sp.GetRequiredService<Storage.TableSnapshotStore>(), new Period(2025, 6)));
        });
        await using (crashing)
        {
            var closer = crashing.Services.GetRequiredService<PeriodCloser>();
            await Assert.ThrowsAsync<IOException>(() => closer.CloseDueAsync(CancellationToken.None));
        }

        var juneRows = 0;
        var june = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {Storage.TableSnapshotStore.PartitionOf(new Period(2025, 6), 1)}");
        await foreach (var _ in new Azure.Data.Tables.TableServiceClient(_azurite.ConnectionString).GetTableClient(Storage.TableSnapshotStore.SnapshotsTable).QueryAsync<Azure.Data.Tables.TableEntity>(june))
        {
            juneRows++;
        }

        Assert.True(juneRows > 0, "June's rows were written before the stop");
        var afterCrash = await GetAsync("/api/periods");
        Assert.Equal(["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"], afterCrash.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("period").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/periods/2025-06/snapshot")).StatusCode);

        Assert.Contains("closed 7 period(s): 2025-06", await TimerAsync(), StringComparison.Ordinal);
        for (var period = new Period(2025, 1); period <= new Period(2025, 12); period = period.Next)
        {
            Assert.Equal(Normalize(OfflineSnapshot(period).GetProperty("totals")), Normalize((await GetAsync($"/api/periods/{period}/snapshot")).GetProperty("totals")));
        }
    }

    [Fact]
    public async Task The_standalone_scheduler_catches_up_at_start_and_closes_each_month_at_its_next_run()
    {
        var events = SampleGenerator.Generate(new SampleSpec(30, 6, 7, new Period(2025, 7)));
        await SendAsync(SampleGenerator.ToNdjson(events));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero));
        var scheduled = BacklogApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", _azurite.ConnectionString, "--Webhook:Secrets:0", Secret, "--ReadApi:Keys:0", Key,
             "--Close:RunScheduler", "true", "--Close:Schedule", "0 2 * * *", "--Logging:LogLevel:Default", "Warning"],
            builder => builder.Services.AddSingleton<TimeProvider>(clock));
        await using (scheduled)
        {
            await scheduled.StartAsync();
            var snapshots = scheduled.Services.GetRequiredService<ISnapshotStore>();

            // January has not ended yet (31 January, 23:00 UTC): July to December are closed at start-up.
            Assert.True(await EventuallyAsync(async () => (await snapshots.ListClosedAsync(CancellationToken.None)).Count == 6), "July to December are closed at start-up");

            // The clock moves in half hours (nothing sleeps); the 02:00 run on 1 February closes January.
            DateTimeOffset? closedBy = null;
            for (var step = 0; step < 12 && closedBy is null; step++)
            {
                clock.Advance(TimeSpan.FromMinutes(30));
                if (await EventuallyAsync(async () => await snapshots.FindClosedAsync(new Period(2026, 1), CancellationToken.None) is not null, attempts: 20))
                {
                    closedBy = clock.GetUtcNow();
                }
            }

            Assert.NotNull(closedBy);
            Assert.True(closedBy >= new DateTimeOffset(2026, 2, 1, 2, 0, 0, TimeSpan.Zero), $"closed at {closedBy}, not before the 02:00 run");
            await scheduled.StopAsync();
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int attempts = 300)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private static WebApplication Build(string connectionString, Action<IServiceCollection> services, params string[] more) => BacklogApp.Build(
        [
            .. more,
            "--FUNCTIONS_CUSTOMHANDLER_PORT", "0",
            "--Storage:ConnectionString", connectionString,
            "--Webhook:Secrets:0", Secret,
            "--Webhook:MaxBatchBytes", "16777216",
            "--Webhook:MaxBatchEvents", "5000",
            "--ReadApi:Keys:0", Key,
            "--Logging:LogLevel:Default", "Warning",
        ],
        builder => services(builder.Services));

    private async Task SendAsync(IEnumerable<string> lines)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events:batch") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, _clock.GetUtcNow().ToUnixTimeSeconds(), body));
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await Json.ReadAsync(response);
        Assert.Equal(0, result.GetProperty("invalid").GetInt32() + result.GetProperty("conflicts").GetInt32());
    }

    /// <summary>The timer invocation exactly as the Functions host sends it.</summary>
    private async Task<string> TimerAsync()
    {
        var envelope = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "..", "shared", "fixtures", "functions-host", "timer.json"));
        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/MonthEndClose", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await Json.ReadAsync(response);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("ReturnValue").ValueKind);
        return answer.GetProperty("Logs")[0].GetString()!;
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }

    private JsonElement OfflineSnapshot(Period period) => OfflineSnapshot(period.ToString());

    private JsonElement OfflineSnapshot(string period) => Offline("snapshot", period);

    private JsonElement OfflineForecast(string period) => Offline("forecast", period);

    private JsonElement Offline(string command, string period)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run([command, "--events", _events, "--period", period, "--format", "json"], stdout, stderr, () => Stream.Null, showProgress: false);
        Assert.True(exit == 0, stderr.ToString());
        return Json.Parse(stdout.ToString());
    }

    private static string Normalize(JsonElement element) => JsonSerializer.Serialize(element);

    /// <summary>Writes everything, then fails before marking one period closed: a process killed at the worst moment.</summary>
    private sealed class StopsBeforeMarking(ISnapshotStore inner, Period failAt) : ISnapshotStore
    {
        public Task<IReadOnlyList<ClosedPeriod>> ListClosedAsync(CancellationToken cancellationToken) => inner.ListClosedAsync(cancellationToken);

        public Task<ClosedPeriod?> FindClosedAsync(Period period, CancellationToken cancellationToken) => inner.FindClosedAsync(period, cancellationToken);

        public Task WriteAsync(Snapshot snapshot, int version, CancellationToken cancellationToken) => inner.WriteAsync(snapshot, version, cancellationToken);

        public Task WriteContractsAsync(Period period, int version, IReadOnlyList<ContractSnapshot> contracts, CancellationToken cancellationToken) => inner.WriteContractsAsync(period, version, contracts, cancellationToken);

        public Task WriteDocumentAsync(Snapshot snapshot, int version, CancellationToken cancellationToken) => inner.WriteDocumentAsync(snapshot, version, cancellationToken);

        public Task<IReadOnlyList<ContractSnapshot>> ReadContractSnapshotsAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadContractSnapshotsAsync(period, version, cancellationToken);

        public Task MarkClosedAsync(ClosedPeriod closed, CancellationToken cancellationToken) =>
            closed.Period == failAt ? throw new IOException("the process stopped here") : inner.MarkClosedAsync(closed, cancellationToken);

        public Task<IReadOnlyDictionary<string, LockedClosing>> ReadLockedClosingsAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadLockedClosingsAsync(period, version, cancellationToken);

        public Task<StoredSnapshot?> ReadSnapshotDocumentAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadSnapshotDocumentAsync(period, version, cancellationToken);

        public Task<ContractRow?> ReadContractAsync(Period period, int version, string contractId, CancellationToken cancellationToken) => inner.ReadContractAsync(period, version, contractId, cancellationToken);

        public Task<IReadOnlyDictionary<string, ContractFigures>> ReadContractFiguresAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadContractFiguresAsync(period, version, cancellationToken);

        public Task WriteDifferencesAsync(Period period, int version, IReadOnlyList<FigureDifference> differences, CancellationToken cancellationToken) => inner.WriteDifferencesAsync(period, version, differences, cancellationToken);

        public Task<IReadOnlyList<FigureDifference>?> ReadDifferencesAsync(Period period, int version, CancellationToken cancellationToken) => inner.ReadDifferencesAsync(period, version, cancellationToken);

        public Task<IReadOnlyList<ClosedPeriod>> ListVersionsAsync(Period period, CancellationToken cancellationToken) => inner.ListVersionsAsync(period, cancellationToken);
    }
}
