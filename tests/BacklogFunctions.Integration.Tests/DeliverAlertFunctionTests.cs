using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Messages;
using BacklogFunctions.Host.Alerts;
using BacklogFunctions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Integration.Tests;

/// <summary>Behind the Functions host: no listener; the test plays the host's queue trigger for <c>DeliverAlert</c>.</summary>
public sealed class FunctionsAlertFixture : AlertDeliveryFixture
{
    protected override IEnumerable<string> HostArguments => ["--FUNCTIONS_CUSTOMHANDLER_PORT", "0"];
}

[CollectionDefinition(Name)]
public sealed class FunctionsAlertCollection : ICollectionFixture<FunctionsAlertFixture>
{
    public const string Name = "alert delivery, behind the functions host";
}

[Collection(FunctionsAlertCollection.Name)]
public sealed class DeliverAlertFunctionTests(FunctionsAlertFixture program)
{
    /// <summary>What the Functions host sends for a queue message (queue.json of the shared fixtures), the message once or twice encoded.</summary>
    private static string Envelope(string message, long dequeueCount = 1, bool twice = false) => JsonSerializer.Serialize(new
    {
        Data = new { item = twice ? JsonSerializer.Serialize(message) : message },
        Metadata = new { DequeueCount = dequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture), Id = "\"6d2f8a31\"", sys = new { MethodName = "DeliverAlert" } },
    });

    private async Task<JsonElement> InvokeAsync(string envelope)
    {
        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
        var response = await program.Client.PostAsync("/DeliverAlert", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    /// <summary>
    /// The host's queue trigger: receive what is visible on <c>alert-deliveries</c>, invoke the function, complete the
    /// message on a 2xx answer; until <paramref name="done"/> holds.
    /// </summary>
    private async Task<bool> PumpUntilAsync(Func<Task<bool>> done, bool twice = false)
    {
        var queue = program.Queue(AlertDeliveryQueue.QueueName);
        return await StandaloneFixture.EventuallyAsync(async () =>
        {
            foreach (var message in (await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(30))).Value)
            {
                var answer = await InvokeAsync(Envelope(message.Body.ToString(), message.DequeueCount, twice));
                Assert.Equal(JsonValueKind.Null, answer.GetProperty("ReturnValue").ValueKind);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }

            return await done();
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_function_delivers_retries_and_poisons_as_the_standalone_listener_does(bool twiceEncoded)
    {
        var notice = AlertDeliveryFixture.Notice("Overdue backlog " + Guid.NewGuid().ToString("N")[..6]);
        await program.Services.GetRequiredService<IAlertOutbox>().SendAsync([notice], CancellationToken.None);

        Assert.True(
            await PumpUntilAsync(
                async () => program.Receiver.Of("/ok/first", notice.Id).Count > 0 && program.Receiver.Of("/ok/second", notice.Id).Count > 0 &&
                            program.Receiver.Of("/flaky", notice.Id).Any(r => r.Status == 200) &&
                            (await program.PeekAsync(AlertDeliveryQueue.PoisonQueueName)).Any(m => m.AlertId == notice.Id),
                twiceEncoded),
            "every receiver is done with the alert");

        AlertDeliveryFixture.AssertSignedAndExact(Assert.Single(program.Receiver.Of("/ok/first", notice.Id)), notice, AlertDeliveryFixture.FirstSecret);
        AlertDeliveryFixture.AssertSignedAndExact(Assert.Single(program.Receiver.Of("/ok/second", notice.Id)), notice, AlertDeliveryFixture.SecondSecret);
        Assert.Equal([500, 500, 200], program.Receiver.Of("/flaky", notice.Id).Select(r => r.Status));
        var poisoned = Assert.Single(await program.PeekAsync(AlertDeliveryQueue.PoisonQueueName), m => m.AlertId == notice.Id);
        Assert.Equal((program.HangUrl, AlertDeliveryFixture.MaxAttempts), (poisoned.Receiver, poisoned.Attempt));
        Assert.Equal(AlertDeliveryFixture.MaxAttempts, program.Receiver.Of("/hang", notice.Id).Count);
    }

    [Fact]
    public async Task A_failed_attempt_leaves_a_copy_with_the_next_attempt_that_stays_invisible_for_the_backoff()
    {
        var notice = AlertDeliveryFixture.Notice("GRR below 0.9 " + Guid.NewGuid().ToString("N")[..6]);
        var message = AlertDeliveryMessages.Write(new AlertDeliveryMessage(notice.Id, program.FlakyUrl, 1, notice.Body));
        var queue = program.Queue(AlertDeliveryQueue.QueueName);
        var before = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        // The program's delivery with an hour of backoff, so the copy is certainly still invisible when looked for.
        var options = new AlertDeliveryOptions { Webhooks = [new() { Url = program.FlakyUrl, Secret = AlertDeliveryFixture.FlakySecret }] };
        options.Delivery.FirstRetryDelay = TimeSpan.FromHours(1);
        var services = program.Services;
        var delivery = new AlertDelivery(
            services.GetRequiredService<IHttpClientFactory>(), Options.Create(options), services.GetRequiredService<QueueServiceClient>(), TimeProvider.System,
            services.GetRequiredService<Application.Telemetry.BacklogTelemetry>(), NullLogger<AlertDelivery>.Instance);

        var result = await delivery.HandleAsync(message, CancellationToken.None);

        Assert.Equal(AlertDeliveryOutcome.RetryScheduled, result.Outcome);
        Assert.EndsWith("attempt 1 failed (HTTP 500); attempt 2 in 01:00:00", result.Log, StringComparison.Ordinal);
        Assert.Equal(before + 1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.DoesNotContain(await program.PeekAsync(AlertDeliveryQueue.QueueName), m => m.AlertId == notice.Id);
        Assert.Single(program.Receiver.Of("/flaky", notice.Id));
    }

    [Fact]
    public async Task An_unreadable_message_or_one_for_a_receiver_no_longer_configured_is_completed_into_the_poison_queue()
    {
        var marker = Guid.NewGuid().ToString("N");
        var gone = AlertDeliveryMessages.Write(new AlertDeliveryMessage($"2026-10|v1|{marker}|EUR", "http://127.0.0.1:9/removed?token=x", 1, "{}"));

        var unreadable = await InvokeAsync(Envelope("{\"alertId\":\"" + marker + "\",\"attempt\":\"two\"}"));
        var unknown = await InvokeAsync(Envelope(gone));

        Assert.StartsWith("not an alert delivery (attempt: wrong JSON type)", unreadable.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9: the receiver is no longer configured", unknown.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        var poison = (await program.Queue(AlertDeliveryQueue.PoisonQueueName).PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).Where(b => b.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, poison.Count);
        Assert.Contains(poison, b => b.Contains("\"failure\":\"the receiver is no longer configured\"", StringComparison.Ordinal));
        Assert.DoesNotContain(program.Receiver.Requests, r => r.BodyText.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_outbox_addresses_every_configured_receiver_in_order_and_sends_nothing_without_receivers()
    {
        Assert.Equal([program.FirstUrl, program.SecondUrl, program.FlakyUrl, program.HangUrl], program.Services.GetRequiredService<AlertReceivers>().Urls);

        var queues = new QueueServiceClient(program.Azurite.ConnectionString);
        var queue = queues.GetQueueClient(AlertDeliveryQueue.QueueName);
        var before = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        await new AlertDeliveryQueue(queues, AlertReceivers.None).SendAsync([AlertDeliveryFixture.Notice("nobody listens")], CancellationToken.None);
        Assert.Equal(before, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
