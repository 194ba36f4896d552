using System.CommandLine;
using System.Globalization;
using Azure.Messaging.ServiceBus;

namespace BacklogFunctions.Cli.ServiceBus;

/// <summary>
/// <c>backlog dead-letters list|show|resubmit</c>: the dead-letter queue of a Service Bus queue, for operators
/// (Azure Service Bus Data Receiver to read it, and Data Sender on the queue to resubmit).
/// </summary>
internal static class DeadLettersCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var command = new Command("dead-letters", "Dead-lettered billing events of a Service Bus queue: list, show, resubmit.");
        command.Subcommands.Add(List(stdout, stderr, environment));
        command.Subcommands.Add(Show(stdout, stderr, environment));
        command.Subcommands.Add(Resubmit(stdout, stderr, environment));
        return command;
    }

    private static Command List(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var target = new ServiceBusTarget();
        var max = new Option<int>("--max") { Description = "At most this many messages.", DefaultValueFactory = _ => 100 };
        max.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000) { r.AddError("--max must be 1 to 10,000"); } });
        var command = new Command("list", "List dead letters (peeked: nothing is taken) with their reason and description.") { max };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, target, environment, stderr, async dlq =>
        {
            var messages = await dlq.PeekAsync(parse.GetValue(max), null, cancellationToken).ConfigureAwait(false);
            stdout.WriteLine("sequence\tenqueued\tdeliveries\tmessageId\treason\tdescription");
            foreach (var m in messages)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.SequenceNumber}\t{m.EnqueuedTime:yyyy-MM-ddTHH:mm:ssZ}\t{m.DeliveryCount}\t{m.MessageId}\t{OneLine(m.DeadLetterReason)}\t{OneLine(m.DeadLetterErrorDescription)}"));
            }

            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{messages.Count} dead letter(s) in {target.Describe(parse)}"));
            return 0;
        }));
        return command;
    }

    private static Command Show(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var target = new ServiceBusTarget();
        var sequence = new Option<long>("--sequence") { Description = "The message's sequence number (from list).", Required = true };
        var command = new Command("show", "One dead letter: its properties and body.") { sequence };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, target, environment, stderr, async dlq =>
        {
            if (await dlq.FindAsync(parse.GetValue(sequence), cancellationToken).ConfigureAwait(false) is not { } m)
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no dead letter with sequence number {parse.GetValue(sequence)} in {target.Describe(parse)}"));
                return 2;
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sequence:    {m.SequenceNumber}"));
            stdout.WriteLine($"messageId:   {m.MessageId}");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"enqueued:    {m.EnqueuedTime:yyyy-MM-ddTHH:mm:ssZ}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deliveries:  {m.DeliveryCount}"));
            stdout.WriteLine($"reason:      {OneLine(m.DeadLetterReason)}");
            stdout.WriteLine($"description: {OneLine(m.DeadLetterErrorDescription)}");
            stdout.WriteLine();
            stdout.WriteLine(m.Body.ToString());
            return 0;
        }));
        return command;
    }

    private static Command Resubmit(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var target = new ServiceBusTarget();
        var sequences = new Option<long[]>("--sequence") { Description = "Sequence numbers to resubmit (repeatable).", AllowMultipleArgumentsPerToken = true };
        var reason = new Option<string?>("--reason") { Description = "Resubmit every dead letter whose reason is exactly this." };
        var all = new Option<bool>("--all") { Description = "Resubmit every dead letter." };
        var max = new Option<int>("--max") { Description = "Dead letters looked at in one run.", DefaultValueFactory = _ => 1000 };
        max.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000) { r.AddError("--max must be 1 to 10,000"); } });
        var command = new Command("resubmit", "Send chosen dead letters back to the queue; each leaves the dead-letter queue only once its copy is sent.") { sequences, reason, all, max };
        target.AddTo(command);
        command.Validators.Add(r =>
        {
            var chosen = (r.GetValue(sequences) is { Length: > 0 } ? 1 : 0) + (r.GetValue(reason) is not null ? 1 : 0) + (r.GetValue(all) ? 1 : 0);
            if (chosen != 1)
            {
                r.AddError("choose what to resubmit with exactly one of --sequence, --reason or --all");
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(parse, target, environment, stderr, async dlq =>
        {
            var wanted = (parse.GetValue(sequences) ?? []).ToHashSet();
            var why = parse.GetValue(reason);
            Func<ServiceBusReceivedMessage, bool> chosen = parse.GetValue(all) ? _ => true
                : why is not null ? m => string.Equals(m.DeadLetterReason, why, StringComparison.Ordinal)
                : m => wanted.Contains(m.SequenceNumber);
            var result = await dlq.ResubmitAsync(chosen, parse.GetValue(max), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            foreach (var s in result.Resubmitted)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resubmitted {s}"));
            }

            foreach (var (s, error) in result.Failed)
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"not resubmitted {s}: sending failed ({error}); it stays dead-lettered"));
            }

            var missing = wanted.Except(result.Resubmitted).Except(result.Failed.Select(f => f.SequenceNumber)).Order().ToList();
            if (missing.Count > 0)
            {
                stderr.WriteLine($"not found among the {result.Scanned} dead letters looked at: {string.Join(", ", missing)}");
            }

            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Resubmitted.Count} resubmitted to {target.Describe(parse)}, {result.Failed.Count} failed, {result.Scanned} looked at"));
            return result.Failed.Count > 0 || missing.Count > 0 ? 2 : 0;
        }));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ServiceBusTarget target, Func<string, string?> environment, TextWriter stderr, Func<DeadLetterQueue, Task<int>> work)
    {
        if (target.Connect(parse, environment, stderr) is not { } client)
        {
            return 1;
        }

        await using (client.ConfigureAwait(false))
        {
            var queue = parse.GetValue(target.Queue)!;
            var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock });
            var sender = client.CreateSender(queue);
            await using (receiver.ConfigureAwait(false))
            await using (sender.ConfigureAwait(false))
            {
                try
                {
                    return await work(new DeadLetterQueue(receiver, sender)).ConfigureAwait(false);
                }
                catch (ServiceBusException ex)
                {
                    stderr.WriteLine($"Service Bus refused: {ex.Reason}");
                    return 2;
                }
                catch (Azure.Identity.AuthenticationFailedException)
                {
                    stderr.WriteLine("could not sign in to Service Bus (az login, a managed identity, or set " + ServiceBusTarget.ConnectionStringVariable + ")");
                    return 2;
                }
                catch (UnauthorizedAccessException)
                {
                    stderr.WriteLine("Service Bus refused access: the identity needs Azure Service Bus Data Receiver (and Data Sender to resubmit) on the queue");
                    return 2;
                }
            }
        }
    }

    private static string OneLine(string? text) => (text ?? "-").ReplaceLineEndings(" ");
}
