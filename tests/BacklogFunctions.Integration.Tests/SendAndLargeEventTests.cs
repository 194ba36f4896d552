using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using BacklogFunctions.Cli;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Integration.Tests;

[Collection(HostCollection.Name)]
public sealed class SendAndLargeEventTests(BacklogHostFixture host)
{
    [Fact]
    public async Task Backlog_send_delivers_a_file_through_the_signed_webhook_and_counts_what_was_stored()
    {
        var file = Path.Combine(Path.GetTempPath(), $"send-{Guid.NewGuid():N}.ndjson");
        var events = SampleGenerator.Generate(new SampleSpec(20, 6, 777, new Domain.Money.Period(2031, 1)));
        await File.WriteAllLinesAsync(file, SampleGenerator.ToNdjson(events));
        try
        {
            var (exit, output, error) = Send(file, BacklogHostFixture.Secret);
            var (again, repeated, _) = Send(file, BacklogHostFixture.Secret);
            var (refused, _, why) = Send(file, "not-the-right-secret-0123");

            Assert.True(exit == 0, error);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"sent {events.Count:N0} events: {events.Count:N0} stored, 0 duplicates"), output, StringComparison.Ordinal);
            Assert.Equal(0, again);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"0 stored, {events.Count:N0} duplicates"), repeated, StringComparison.Ordinal);
            Assert.Equal(2, refused);
            Assert.Contains("401", why, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_event_too_large_for_a_table_row_is_kept_in_a_blob_and_read_back_whole()
    {
        var contract = Json.NewContractId();
        var signed = JsonNode.Parse(Json.Signed(contract))!;
        var lines = signed["data"]!["lines"]!.AsArray();
        for (var i = 2; i <= 45; i++)
        {
            lines.Add(JsonNode.Parse($$$"""{"lineId":"L{{{i}}}","amount":"10.00","recognition":"point_in_time","expectedDate":"2026-12-01","description":"{{{new string('d', 900)}}}"}"""));
        }

        var body = signed.ToJsonString();
        Assert.True(body.Length > 30_000);

        var response = await host.PostSignedAsync("/api/events", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var history = await Json.ReadAsync(await host.GetWithKeyAsync($"/api/contracts/{contract}/history"));
        Assert.Equal(45, history.GetProperty("events")[0].GetProperty("payload").GetProperty("data").GetProperty("lines").GetArrayLength());
    }

    private (int Exit, string Out, string Err) Send(string file, string secret)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run(
            ["send", "--events", file, "--url", host.Client.BaseAddress!.ToString(), "--batch", "50"],
            stdout,
            stderr,
            () => Stream.Null,
            showProgress: false,
            name => name == SendCommand.SecretVariable ? secret : null,
            host.Clock);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
