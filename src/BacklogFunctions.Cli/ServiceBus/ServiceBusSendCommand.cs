using System.CommandLine;
using System.Globalization;
using Azure.Messaging.ServiceBus;
using BacklogFunctions.Application.Events;

namespace BacklogFunctions.Cli.ServiceBus;

/// <summary>
/// <c>backlog send --service-bus NAMESPACE --queue Q</c>: every event of the file is read first (an invalid one
/// stops the run before anything is sent, exit 2), then sent in batches with its (source, id) as message id.
/// </summary>
internal static class ServiceBusSendCommand
{
    public static async Task<int> RunAsync(ParseResult parse, string path, ServiceBusTarget target, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        if (parse.GetValue(target.Namespace) is null && string.IsNullOrEmpty(environment(ServiceBusTarget.ConnectionStringVariable)))
        {
            stderr.WriteLine($"give --url URL (the signed webhook), or --service-bus NAMESPACE [--queue Q] (or set {ServiceBusTarget.ConnectionStringVariable})");
            return 1;
        }

        if (await ReadAsync(path, stderr, cancellationToken).ConfigureAwait(false) is not { } read)
        {
            return 1;
        }

        var (events, problems) = read;
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                stderr.WriteLine(problem);
            }

            stderr.WriteLine("nothing was sent");
            return 2;
        }

        if (target.Connect(parse, environment, stderr) is not { } client)
        {
            return 1;
        }

        await using (client.ConfigureAwait(false))
        {
            var sender = client.CreateSender(parse.GetValue(target.Queue));
            await using (sender.ConfigureAwait(false))
            {
                var send = new ServiceBusEventSender(sender, stderr, showProgress: !Console.IsErrorRedirected && events.Count >= 1000);
                try
                {
                    if ((await send.TooLargeAsync(events, cancellationToken).ConfigureAwait(false)) is { Count: > 0 } tooLarge)
                    {
                        foreach (var e in tooLarge)
                        {
                            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"line {e.Line}: event {e.Key}: larger than a message of this queue may be"));
                        }

                        stderr.WriteLine("nothing was sent");
                        return 2;
                    }

                    var batches = await send.SendAsync(events, cancellationToken).ConfigureAwait(false);
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sent {events.Count:N0} events to {target.Describe(parse)} in {batches:N0} batch(es); message id = (source, id), so a resend inside the duplicate detection window is dropped by Service Bus"));
                    return 0;
                }
                catch (ServiceBusException ex)
                {
                    stderr.WriteLine($"Service Bus refused: {ex.Reason}; events already sent stay sent, and sending the file again is safe");
                    return 2;
                }
                catch (Azure.Identity.AuthenticationFailedException)
                {
                    stderr.WriteLine($"could not sign in to Service Bus (az login, a managed identity, or set {ServiceBusTarget.ConnectionStringVariable})");
                    return 2;
                }
                catch (UnauthorizedAccessException)
                {
                    stderr.WriteLine("Service Bus refused access: the identity needs Azure Service Bus Data Sender on the queue");
                    return 2;
                }
            }
        }
    }

    /// <summary>Every event of the file with its line, or every problem as <c>line N: event ID: field: reason</c>; null when the file cannot be read.</summary>
    internal static async Task<(List<OutgoingEvent> Events, List<string> Problems)?> ReadAsync(string path, TextWriter stderr, CancellationToken cancellationToken)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot read events: {ex.Message}");
            return null;
        }

        var events = new List<OutgoingEvent>();
        var problems = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var parsed = EventReader.Parse(lines[i]);
            if (parsed.Event is { } e)
            {
                events.Add(new OutgoingEvent(i + 1, lines[i], e.Key, e.Type));
                continue;
            }

            problems.AddRange(parsed.Errors.Select(error => string.Create(CultureInfo.InvariantCulture, $"line {i + 1}: event {error.EventId ?? "(no id)"}: {error.Field}: {error.Reason}")));
        }

        return (events, problems);
    }
}
