using System.Net;
using Azure.Messaging.ServiceBus;
using BacklogFunctions.Cli.ServiceBus;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host;
using BacklogFunctions.Sample;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>Runs only with <see cref="Variable"/> set: the same checks against a real Service Bus namespace.</summary>
public sealed class ServiceBusLiveFactAttribute : FactAttribute
{
    public const string Variable = "BACKLOG_TEST_SERVICEBUS_CONNECTION_STRING";

    public ServiceBusLiveFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"set {Variable} (and BACKLOG_TEST_SERVICEBUS_QUEUE, default billing-events-test) to run against a real namespace";
        }
    }
}

/// <summary>
/// Opt-in (<c>--filter Category=ServiceBusLive</c>): the CLI sends to a real queue, the program's processor
/// stores the valid event and dead-letters the invalid one with its reason, the dead-letter commands see it.
/// The queue should be a scratch queue: the test empties its dead letters of the events it sent.
/// </summary>
[Trait("Category", "ServiceBusLive")]
public sealed class ServiceBusLiveTests
{
    [ServiceBusLiveFact]
    public async Task Sent_events_are_stored_or_dead_lettered_with_their_reason_by_the_processor()
    {
        var connection = Environment.GetEnvironmentVariable(ServiceBusLiveFactAttribute.Variable)!;
        var queue = Environment.GetEnvironmentVariable("BACKLOG_TEST_SERVICEBUS_QUEUE") is { Length: > 0 } q ? q : "billing-events-test";
        await using var azurite = await AzuriteServer.StartAsync();
        await using var app = BacklogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", azurite.ConnectionString,
            "--ServiceBus:ConnectionString", connection,
            "--ServiceBus:Queue", queue,
            "--Webhook:Secrets:0", "whsec_live_0123456789abcdef",
            "--ReadApi:Keys:0", "read-key-0123456789abcdef",
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();

        var run = Guid.NewGuid().ToString("N")[..8];
        var valid = SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(1, 1, 31, new Period(2026, 9)))).First();
        valid = JsonEdit.Set(valid, "id", $"\"evt_live_{run}\"");
        var invalid = $$$"""{"id":"evt_live_bad_{{{run}}}","type":"payment.received","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-1","data":{"paymentId":"P-1","date":"2026-10-03"}}""";

        await using var client = new ServiceBusClient(connection);
        await using var sender = client.CreateSender(queue);
        await sender.SendMessagesAsync([
            new ServiceBusMessage(valid) { MessageId = $"evt_live_{run}" },
            new ServiceBusMessage(invalid) { MessageId = $"evt_live_bad_{run}" },
        ]);

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        http.DefaultRequestHeaders.Add("x-functions-key", "read-key-0123456789abcdef");
        var contract = System.Text.Json.JsonDocument.Parse(valid).RootElement.GetProperty("contractId").GetString();
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((await http.GetAsync($"/api/contracts/{contract}/history")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < until)
        {
            await Task.Delay(500);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/contracts/{contract}/history")).StatusCode);

        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var dead = new DeadLetterQueue(receiver, sender);
        ServiceBusReceivedMessage? found = null;
        while (found is null && DateTime.UtcNow < until)
        {
            found = (await dead.PeekAsync(1000, null, CancellationToken.None)).FirstOrDefault(m => m.MessageId == $"evt_live_bad_{run}");
            await Task.Delay(500);
        }

        Assert.NotNull(found);
        Assert.Equal("invalid", found.DeadLetterReason);
        Assert.Contains("data.amount", found.DeadLetterErrorDescription, StringComparison.Ordinal);
        await receiver.CompleteMessageAsync((await receiver.ReceiveMessagesAsync(100, TimeSpan.FromSeconds(5))).Single(m => m.MessageId == found.MessageId));
    }
}
