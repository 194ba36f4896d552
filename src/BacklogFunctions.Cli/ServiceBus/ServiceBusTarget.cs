using System.CommandLine;
using System.Text.RegularExpressions;
using Azure.Identity;
using Azure.Messaging.ServiceBus;

namespace BacklogFunctions.Cli.ServiceBus;

/// <summary>
/// Which namespace and queue a command talks to, and how it signs in: Entra ID (<see cref="DefaultAzureCredential"/>:
/// <c>az login</c>, a managed identity, environment credentials), or a connection string from
/// <c>BACKLOG_SERVICEBUS_CONNECTION_STRING</c> (never from the command line, never printed).
/// </summary>
internal sealed partial class ServiceBusTarget
{
    public const string ConnectionStringVariable = "BACKLOG_SERVICEBUS_CONNECTION_STRING";

    public Option<string?> Namespace { get; } = new("--service-bus") { Description = $"Service Bus namespace (name or host name), reached with Entra ID; or set ${ConnectionStringVariable}." };

    public Option<string> Queue { get; } = new("--queue") { Description = "Queue name.", DefaultValueFactory = _ => "billing-events" };

    public ServiceBusTarget()
    {
        Namespace.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } ns && !NamespacePattern().IsMatch(ns))
            {
                r.AddError("--service-bus must be a namespace name (6–50 letters, digits, hyphens) or its host name");
            }
        });
        Queue.Validators.Add(r =>
        {
            if (!QueuePattern().IsMatch(r.GetValueOrDefault<string>() ?? string.Empty))
            {
                r.AddError("--queue must be 1–260 letters, digits, '.', '-', '_' or '/'");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Namespace);
        command.Options.Add(Queue);
    }

    /// <summary>The client, or null with the reason on standard error when neither a namespace nor a connection string is given.</summary>
    public ServiceBusClient? Connect(ParseResult parse, Func<string, string?> environment, TextWriter stderr)
    {
        var options = new ServiceBusClientOptions { TransportType = ServiceBusTransportType.AmqpWebSockets };
        if (parse.GetValue(Namespace) is { } ns)
        {
            return new ServiceBusClient(HostName(ns), new DefaultAzureCredential(), options);
        }

        if (environment(ConnectionStringVariable) is { Length: > 0 } connectionString)
        {
            return new ServiceBusClient(connectionString, options);
        }

        stderr.WriteLine($"give --service-bus NAMESPACE (Entra ID) or set {ConnectionStringVariable}");
        return null;
    }

    /// <summary>What to call the target in output: the namespace or "the namespace of the connection string", never the string.</summary>
    public string Describe(ParseResult parse) =>
        $"{parse.GetValue(Queue)} on {(parse.GetValue(Namespace) is { } ns ? HostName(ns) : "the namespace of $" + ConnectionStringVariable)}";

    public static string HostName(string ns) => ns.Contains('.', StringComparison.Ordinal) ? ns : ns + ".servicebus.windows.net";

    [GeneratedRegex("^(?:[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]|[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9](?:\\.[A-Za-z0-9-]+)+)$")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$")]
    private static partial Regex QueuePattern();
}
