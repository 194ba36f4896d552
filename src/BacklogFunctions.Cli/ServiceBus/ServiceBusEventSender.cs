using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.ServiceBus;
using BacklogFunctions.Domain.Events;

namespace BacklogFunctions.Cli.ServiceBus;

/// <summary>One event as it is sent: its line of the file, its key and type.</summary>
internal sealed record OutgoingEvent(int Line, string Json, EventKey Key, string Type);

/// <summary>
/// Sends events as Service Bus messages, as many per batch as the SDK's size limit allows. The message id is
/// the event's (source, id), so Service Bus duplicate detection drops what our own idempotency would answer as a
/// duplicate anyway.
/// </summary>
internal sealed class ServiceBusEventSender(ServiceBusSender sender, TextWriter stderr, bool showProgress)
{
    /// <summary>Service Bus message ids are at most 128 characters.</summary>
    public const int MaxMessageIdLength = 128;

    /// <summary>The event key, or (when longer than a message id may be) <c>sha256:</c> and the hash of it.</summary>
    public static string MessageIdOf(EventKey key)
    {
        var text = key.ToString();
        return text.Length <= MaxMessageIdLength ? text : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static ServiceBusMessage MessageOf(OutgoingEvent e) => new(Encoding.UTF8.GetBytes(e.Json))
    {
        MessageId = MessageIdOf(e.Key),
        ContentType = "application/json",
        Subject = e.Type,
    };

    /// <summary>Sends every event and answers the number of batches.</summary>
    public async Task<int> SendAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
    {
        var batches = 0;
        var sent = 0;
        var batch = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var e in events)
            {
                var message = MessageOf(e);
                if (batch.TryAddMessage(message))
                {
                    continue;
                }

                // Full: send it and start the next one with this message (which fits an empty batch: checked before).
                await sender.SendMessagesAsync(batch, cancellationToken).ConfigureAwait(false);
                sent += batch.Count;
                batches++;
                Report(sent, events.Count);
                batch.Dispose();
                batch = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);
                if (!batch.TryAddMessage(message))
                {
                    throw new InvalidOperationException($"line {e.Line}: event {e.Key} does not fit an empty batch of {batch.MaxSizeInBytes} bytes");
                }
            }

            if (batch.Count > 0)
            {
                await sender.SendMessagesAsync(batch, cancellationToken).ConfigureAwait(false);
                sent += batch.Count;
                batches++;
                Report(sent, events.Count);
            }
        }
        finally
        {
            batch.Dispose();
        }

        if (showProgress)
        {
            stderr.WriteLine();
        }

        return batches;
    }

    /// <summary>Events larger than a batch of the queue can hold (checked before anything is sent).</summary>
    public async Task<IReadOnlyList<OutgoingEvent>> TooLargeAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
    {
        using var probe = await sender.CreateMessageBatchAsync(cancellationToken).ConfigureAwait(false);

        // Room for the message's own properties and the AMQP framing beside the body.
        return events.Where(e => Encoding.UTF8.GetByteCount(e.Json) + 1024 > probe.MaxSizeInBytes).ToList();
    }

    private void Report(int sent, int total)
    {
        if (showProgress)
        {
            stderr.Write(string.Create(CultureInfo.InvariantCulture, $"\r  {sent:N0} / {total:N0} events sent ({sent * 100 / Math.Max(1, total)}%)"));
        }
    }
}
