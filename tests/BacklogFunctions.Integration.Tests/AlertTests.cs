using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Targets and alerts end to end on a real Azurite over HTTP (alerts.md): a target file uploaded before the close,
/// months closed by the timer, plan against actual read back for a month and a quarter; a company built to breach
/// three default rules gets exactly those three fired; a restatement that clears a breach records it as not fired in
/// version 2 and keeps version 1; a bad target file is a 400 that stores nothing.
/// </summary>
public sealed class AlertTests : IAsyncLifetime
{
    private ClosingProgram _program = null!;

    public async Task InitializeAsync() => _program = await ClosingProgram.StartAsync(new DateTimeOffset(2025, 12, 2, 3, 0, 0, TimeSpan.Zero), "--Close:Proration", "monthly");

    public async Task DisposeAsync() => await _program.DisposeAsync();

    /// <summary>A EUR contract of one customer, 12,000.00 earned 1,000.00 a month (monthly proration) over 2025-02 … 2026-01, and its invoice for the first quarter, paid.</summary>
    internal static readonly string[] OneCustomer =
    [
        """{"id":"s-1","type":"contract.signed","source":"billing-a","occurredAt":"2025-01-05T10:00:00Z","contractId":"C-1","data":{"signedDate":"2025-01-05","currency":"EUR","customer":{"id":"CUST-A","name":"Alpha"},"lines":[{"lineId":"L1","amount":"12000.00","recognition":"ratable","serviceStart":"2025-02-01","serviceEnd":"2026-01-31"}]}}""",
        """{"id":"i-1","type":"invoice.issued","source":"billing-a","occurredAt":"2025-02-01T08:00:00Z","contractId":"C-1","data":{"invoiceId":"INV-1","issueDate":"2025-02-01","amount":"3000.00"}}""",
        """{"id":"p-1","type":"payment.received","source":"billing-a","occurredAt":"2025-03-01T08:00:00Z","contractId":"C-1","data":{"paymentId":"P-1","date":"2025-03-01","amount":"3000.00","invoiceId":"INV-1"}}""",
    ];

    [Fact]
    public async Task Targets_are_compared_for_months_and_quarters_and_three_breached_defaults_fire()
    {
        var upload = await PutTargetsAsync("period,currency,figure,amount\n2025-03,EUR,revenue,1100.00\n2025-03,EUR,backlog,10000.00\n2025-Q1,EUR,revenue,2000.00\n2025-Q1,EUR,billings,0\n2025-11,EUR,bookings,500.00\n");
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(1, (await Json.ReadAsync(upload)).GetProperty("version").GetInt32());
        await _program.SendAsync(OneCustomer);
        Assert.Contains("closed 11 period(s)", await _program.TimerAsync(), StringComparison.Ordinal);

        var march = await _program.GetAsync("/api/periods/2025-03/targets");
        Assert.Equal(
            """{"period":"2025-03","version":1,"targetsVersion":1,"targets":[{"currency":"EUR","figure":"revenue","target":"1100.00","actual":"1000.00","variance":"-100.00","variancePct":"-0.0909"},{"currency":"EUR","figure":"backlog","target":"10000.00","actual":"10000.00","variance":"0.00","variancePct":"0.0000"}]}""",
            Compact(march));
        var quarter = await _program.GetAsync("/api/periods/2025-Q1/targets");
        Assert.Equal(
            """[{"currency":"EUR","figure":"revenue","target":"2000.00","actual":"2000.00","variance":"0.00","variancePct":"0.0000"},{"currency":"EUR","figure":"billings","target":"0.00","actual":"3000.00","variance":"3000.00","variancePct":"n/a"}]""",
            Compact(quarter.GetProperty("targets")));
        Assert.Equal(1, quarter.GetProperty("targetsVersion").GetInt32());

        // November: 2,000.00 of backlog left (down a third from 3,000.00), two months of revenue, one customer.
        var november = await _program.GetAsync("/api/periods/2025-11/alerts");
        var alerts = november.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(7, alerts.Count);
        Assert.Equal(
            ["Backlog down more than 10% in a month", "Backlog ratio below 6 months", "Largest customer above 25% of backlog"],
            alerts.Where(a => a.GetProperty("fired").GetBoolean()).Select(a => a.GetProperty("name").GetString()));
        var down = alerts[0];
        Assert.Equal(
            ("2025-11|v1|Backlog down more than 10% in a month|EUR", "critical", "backlogChangePct", "<", "-0.1", "-0.3333"),
            (down.GetProperty("id").GetString(), down.GetProperty("severity").GetString(), down.GetProperty("figure").GetString(), down.GetProperty("operator").GetString(), down.GetProperty("threshold").GetString(), down.GetProperty("actual").GetString()));
        var grr = alerts.Single(a => a.GetProperty("figure").GetString() == "grr");
        Assert.Equal(("n/a", false), (grr.GetProperty("actual").GetString(), grr.GetProperty("fired").GetBoolean()));
        Assert.StartsWith("n/a: grr is n/a", grr.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal("0.00", alerts.Single(a => a.GetProperty("figure").GetString() == "overdueBacklog").GetProperty("actual").GetString());

        // A contract signed in November arrives late: the restated version no longer shows the backlog falling.
        _program.Clock.Advance(TimeSpan.FromHours(1));
        await _program.SendAsync(["""{"id":"s-2","type":"contract.signed","source":"billing-a","occurredAt":"2025-12-01T10:00:00Z","contractId":"C-2","data":{"signedDate":"2025-11-20","currency":"EUR","customer":{"id":"CUST-B","name":"Beta"},"lines":[{"lineId":"L1","amount":"100000.00","recognition":"ratable","serviceStart":"2025-12-01","serviceEnd":"2026-11-30"}]}}"""]);
        Assert.Equal(HttpStatusCode.OK, (await _program.Client.PostAsync("/api/periods/2025-11/restate", null)).StatusCode);

        var restated = (await _program.GetAsync("/api/periods/2025-11/alerts")).GetProperty("alerts").EnumerateArray().ToList();
        var cleared = restated.Single(a => a.GetProperty("name").GetString() == "Backlog down more than 10% in a month");
        Assert.Equal(("2025-11|v2|Backlog down more than 10% in a month|EUR", false, "33"), (cleared.GetProperty("id").GetString(), cleared.GetProperty("fired").GetBoolean(), cleared.GetProperty("actual").GetString()));
        Assert.Equal(["Largest customer above 25% of backlog"], restated.Where(a => a.GetProperty("fired").GetBoolean()).Select(a => a.GetProperty("name").GetString()));
        var version1 = (await _program.GetAsync("/api/periods/2025-11/alerts?version=1")).GetProperty("alerts").EnumerateArray();
        Assert.True(version1.Single(a => a.GetProperty("name").GetString() == "Backlog down more than 10% in a month").GetProperty("fired").GetBoolean());
        Assert.Equal(
            """[{"currency":"EUR","figure":"bookings","target":"500.00","actual":"100000.00","variance":"99500.00","variancePct":"199.0000"}]""",
            Compact((await _program.GetAsync("/api/periods/2025-11/targets")).GetProperty("targets")));
    }

    public static TheoryData<string, int, string> BadFiles => new()
    {
        { "", 1, "file" },
        { "period,currency,figure,amount\n", 2, "file" },
        { "period;currency;figure;amount\n2026-01;EUR;revenue;1.00\n", 1, "header" },
        { "2026-01,EUR,revenue,1.00\n", 1, "header" },
        { "period,currency,figure,amount\n2026-01,EUR,ebitda,1.00\n", 2, "figure" },
        { "period,currency,figure,amount\n2026-01,EUR,Revenue,1.00\n", 2, "figure" },
        { "period,currency,figure,amount\n2026-13,EUR,revenue,1.00\n", 2, "period" },
        { "period,currency,figure,amount\n2026-Q0,EUR,revenue,1.00\n", 2, "period" },
        { "period,currency,figure,amount\nFY27,EUR,revenue,1.00\n", 2, "period" },
        { "period,currency,figure,amount\n2026-01,EURO,revenue,1.00\n", 2, "currency" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,1000,50\n", 2, "row" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,1.000,50\n", 2, "row" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,100.505\n", 2, "amount" },
        { "period,currency,figure,amount\n2026-01,JPY,revenue,100.5\n", 2, "amount" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,-5.00\n", 2, "amount" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,1e3\n", 2, "amount" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,n/a\n", 2, "amount" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,\n", 2, "amount" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,1.00\n2026-01,EUR,revenue,2.00\n", 3, "row" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,1.00\n\n", 3, "row" },
        { "period,currency,figure,amount\n\"2026-01\",EUR,revenue,1.00\n", 2, "row" },
        { "period,currency,figure,amount\n2026-01,EUR,revenue,1.00,extra\n", 2, "row" },
        { "period,currency,figure,amount\n" + string.Concat(Enumerable.Repeat("2026-01,EUR,ebitda,1.00\n", 3)), 2, "figure" },
        { "period,currency,figure,amount\n" + string.Concat(Enumerable.Range(0, 20_001).Select(i => $"{2000 + (i / 12 % 100)}-{(i % 12) + 1:D2},{new[] { "EUR", "USD", "GBP" }[i / 1200 % 3]},{(i / 3600 % 7) switch { 0 => "revenue", 1 => "bookings", 2 => "billings", 3 => "collections", 4 => "backlog", 5 => "arr", _ => "deferredRevenue" }},1.00\n")), 20_002, "file" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_target_file_is_a_400_naming_line_and_field_and_stores_nothing(string body, int line, string field)
    {
        var response = await PutTargetsAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        var first = problem.GetProperty("errors")[0];
        Assert.Equal((line, field), (first.GetProperty("line").GetInt32(), first.GetProperty("field").GetString()));
        Assert.Contains("nothing was stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _program.Client.GetAsync("/api/targets")).StatusCode);
    }

    [Fact]
    public async Task Uploads_are_kept_as_versions_and_a_wrong_type_or_size_is_refused()
    {
        Assert.Equal(HttpStatusCode.OK, (await PutTargetsAsync("period,currency,figure,amount\n2026-01,EUR,revenue,1.00\n")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutTargetsAsync("period,currency,figure,amount\nFY2026,USD,arr,9000000.00\n")).StatusCode);
        using (var json = new StringContent("{}", Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _program.Client.PutAsync("/api/targets", json)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PutTargetsAsync(new string('x', (2 * 1024 * 1024) + 1))).StatusCode);

        var latest = await _program.GetAsync("/api/targets");
        Assert.Equal("""{"version":2,"targets":[{"period":"FY2026","currency":"USD","figure":"arr","amount":"9000000.00"}]}""", Compact(latest, without: "uploadedAt"));
        var first = await _program.GetAsync("/api/targets?version=1");
        Assert.Equal("""{"version":1,"targets":[{"period":"2026-01","currency":"EUR","figure":"revenue","amount":"1.00"}]}""", Compact(first, without: "uploadedAt"));
        Assert.Equal(HttpStatusCode.NotFound, (await _program.Client.GetAsync("/api/targets?version=3")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _program.Client.GetAsync("/api/targets?version=x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _program.Client.GetAsync("/api/periods/2025-11/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _program.Client.GetAsync("/api/periods/2025-1/alerts")).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = _program.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/targets")).StatusCode);
    }

    private async Task<HttpResponseMessage> PutTargetsAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await _program.Client.PutAsync("/api/targets", content);
    }

    private static string Compact(JsonElement element, string? without = null)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(element.GetRawText())!;
        if (without is not null)
        {
            node.AsObject().Remove(without);
        }

        return node.ToJsonString();
    }
}
