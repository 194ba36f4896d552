using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.ServiceBus;

namespace BacklogFunctions.Cli.ServiceBus;

/// <summary>What a resubmission did: the messages sent back to the queue, and those whose send failed (left dead-lettered).</summary>
internal sealed record ResubmitResult(IReadOnlyList<long> Resubmitted, IReadOnlyList<(long SequenceNumber, string Error)> Failed, int Scanned);

/// <summary>
/// A queue's dead-letter sub-queue for operators: read without taking anything (peek), and resubmit chosen
/// messages to the queue. A message leaves the dead-letter queue only after its copy was sent; one whose send
/// fails, and every one not chosen, is released unchanged.
/// </summary>
internal sealed class DeadLetterQueue(ServiceBusReceiver deadLetters, ServiceBusSender queue)
{
    /// <summary>Application properties the broker sets on a dead-lettered message; a resubmitted copy starts without them.</summary>
    private static readonly string[] DeadLetterProperties = ["DeadLetterReason", "DeadLetterErrorDescription"];

    public async Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekAsync(int max, long? fromSequenceNumber, CancellationToken cancellationToken)
    {
        var found = new List<ServiceBusReceivedMessage>();
        var from = fromSequenceNumber;
        while (found.Count < max)
        {
            var page = await deadLetters.PeekMessagesAsync(Math.Min(100, max - found.Count), from, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            found.AddRange(page);
            from = page[^1].SequenceNumber + 1;
        }

        return found;
    }

    public async Task<ServiceBusReceivedMessage?> FindAsync(long sequenceNumber, CancellationToken cancellationToken) =>
        (await deadLetters.PeekMessagesAsync(1, sequenceNumber, cancellationToken).ConfigureAwait(false)).FirstOrDefault(m => m.SequenceNumber == sequenceNumber);

    /// <summary>
    /// Receives up to <paramref name="max"/> dead letters (locks held until the end, so none is seen twice),
    /// resubmits those <paramref name="chosen"/> picks, and releases the rest.
    /// </summary>
    public async Task<ResubmitResult> ResubmitAsync(Func<ServiceBusReceivedMessage, bool> chosen, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var resubmitted = new List<long>();
        var failed = new List<(long, string)>();
        var release = new List<ServiceBusReceivedMessage>();
        var scanned = 0;
        try
        {
            while (scanned < max)
            {
                var received = await deadLetters.ReceiveMessagesAsync(Math.Min(50, max - scanned), wait, cancellationToken).ConfigureAwait(false);
                if (received.Count == 0)
                {
                    break;
                }

                scanned += received.Count;
                foreach (var message in received)
                {
                    if (!chosen(message))
                    {
                        release.Add(message);
                        continue;
                    }

                    try
                    {
                        await queue.SendMessageAsync(CopyOf(message), cancellationToken).ConfigureAwait(false);
                    }
                    catch (ServiceBusException ex)
                    {
                        failed.Add((message.SequenceNumber, ex.Reason.ToString()));
                        release.Add(message);
                        continue;
                    }

                    await deadLetters.CompleteMessageAsync(message, cancellationToken).ConfigureAwait(false);
                    resubmitted.Add(message.SequenceNumber);
                }
            }
        }
        finally
        {
            foreach (var message in release)
            {
                await deadLetters.AbandonMessageAsync(message, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new ResubmitResult(resubmitted, failed, scanned);
    }

    /// <summary>
    /// The message as it was sent, under a message id of its own: the original id may still be inside the queue's
    /// duplicate detection window, where Service Bus would silently drop the copy. Ingest stays idempotent by the
    /// event's (source, id) in the body.
    /// </summary>
    public static ServiceBusMessage CopyOf(ServiceBusReceivedMessage message)
    {
        var copy = new ServiceBusMessage(message);
        foreach (var property in DeadLetterProperties)
        {
            copy.ApplicationProperties.Remove(property);
        }

        var id = $"{message.MessageId}#resubmitted-{message.SequenceNumber}";
        copy.MessageId = id.Length <= ServiceBusEventSender.MaxMessageIdLength ? id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return copy;
    }
}
