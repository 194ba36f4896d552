using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Host;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Sample;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Storage goes away in the middle of a run: the client keeps retrying what was not acknowledged, and in the
/// end every acknowledged event is stored exactly once.
/// </summary>
public sealed class StorageOutageTests
{
    private const string Secret = "whsec_outage_0123456789abcdef";

    [Fact]
    public async Task Every_acknowledged_event_is_stored_exactly_once_across_a_storage_restart()
    {
        await using var azurite = await AzuriteServer.StartAsync(inMemory: false);
        await using var app = BacklogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", azurite.ConnectionString,
            "--Webhook:Secrets:0", Secret,
            "--ReadApi:Keys:0", "read-key-0123456789abcdef",
            "--Logging:LogLevel:Default", "Error",
        ]);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(60) };

        var events = SampleGenerator.Generate(new SampleSpec(300, 24, 4242, SampleSpec.DefaultStart)).Take(2000).ToList();
        Assert.Equal(2000, events.Count);
        var lines = SampleGenerator.ToNdjson(events).ToList();
        var acknowledged = new List<ContractEvent>();
        var outage = Task.CompletedTask;
        var backBy = -1;

        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 700 && backBy < 0 && outage.IsCompleted)
            {
                backBy = i;
            }

            if (i == 700)
            {
                // Storage stops while requests keep coming, and is back a moment later.
                outage = Task.Run(async () =>
                {
                    await azurite.StopAsync(graceful: true);
                    await Task.Delay(1500);
                    await azurite.RestartAsync();
                });
            }

            if (await SendWithRetriesAsync(client, lines[i]))
            {
                acknowledged.Add(events[i]);
            }
        }

        await outage;
        Assert.True(backBy is > 700 and < 2000, $"storage was back by event {backBy}: the restart happened in the middle of the run");
        Assert.Equal(2000, acknowledged.Count);

        var stored = new Dictionary<(string Contract, string Row), int>();
        await foreach (var row in new TableServiceClient(azurite.ConnectionString).GetTableClient(TableEventStore.EventsTable).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            stored[(row.PartitionKey, row.RowKey)] = stored.GetValueOrDefault((row.PartitionKey, row.RowKey)) + 1;
        }

        Assert.All(acknowledged, e => Assert.Equal(1, stored.GetValueOrDefault((e.ContractId, TableEventStore.RowKeyOf(e.Key)))));
        Assert.Equal(acknowledged.Count, stored.Count);
    }

    /// <summary>A billing system's client: retries until the event is acknowledged (202 or 200), with backoff.</summary>
    private static async Task<bool> SendWithRetriesAsync(HttpClient client, string line)
    {
        var body = Encoding.UTF8.GetBytes(line);
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
            try
            {
                using var response = await client.SendAsync(request);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    return true;
                }

                Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError, $"unexpected {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException)
            {
                // The connection broke: the event may or may not be stored; sending it again is safe.
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
        }

        return false;
    }
}
