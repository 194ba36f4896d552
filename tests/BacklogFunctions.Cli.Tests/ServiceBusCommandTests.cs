using System.Globalization;
using System.Text;
using Azure.Messaging.ServiceBus;
using BacklogFunctions.Cli.ServiceBus;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Sample;

namespace BacklogFunctions.Cli.Tests;

/// <summary>
/// <c>backlog send --service-bus</c> and <c>backlog dead-letters</c> at the SDK's boundary: the sender and receiver
/// are the SDK's own abstract types, batches come from <see cref="ServiceBusModelFactory"/>. No broker runs here.
/// </summary>
public sealed class ServiceBusCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("backlog-sb-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private string File(IEnumerable<string> lines)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.ndjson");
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    private static List<string> SampleLines(int contracts) =>
        SampleGenerator.ToNdjson(SampleGenerator.Generate(new SampleSpec(contracts, 2, 17, new Period(2026, 1)))).ToList();

    [Fact]
    public async Task Events_go_in_batches_that_fit_with_their_source_and_id_as_message_id()
    {
        var lines = SampleLines(3);
        var read = await ServiceBusSendCommand.ReadAsync(File(lines), TextWriter.Null, CancellationToken.None);
        Assert.Empty(read!.Value.Problems);
        var sender = new FakeSender(messagesPerBatch: 3);

        var batches = await new ServiceBusEventSender(sender, TextWriter.Null, showProgress: false).SendAsync(read.Value.Events, CancellationToken.None);

        Assert.Equal((lines.Count + 2) / 3, batches);
        Assert.Equal(batches, sender.Batches.Count);
        Assert.All(sender.Batches, b => Assert.InRange(b.Count, 1, 3));
        var sent = sender.Batches.SelectMany(b => b).ToList();
        Assert.Equal(lines, sent.Select(m => m.Body.ToString()));
        var events = lines.Select(l => EventReader(l)).ToList();
        Assert.Equal(events.Select(e => e.Key.ToString()), sent.Select(m => m.MessageId));
        Assert.Equal(events.Select(e => e.Type), sent.Select(m => m.Subject));
        Assert.All(sent, m => Assert.Equal("application/json", m.ContentType));
    }

    [Fact]
    public void A_key_longer_than_a_message_id_may_be_is_sent_as_its_hash()
    {
        var key = new EventKey(new string('s', 100), new string('i', 100));
        var id = ServiceBusEventSender.MessageIdOf(key);

        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.Equal(7 + 64, id.Length);
        Assert.Equal(id, ServiceBusEventSender.MessageIdOf(key));
        Assert.Equal("billing-eu/evt_1", ServiceBusEventSender.MessageIdOf(new EventKey("billing-eu", "evt_1")));
    }

    [Fact]
    public void An_invalid_event_stops_the_send_before_any_connection_with_every_problem_and_exit_2()
    {
        var lines = SampleLines(1);
        lines.Insert(1, """{"id":"evt_bad","type":"payment.received","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-1","data":{"paymentId":"P-1","date":"2026-13-03","amount":"1.00"}}""");
        lines.Insert(2, "not json");

        var (exit, output, error) = Run("send", "--events", File(lines), "--service-bus", "backlog-test-namespace");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("line 2: event evt_bad: data.date:", error, StringComparison.Ordinal);
        Assert.Contains("line 3: event (no id):", error, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("send --events e.ndjson --url http://127.0.0.1:1 --service-bus backlog-test-namespace", "not both")]
    [InlineData("send --events e.ndjson", "give --url URL")]
    [InlineData("send --events e.ndjson --service-bus no", "--service-bus must be")]
    [InlineData("send --events e.ndjson --service-bus backlog-test-namespace --queue bad*queue", "--queue must be")]
    [InlineData("dead-letters resubmit --service-bus backlog-test-namespace", "exactly one of --sequence, --reason or --all")]
    [InlineData("dead-letters resubmit --service-bus backlog-test-namespace --all --reason x", "exactly one of --sequence, --reason or --all")]
    [InlineData("dead-letters list", "give --service-bus NAMESPACE")]
    [InlineData("dead-letters show --service-bus backlog-test-namespace", "--sequence")]
    public void Bad_arguments_exit_1_and_say_why(string args, string expected)
    {
        var (exit, output, error) = Run(args.Split(' '));

        Assert.Equal(1, exit);
        Assert.DoesNotContain(output.Split('\n'), l => l.StartsWith("sent ", StringComparison.Ordinal) || l.StartsWith("resubmitted ", StringComparison.Ordinal));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resubmit_completes_a_dead_letter_only_after_its_copy_was_sent_and_releases_the_rest()
    {
        var receiver = new FakeReceiver(
            DeadLetter(11, "evt_a", "MaxDeliveryCountExceeded"),
            DeadLetter(12, "evt_b", "invalid"),
            DeadLetter(13, "evt_c", "MaxDeliveryCountExceeded"),
            DeadLetter(14, "evt_d", "MaxDeliveryCountExceeded"));
        var sender = new FakeSender(messagesPerBatch: 10) { FailFor = "evt_c" };

        var result = await new DeadLetterQueue(receiver, sender).ResubmitAsync(m => m.DeadLetterReason == "MaxDeliveryCountExceeded", 100, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal([11L, 14L], result.Resubmitted);
        Assert.Equal(13, Assert.Single(result.Failed).SequenceNumber);
        Assert.Equal(4, result.Scanned);
        Assert.Equal([11L, 14L], receiver.Completed);
        Assert.Equal([12L, 13L], receiver.Abandoned.Order());
        Assert.Equal(["evt_a#resubmitted-11", "evt_d#resubmitted-14"], sender.Sent.Select(m => m.MessageId));
        Assert.All(sender.Sent, m =>
        {
            Assert.DoesNotContain("DeadLetterReason", m.ApplicationProperties.Keys);
            Assert.DoesNotContain("DeadLetterErrorDescription", m.ApplicationProperties.Keys);
            Assert.Equal("kept", m.ApplicationProperties["origin"]);
        });
        Assert.Equal("{\"id\":\"evt_a\"}", sender.Sent[0].Body.ToString());
    }

    [Fact]
    public async Task Resubmit_by_sequence_number_stops_at_max_and_leaves_everything_else()
    {
        var receiver = new FakeReceiver(Enumerable.Range(1, 120).Select(i => DeadLetter(i, $"evt_{i}", "MaxDeliveryCountExceeded")).ToArray());
        var sender = new FakeSender(messagesPerBatch: 10);

        var result = await new DeadLetterQueue(receiver, sender).ResubmitAsync(m => m.SequenceNumber is 3 or 70, 60, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal([3L], result.Resubmitted);
        Assert.Equal(60, result.Scanned);
        Assert.Equal([3L], receiver.Completed);
        Assert.Equal(59, receiver.Abandoned.Count);
        Assert.Equal(119, receiver.Remaining);
    }

    [Fact]
    public async Task Listing_peeks_every_page_and_takes_nothing()
    {
        var receiver = new FakeReceiver(Enumerable.Range(1, 250).Select(i => DeadLetter(i, $"evt_{i}", "invalid")).ToArray());

        var listed = await new DeadLetterQueue(receiver, new FakeSender(1)).PeekAsync(220, null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 220).Select(i => (long)i), listed.Select(m => m.SequenceNumber));
        Assert.Equal("invalid", listed[0].DeadLetterReason);
        Assert.Equal("description of evt_1", listed[0].DeadLetterErrorDescription);
        Assert.Empty(receiver.Completed);
        Assert.Equal(250, receiver.Remaining);
        Assert.Equal(5, (await new DeadLetterQueue(receiver, new FakeSender(1)).FindAsync(5, CancellationToken.None))!.SequenceNumber);
        Assert.Null(await new DeadLetterQueue(receiver, new FakeSender(1)).FindAsync(999, CancellationToken.None));
    }

    private static ContractEvent EventReader(string line) => Application.Events.EventReader.Parse(line).Event!;

    private static ServiceBusReceivedMessage DeadLetter(long sequence, string id, string reason) => ServiceBusModelFactory.ServiceBusReceivedMessage(
        body: BinaryData.FromString($"{{\"id\":\"{id}\"}}"),
        messageId: id,
        contentType: "application/json",
        properties: new Dictionary<string, object> { ["DeadLetterReason"] = reason, ["DeadLetterErrorDescription"] = $"description of {id}", ["origin"] = "kept" },
        sequenceNumber: sequence,
        deliveryCount: 10,
        lockTokenGuid: Guid.NewGuid());

    private sealed class FakeSender(int messagesPerBatch) : ServiceBusSender
    {
        private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> _batches = [];

        public List<List<ServiceBusMessage>> Batches { get; } = [];

        public List<ServiceBusMessage> Sent { get; } = [];

        public string? FailFor { get; init; }

        public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default)
        {
            var store = new List<ServiceBusMessage>();
            var batch = ServiceBusModelFactory.ServiceBusMessageBatch(256 * 1024, store, tryAddCallback: _ => store.Count < messagesPerBatch);
            _batches[batch] = store;
            return ValueTask.FromResult(batch);
        }

        public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default)
        {
            Batches.Add([.. _batches[messageBatch]]);
            return Task.CompletedTask;
        }

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            if (FailFor is { } id && message.MessageId.StartsWith(id + "#", StringComparison.Ordinal))
            {
                throw new ServiceBusException("the queue is busy", ServiceBusFailureReason.ServiceBusy);
            }

            Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    /// <summary>A dead-letter queue: locked messages are not received again until they are abandoned.</summary>
    private sealed class FakeReceiver(params ServiceBusReceivedMessage[] messages) : ServiceBusReceiver
    {
        private readonly List<ServiceBusReceivedMessage> _available = [.. messages];
        private readonly List<ServiceBusReceivedMessage> _locked = [];

        public List<long> Completed { get; } = [];

        public List<long> Abandoned { get; } = [];

        public int Remaining => _available.Count + _locked.Count;

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekMessagesAsync(int maxMessages, long? fromSequenceNumber = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(_available.Concat(_locked).OrderBy(m => m.SequenceNumber).Where(m => m.SequenceNumber >= (fromSequenceNumber ?? 0)).Take(maxMessages).ToList());

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
        {
            var taken = _available.OrderBy(m => m.SequenceNumber).Take(maxMessages).ToList();
            _available.RemoveAll(taken.Contains);
            _locked.AddRange(taken);
            return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(taken);
        }

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            Assert.True(_locked.Remove(message), "only a locked message is completed");
            Completed.Add(message.SequenceNumber);
            return Task.CompletedTask;
        }

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
        {
            Assert.True(_locked.Remove(message), "only a locked message is abandoned");
            _available.Add(message);
            Abandoned.Add(message.SequenceNumber);
            return Task.CompletedTask;
        }
    }
}
