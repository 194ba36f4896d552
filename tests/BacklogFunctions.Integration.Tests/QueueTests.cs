using System.Net;
using System.Text;
using Azure.Data.Tables;

namespace BacklogFunctions.Integration.Tests;

[Collection(HostCollection.Name)]
public sealed class QueueTests(BacklogHostFixture host)
{
    private static readonly string Fixtures = Path.Combine(Testing.Repository.Root, "..", "shared", "fixtures", "functions-host");

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private async Task<int> StoredCountAsync(string contract)
    {
        var response = await host.GetWithKeyAsync($"/api/contracts/{contract}/history");
        return response.StatusCode == HttpStatusCode.OK ? (await Json.ReadAsync(response)).GetProperty("events").GetArrayLength() : 0;
    }

    private async Task<List<TableEntity>> RejectedAsync(string contains)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in host.Rejected.QueryAsync<TableEntity>())
        {
            if (row.GetString("Body").Contains(contains, StringComparison.Ordinal))
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    [Theory]
    [InlineData("servicebus-single-encoded.json", "evt_1001")]
    [InlineData("servicebus-double-encoded.json", "evt_1002")]
    public async Task Service_bus_envelopes_from_the_functions_host_are_ingested_once_or_twice_encoded(string fixture, string eventId)
    {
        var envelope = await File.ReadAllTextAsync(Path.Combine(Fixtures, fixture));
        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");

        var response = await host.Client.PostAsync("/IngestBillingEvent", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await Json.ReadAsync(response);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, answer.GetProperty("Outputs").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.GetProperty("ReturnValue").ValueKind);
        Assert.Contains(eventId, answer.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        var history = await Json.ReadAsync(await host.GetWithKeyAsync("/api/contracts/C-1001/history"));
        var stored = history.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("id").GetString() == eventId);
        Assert.Equal("servicebus", stored.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task An_invalid_service_bus_message_is_rejected_for_good_and_the_message_completed()
    {
        var marker = Guid.NewGuid().ToString("N");
        var envelope = $$$"""{"Data":{"message":"{\"id\":\"{{{marker}}}\",\"type\":\"invoice.issued\"}"},"Metadata":{"DeliveryCount":"1","MessageId":"\"m1\""}}""";
        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");

        var response = await host.Client.PostAsync("/IngestBillingEvent", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // completed: retrying can never help
        var rejected = Assert.Single(await RejectedAsync(marker));
        Assert.Contains("occurredAt: is required", rejected.GetString("Reason"), StringComparison.Ordinal);
        Assert.Equal("servicebus", rejected.GetString("Channel"));
    }

    [Fact]
    public async Task A_storage_queue_message_is_ingested_by_the_standalone_listener()
    {
        var contract = Json.NewContractId();
        var queue = host.Queue(host.QueueName);
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync(Json.Compact(Json.Signed(contract)));
        await queue.SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(Json.Compact(Json.Invoice(contract, "q-inv")))); // JSON-encoded twice

        Assert.True(await EventuallyAsync(async () => await StoredCountAsync(contract) == 2), "both queued events are stored");
        Assert.True(await EventuallyAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0), "the messages are completed");
    }

    [Fact]
    public async Task A_conflicting_queue_message_is_kept_in_the_rejected_store_not_retried()
    {
        var contract = Json.NewContractId();
        await host.PostSignedAsync("/api/events", Json.Signed(contract));
        var queue = host.Queue(host.QueueName);
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync(Json.Compact(Json.Signed(contract, amount: "5.00")));

        Assert.True(await EventuallyAsync(async () => (await RejectedAsync(contract)).Count == 1), "the conflict is recorded");
        Assert.StartsWith("conflict", (await RejectedAsync(contract))[0].GetString("Reason"), StringComparison.Ordinal);
        Assert.Equal(1, await StoredCountAsync(contract));
    }

    [Fact]
    public async Task A_message_delivered_too_often_goes_to_the_poison_queue()
    {
        // A queue of its own, so that its message fails three deliveries before any listener sees it.
        var name = "poison-test-" + Guid.NewGuid().ToString("N")[..8];
        var marker = Json.NewContractId();
        var queue = host.Queue(name);
        var poison = host.Queue(name + "-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(Json.Compact(Json.Signed(marker)));
        for (var i = 0; i < 3; i++)
        {
            var received = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
            await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        await using var listener = await host.StartAnotherHostAsync(name, maxDequeueCount: 2);

        Assert.True(await EventuallyAsync(async () => (await poison.PeekMessagesAsync(32)).Value.Any(m => m.Body.ToString().Contains(marker, StringComparison.Ordinal))), "the message is in the poison queue");
        // Moved, not copied: the original is deleted right after the poison copy is sent.
        Assert.True(await EventuallyAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0), "the message left the queue");
        Assert.Equal(0, await StoredCountAsync(marker));
    }
}
