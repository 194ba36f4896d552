using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using BacklogFunctions.Cli.ServiceBus;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host;
using BacklogFunctions.Host.ServiceBus;
using BacklogFunctions.Sample;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// How the standalone Service Bus consumer settles each message, on the real ingest and Azurite: the processor's
/// arguments are built around the SDK's abstract <see cref="ServiceBusReceiver"/>, which records the settlement.
/// </summary>
public sealed class ServiceBusSettlementTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        _app = BacklogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", _azurite.ConnectionString,
            "--Storage:MaxRetries", "0",
            "--Webhook:Secrets:0", "whsec_servicebus_0123456789abcdef",
            "--ReadApi:Keys:0", "read-key-0123456789abcdef",
            "--Logging:LogLevel:Default", "None",
        ]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Stored_and_duplicate_complete_invalid_and_conflict_dead_letter_with_reason_a_storage_fault_abandons()
    {
        var settlement = _app.Services.GetRequiredService<BillingEventSettlement>();
        var signing = SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(1, 1, 21, new Period(2026, 9)))).First();
        var conflicting = JsonEdit.Set(signing, "data.customer.name", "\"Someone Else Ltd\"");
        Assert.NotEqual(signing, conflicting);

        Assert.Equal("complete", await SettleAsync(settlement, signing));
        Assert.Equal("complete", await SettleAsync(settlement, signing));
        Assert.Equal(1, await CountAsync(TableEventStore.EventsTable));

        var invalid = await SettleAsync(settlement, """{"id":"evt_bad","type":"payment.received","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-1","data":{"paymentId":"P-1","date":"2026-10-03"}}""");
        Assert.StartsWith("dead-letter invalid: rejected event evt_bad: data.amount:", invalid, StringComparison.Ordinal);
        Assert.StartsWith("dead-letter invalid: the message body is not a JSON event", await SettleAsync(settlement, "not json"), StringComparison.Ordinal);
        var conflict = await SettleAsync(settlement, conflicting);
        Assert.StartsWith("dead-letter conflict: rejected event", conflict, StringComparison.Ordinal);
        Assert.Contains("already received with other content", conflict, StringComparison.Ordinal);

        // What can never succeed is also kept where the other channels keep it; nothing else was stored.
        Assert.Equal(3, await CountAsync(TableRejectedEventStore.Table));
        Assert.Equal(1, await CountAsync(TableEventStore.EventsTable));

        // A description longer than Service Bus keeps is cut, the reason stays.
        var huge = SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(1, 1, 22, new Period(2026, 9)))).First()
            .Replace("\"currency\":", $"\"salesOwner\":\"{new string('x', 1000)}\",\"bogus\":1,\"currency\":", StringComparison.Ordinal);
        var cut = await SettleAsync(settlement, huge);
        Assert.StartsWith("dead-letter invalid:", cut, StringComparison.Ordinal);
        Assert.True(cut.Length <= "dead-letter invalid: ".Length + BillingEventSettlement.MaxDescriptionLength, cut);

        await _azurite.StopAsync();
        Assert.Equal("abandon", await SettleAsync(settlement, SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(1, 1, 23, new Period(2026, 9)))).First()));
    }

    [Fact]
    public async Task A_message_in_hand_when_the_program_stops_is_abandoned_not_lost()
    {
        var settlement = _app.Services.GetRequiredService<BillingEventSettlement>();
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        var line = SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(1, 1, 24, new Period(2026, 9)))).First();
        Assert.Equal("abandon", await SettleAsync(settlement, line, stopping.Token));
        Assert.Equal(0, await CountAsync(TableEventStore.EventsTable));
    }

    [Theory]
    [InlineData(false, "--ServiceBus:Namespace", "sb-backlog-test.servicebus.windows.net", "--ServiceBus:ConnectionString", Secret, "not both")]
    [InlineData(false, "--ServiceBus:Namespace", "not a host name", "--ServiceBus:Queue", "billing-events", "host name")]
    [InlineData(true, "--ServiceBus:ConnectionString", Secret, "--ServiceBus:Queue", "billing-events", "apply only standalone")]
    public async Task Service_bus_settings_that_cannot_work_stop_the_start_without_showing_the_connection_string(bool behindFunctionsHost, string key1, string value1, string key2, string value2, string expected)
    {
        string[] hosting = behindFunctionsHost ? ["--FUNCTIONS_CUSTOMHANDLER_PORT", "0", "--ReadApi:TrustFunctionsHost", "true"] : ["--urls", "http://127.0.0.1:0", "--ReadApi:Keys:0", "read-key-0123456789abcdef"];
        await using var app = BacklogApp.Build(
        [
            .. hosting,
            "--Storage:ConnectionString", _azurite.ConnectionString,
            "--Webhook:Secrets:0", "whsec_servicebus_0123456789abcdef",
            "--Logging:LogLevel:Default", "None",
            key1, value1, key2, value2,
        ]);

        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey", refused.Message, StringComparison.Ordinal);
    }

    private const string Secret = "Endpoint=sb://sb-backlog-test.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ=";

    /// <summary>Settles one message through the processor's arguments and says how.</summary>
    private static async Task<string> SettleAsync(BillingEventSettlement settlement, string body, CancellationToken cancellationToken = default)
    {
        var receiver = new SettlingReceiver();
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(BinaryData.FromString(body), messageId: Guid.NewGuid().ToString("N"), lockTokenGuid: Guid.NewGuid(), deliveryCount: 1, sequenceNumber: 1);
        await settlement.SettleAsync(new ProcessMessageEventArgs(message, receiver, cancellationToken), "billing-events");
        return Assert.Single(receiver.Settlements);
    }

    private async Task<int> CountAsync(string table)
    {
        var count = 0;
        await foreach (var _ in new TableServiceClient(_azurite.ConnectionString).GetTableClient(table).QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>The SDK's receiver at the settlement boundary: records what was done with each message.</summary>
    private sealed class SettlingReceiver : ServiceBusReceiver
    {
        public List<string> Settlements { get; } = [];

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            Settlements.Add("complete");
            return Task.CompletedTask;
        }

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
        {
            Settlements.Add("abandon");
            return Task.CompletedTask;
        }

        public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default)
        {
            Settlements.Add($"dead-letter {deadLetterReason}: {deadLetterErrorDescription}");
            return Task.CompletedTask;
        }
    }
}
