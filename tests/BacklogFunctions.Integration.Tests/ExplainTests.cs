using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Cli;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host;
using BacklogFunctions.Sample;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// <c>GET /api/periods/{P}/contracts/{id}/explain</c> on Azurite: a contract of a closed month explained from the
/// events that close saw, equal to <c>backlog explain</c> offline and adding up to the stored row.
/// </summary>
public sealed class ExplainTests : IAsyncLifetime
{
    private static readonly string[] FigureNames = ["revenue", "recognizedToDate", "billedToDate", "collectedToDate", "tcv", "backlog", "deferredRevenue", "unbilledReceivable"];
    private readonly string _events = Path.Combine(Path.GetTempPath(), $"explain-{Guid.NewGuid():N}.ndjson");
    private ClosingProgram _program = null!;

    public async Task InitializeAsync() => _program = await ClosingProgram.StartAsync(new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero));

    public async Task DisposeAsync()
    {
        try
        {
            await _program.DisposeAsync();
        }
        finally
        {
            File.Delete(_events);
        }
    }

    [Fact]
    public async Task A_contract_of_a_closed_month_is_explained_as_the_close_saw_it_equal_to_the_offline_command_and_its_stored_row()
    {
        var events = SampleGenerator.Generate(new SampleSpec(40, 6, 1818, new Period(2025, 7)));
        await File.WriteAllLinesAsync(_events, SampleGenerator.ToNdjson(events));
        await _program.SendAsync(SampleGenerator.ToNdjson(events));
        Assert.Contains("closed 6 period(s)", await _program.TimerAsync(), StringComparison.Ordinal);
        var closedAt = (await _program.GetAsync("/api/periods/2025-12/snapshot")).GetProperty("closedAt").GetDateTimeOffset();

        var contractIds = Offline("snapshot", "--period", "2025-12").GetProperty("contracts").EnumerateArray().Select(c => c.GetProperty("contractId").GetString()!).ToList();
        Assert.NotEmpty(contractIds);
        foreach (var id in contractIds)
        {
            var answer = await _program.GetAsync($"/api/periods/2025-12/contracts/{id}/explain");
            Assert.Equal((1, true), (answer.GetProperty("version").GetInt32(), answer.GetProperty("addsUp").GetBoolean()));
            Assert.False(answer.TryGetProperty("differences", out _));
            Assert.Equal(Normalize(answer.GetProperty("storedFigures")), Normalize(answer.GetProperty("figures")));

            // The stored row, as the snapshot endpoint answers it, has the same figures.
            var row = (await _program.GetAsync($"/api/periods/2025-12/snapshot?contract={id}")).GetProperty("figures");
            Assert.All(FigureNames, f => Assert.Equal(row.GetProperty(f).GetString(), answer.GetProperty("figures").GetProperty(f).GetString()));

            // Offline, from the same events: the same explanation, without receipt times and the stored version.
            var offline = Offline("explain", "--contract", id, "--period", "2025-12");
            Assert.Equal(Normalize(offline), Normalize(WithoutStoredParts(answer)));

            // Every contributing event carries when it was received (before the close) and the hash the store kept.
            foreach (var e in answer.GetProperty("billed").GetProperty("events").EnumerateArray().Concat(answer.GetProperty("tcv").GetProperty("events").EnumerateArray()))
            {
                Assert.True(e.GetProperty("receivedAt").GetDateTimeOffset() <= closedAt);
                Assert.Matches("^[0-9a-f]{64}$", e.GetProperty("payloadSha256").GetString());
            }
        }

        // A late invoice dated in closed December: version 1's explanation is what the close saw (without it), and
        // adds up to its row; the explanation offline, which has it, is another one.
        var contract = events.OfType<ContractSigned>().First(s => s.SignedDate < new DateOnly(2025, 10, 1));
        _program.Clock.SetUtcNow(new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero));
        var late = $$$"""{"id":"late-explain-1","type":"invoice.issued","source":"billing-late","occurredAt":"2026-01-10T09:00:00Z","contractId":"{{{contract.ContractId}}}","data":{"invoiceId":"INV-LATE-X","issueDate":"2025-12-20","amount":"{{{(contract.Currency.MinorUnit == 0 ? "777" : "777." + new string('0', contract.Currency.MinorUnit))}}}"}}""";
        await _program.SendAsync([late]);
        var asClosed = await _program.GetAsync($"/api/periods/2025-12/contracts/{contract.ContractId}/explain?version=1");
        Assert.True(asClosed.GetProperty("addsUp").GetBoolean());
        Assert.DoesNotContain(asClosed.GetProperty("billed").GetProperty("events").EnumerateArray(), e => e.GetProperty("id").GetString() == "late-explain-1");
        await File.AppendAllLinesAsync(_events, [late]);
        var withLate = Offline("explain", "--contract", contract.ContractId, "--period", "2025-12");
        Assert.Contains(withLate.GetProperty("billed").GetProperty("events").EnumerateArray(), e => e.GetProperty("id").GetString() == "late-explain-1");

        // Not closed, no such version, not in the month: 404. A bad period, id or version: 400.
        var later = events.OfType<ContractSigned>().First(s => s.SignedDate > new DateOnly(2025, 7, 31));
        foreach (var path in new[] { "2026-03/contracts/C-000001/explain", "2025-12/contracts/C-000001/explain?version=7", "2025-12/contracts/NOPE/explain", $"2025-07/contracts/{later.ContractId}/explain" })
        {
            Assert.True(HttpStatusCode.NotFound == (await _program.Client.GetAsync($"/api/periods/{path}")).StatusCode, path);
        }

        foreach (var path in new[] { "2025-Q4/contracts/C-000001/explain", "2025-13/contracts/C-000001/explain", "2025-12/contracts/bad%20id/explain", "2025-12/contracts/C-000001/explain?version=0", "2025-12/contracts/C-000001/explain?version=x" })
        {
            Assert.True(HttpStatusCode.BadRequest == (await _program.Client.GetAsync($"/api/periods/{path}")).StatusCode, path);
        }

        using var anonymous = new HttpClient { BaseAddress = _program.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/periods/2025-12/contracts/C-000001/explain")).StatusCode);
    }

    /// <summary>The answer without what only a stored version has: its version, close time, row figures, check and receipt times.</summary>
    private static JsonElement WithoutStoredParts(JsonElement answer)
    {
        var node = JsonNode.Parse(answer.GetRawText())!.AsObject();
        foreach (var name in new[] { "version", "closedAt", "storedFigures", "addsUp" })
        {
            node.Remove(name);
        }

        Strip(node);
        return Json.Parse(node.ToJsonString());

        static void Strip(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    o.Remove("receivedAt");
                    foreach (var child in o.Select(p => p.Value).ToList())
                    {
                        Strip(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }

    private JsonElement Offline(string command, params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run([command, "--events", _events, .. args, "--format", "json"], stdout, stderr, () => Stream.Null, showProgress: false);
        Assert.True(exit == 0, stderr.ToString());
        return Json.Parse(stdout.ToString());
    }

    private static string Normalize(JsonElement element) => JsonSerializer.Serialize(element);
}
