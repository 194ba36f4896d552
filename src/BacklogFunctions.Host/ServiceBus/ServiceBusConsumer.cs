using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.ServiceBus;

/// <summary>
/// Standalone hosting's Service Bus trigger: a <see cref="ServiceBusProcessor"/> on the billing-events queue
/// with explicit settlement (<see cref="BillingEventSettlement"/>), bounded concurrency and lock renewal. On
/// shutdown it stops receiving and waits for the messages in hand before the program exits.
/// </summary>
public sealed partial class ServiceBusConsumer(IOptions<ServiceBusOptions> options, BillingEventSettlement settlement, ILogger<ServiceBusConsumer> logger) : IHostedService, IAsyncDisposable
{
    private ServiceBusClient? _client;
    private ServiceBusProcessor? _processor;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var clientOptions = new ServiceBusClientOptions { TransportType = ServiceBusTransportType.AmqpWebSockets };
        _client = string.IsNullOrWhiteSpace(o.ConnectionString)
            ? new ServiceBusClient(o.Namespace, new DefaultAzureCredential(), clientOptions)
            : new ServiceBusClient(o.ConnectionString, clientOptions);
        _processor = _client.CreateProcessor(o.Queue, new ServiceBusProcessorOptions
        {
            AutoCompleteMessages = false,
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            MaxConcurrentCalls = o.MaxConcurrentCalls,
            MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(o.MaxLockRenewalMinutes),
        });
        _processor.ProcessMessageAsync += args => settlement.SettleAsync(args, o.Queue);
        _processor.ProcessErrorAsync += args =>
        {
            // Receive-side faults (network, rights, a lost lock); the processor recovers on its own.
            LogError(logger, args.Exception, args.ErrorSource.ToString(), args.EntityPath);
            return Task.CompletedTask;
        };
        await _processor.StartProcessingAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(logger, o.Queue, o.MaxConcurrentCalls);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_processor is not null)
        {
            await _processor.StopProcessingAsync(cancellationToken).ConfigureAwait(false);
            LogStopped(logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_processor is not null)
        {
            await _processor.DisposeAsync().ConfigureAwait(false);
        }

        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Receiving billing events from Service Bus queue {Queue}, {Concurrency} at once")]
    private static partial void LogStarted(ILogger logger, string queue, int concurrency);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Service Bus consumer stopped; messages in hand were settled")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Service Bus {Source} failed on {EntityPath}; the processor goes on")]
    private static partial void LogError(ILogger logger, Exception exception, string source, string entityPath);
}
