using System.Net;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Progress and usage reports that the contract's stored history already makes wrong for good (recognition.md) are
/// refused by the real webhook with a 400 that names the field, and the store is left as it was: a report dated
/// before the stored signing, usage or progress on a line of another kind, a progress toDate that decreases.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class StoredHistoryReportTests(BacklogHostFixture host)
{
    private const string Signing = """{"id":"hist_s","type":"contract.signed","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-HIST","data":{"signedDate":"2026-10-03","currency":"USD","customer":{"id":"CUST-H","name":"Hist"},"lines":[{"lineId":"B1","amount":"1000000.00","recognition":"progress","measure":"cost","estimatedTotal":"700000"},{"lineId":"U1","recognition":"usage","unitPrice":"0.5","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"},{"lineId":"L1","amount":"1200.00","recognition":"ratable","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"}]}}""";

    private const string Amendment = """{"id":"hist_a","type":"contract.amended","occurredAt":"2026-12-01T12:00:00Z","contractId":"C-HIST","data":{"effectiveDate":"2026-12-01","lines":[{"lineId":"B1","amount":"1000000.00","recognition":"progress","measure":"cost","estimatedTotal":"700000"},{"lineId":"U1","recognition":"usage","unitPrice":"0.5","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"},{"lineId":"U2","recognition":"usage","unitPrice":"0.25","serviceStart":"2026-12-01","serviceEnd":"2027-10-31"}]}}""";

    private static string Progress(string id, string date, string toDate, string line = "B1") =>
        $$$"""{"id":"{{{id}}}","type":"progress.reported","occurredAt":"2026-12-31T12:00:00Z","contractId":"C-HIST","data":{"lineId":"{{{line}}}","date":"{{{date}}}","toDate":"{{{toDate}}}"}}""";

    private static string Usage(string id, string date, string line) =>
        $$$"""{"id":"{{{id}}}","type":"usage.reported","occurredAt":"2026-12-31T12:00:00Z","contractId":"C-HIST","data":{"lineId":"{{{line}}}","date":"{{{date}}}","quantity":"10"}}""";

    public static TheoryData<string, string, string> Refused() => new()
    {
        { "progress before the signing", Progress("hist_bad1", "2026-10-01", "100"), "data.date: 2026-10-01 is before the contract was signed (2026-10-03)" },
        { "usage before the signing", Usage("hist_bad2", "2026-09-30", "U1"), "data.date: 2026-09-30 is before the contract was signed (2026-10-03)" },
        { "usage on a ratable line", Usage("hist_bad3", "2026-11-15", "L1"), "data.lineId: line L1 of contract C-HIST is a ratable line in every stored signing and amendment, not a usage line" },
        { "usage on a progress line", Usage("hist_bad4", "2026-11-15", "B1"), "data.lineId: line B1 of contract C-HIST is a progress line in every stored signing and amendment, not a usage line" },
        { "progress on a usage line", Progress("hist_bad5", "2026-11-30", "100", line: "U1"), "data.lineId: line U1 of contract C-HIST is a usage line in every stored signing and amendment, not a progress line" },
        { "a decreasing toDate", Progress("hist_bad6", "2026-12-31", "400000"), "data.toDate: 400000 is below the 420000 reported for 2026-11-30 (event hist_" },
        { "a toDate above a later one", Progress("hist_bad7", "2026-11-15", "430000"), "data.toDate: 430000 is above the 420000 reported for the later 2026-11-30 (event hist_" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_report_the_stored_history_already_makes_wrong_is_a_400_naming_the_field_and_changes_nothing(string name, string body, string expect)
    {
        await StoreHistoryAsync();
        var before = await host.StoreContentsAsync();

        using var response = await host.PostSignedAsync("/api/events", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Contains(expect, text, StringComparison.Ordinal);
        Assert.Equal(before, await host.StoreContentsAsync());
    }

    [Fact]
    public async Task Reports_the_history_allows_are_accepted_on_lines_an_amendment_added_on_lines_not_known_yet_and_on_the_same_day()
    {
        await StoreHistoryAsync();

        foreach (var body in new[] { Usage("hist_ok1", "2026-12-15", "U2"), Usage("hist_ok2", "2026-11-15", "U1"), Usage("hist_ok5", "2026-11-16", "X9"), Progress("hist_ok3", "2026-11-30", "420000"), Progress("hist_ok4", "2026-12-31", "420000") })
        {
            using var response = await host.PostSignedAsync("/api/events", body);
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task A_batch_refuses_only_its_wrong_report()
    {
        await StoreHistoryAsync();

        using var response = await host.PostSignedAsync("/api/events:batch", string.Join('\n', Usage("hist_b1", "2026-11-20", "U1"), Usage("hist_b2", "2026-11-20", "L1")), "application/x-ndjson");
        var text = await response.Content.ReadAsStringAsync();

        using var json = System.Text.Json.JsonDocument.Parse(text);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal((1, 1), (json.RootElement.GetProperty("accepted").GetInt32(), json.RootElement.GetProperty("invalid").GetInt32()));
        Assert.Equal(("hist_b1", "accepted"), (results[0].GetProperty("id").GetString(), results[0].GetProperty("status").GetString()));
        var error = Assert.Single(results[1].GetProperty("errors").EnumerateArray());
        Assert.Equal("data.lineId", error.GetProperty("field").GetString());
        Assert.Equal("line L1 of contract C-HIST is a ratable line in every stored signing and amendment, not a usage line", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_report_stored_before_its_signing_is_a_duplicate_when_delivered_again_not_a_refusal()
    {
        var early = Usage("hist_early", "2026-09-01", "U1").Replace("C-HIST", "C-HIST2", StringComparison.Ordinal);
        using (var first = await host.PostSignedAsync("/api/events", early))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        using (var signing = await host.PostSignedAsync("/api/events", Signing.Replace("hist_s", "hist2_s", StringComparison.Ordinal).Replace("C-HIST", "C-HIST2", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Accepted, signing.StatusCode);
        }

        // Now the stored signing (3 October) would refuse it; delivered again, it is what was stored.
        using var again = await host.PostSignedAsync("/api/events", early);
        Assert.True(again.StatusCode == HttpStatusCode.OK, $"{(int)again.StatusCode} {await again.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task An_amendment_and_the_usage_it_enables_in_one_batch_are_both_accepted()
    {
        // Its own contract: once stored, the amendment makes L1 a usage line for every later test.
        using (var signing = await host.PostSignedAsync("/api/events", Signing.Replace("hist_s", "hist3_s", StringComparison.Ordinal).Replace("C-HIST", "C-HIST3", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Accepted, signing.StatusCode);
        }

        const string Amendment2 = """{"id":"hist3_a2","type":"contract.amended","occurredAt":"2027-01-01T12:00:00Z","contractId":"C-HIST3","data":{"effectiveDate":"2027-01-01","lines":[{"lineId":"B1","amount":"1000000.00","recognition":"progress","measure":"cost","estimatedTotal":"700000"},{"lineId":"U1","recognition":"usage","unitPrice":"0.5","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"},{"lineId":"L1","recognition":"usage","unitPrice":"2","serviceStart":"2027-01-01","serviceEnd":"2027-10-31"}]}}""";

        using var response = await host.PostSignedAsync("/api/events:batch", string.Join('\n', Amendment2, Usage("hist3_b3", "2027-01-15", "L1").Replace("C-HIST", "C-HIST3", StringComparison.Ordinal)), "application/x-ndjson");
        var text = await response.Content.ReadAsStringAsync();

        using var json = System.Text.Json.JsonDocument.Parse(text);
        Assert.True(json.RootElement.GetProperty("invalid").GetInt32() == 0, text);
    }

    /// <summary>The signing, an amendment adding usage line U2, and 420,000 of costs by 30 November (each stored once).</summary>
    private async Task StoreHistoryAsync()
    {
        foreach (var body in new[] { Signing, Amendment, Progress("hist_p1", "2026-11-30", "420000") })
        {
            using var response = await host.PostSignedAsync("/api/events", body);
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
