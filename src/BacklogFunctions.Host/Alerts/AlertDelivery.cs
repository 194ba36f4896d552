using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Messages;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Alerts;

/// <summary>What became of one <c>alert-deliveries</c> message.</summary>
public enum AlertDeliveryOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>The attempt failed; a copy with the next attempt number waits on the queue for its backoff.</summary>
    RetryScheduled,

    /// <summary>The last attempt failed; the delivery is in <c>alert-deliveries-poison</c> with the reason.</summary>
    GaveUp,

    /// <summary>The message cannot be delivered at all (unreadable, or its receiver is no longer configured); it is in the poison queue.</summary>
    Refused,
}

/// <summary>The outcome and the line a host logs for it (no secret, signature or URL query in it).</summary>
public sealed record AlertDeliveryResult(AlertDeliveryOutcome Outcome, string Log);

/// <summary>
/// Delivers one fired alert to one receiver, as every host runs it (the <c>DeliverAlert</c> queue function or the
/// standalone listener): <c>POST</c> of the exact body, signed like the inbound webhook
/// (<c>Backlog-Signature: t=…,v1=…</c> with the receiver's own secret), with the alert id in
/// <c>Backlog-Alert-Id</c> and <c>Idempotency-Key</c>. A 2xx answer delivers it. Anything else — another status, no
/// answer within the timeout, no connection — sends a copy with the next attempt number that stays invisible for the
/// backoff delay, and after the last attempt moves the delivery to <c>alert-deliveries-poison</c>. Either way the
/// message in hand is then done, so the host completes it; only a storage failure leaves it to be delivered again.
/// </summary>
/// <remarks>
/// At least once: a receiver may see the same alert again (an answer lost on the way back, a copy sent but the
/// original not yet completed) and drops repeats by the id. Redirects are not followed: a 3xx is a failed attempt,
/// so a signed body only goes where it was configured to go.
/// </remarks>
public sealed partial class AlertDelivery(
    IHttpClientFactory clients,
    IOptions<AlertDeliveryOptions> options,
    QueueServiceClient queues,
    TimeProvider clock,
    BacklogTelemetry telemetry,
    ILogger<AlertDelivery> logger)
{
    /// <summary>The named <see cref="HttpClient"/> of receivers: the configured timeout, no retries, no redirects, no request logging.</summary>
    public const string ClientName = "alert-receivers";

    /// <summary>The alert's id, percent-encoded (UTF-8) so that any rule name fits in a header; the body's <c>id</c> is the same value.</summary>
    public const string AlertIdHeader = "Backlog-Alert-Id";

    /// <summary>The same value as <see cref="AlertIdHeader"/>, for receivers that de-duplicate by this common header.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Which attempt this is (1, 2, …).</summary>
    public const string AttemptHeader = "Backlog-Delivery-Attempt";

    /// <summary>Delivery messages never expire: they leave the queue delivered or into the poison queue.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _queue = queues.GetQueueClient(AlertDeliveryQueue.QueueName);
    private readonly QueueClient _poison = queues.GetQueueClient(AlertDeliveryQueue.PoisonQueueName);

    public async Task<AlertDeliveryResult> HandleAsync(string text, CancellationToken cancellationToken)
    {
        if (!AlertDeliveryMessages.TryRead(text, out var message, out var traceParent, out var error))
        {
            await _poison.SendMessageAsync(text, timeToLive: NeverExpires, cancellationToken: cancellationToken).ConfigureAwait(false);
            telemetry.Poisoned(AlertDeliveryQueue.QueueName);
            LogUnreadable(logger, error);
            return new(AlertDeliveryOutcome.Refused, $"not an alert delivery ({error}): moved to {AlertDeliveryQueue.PoisonQueueName}");
        }

        var settings = options.Value;
        var host = HostOf(message!.Receiver);
        if (settings.Receiver(message.Receiver, out var index) is not { Secret: { } secret })
        {
            // Configuration changed since the alert was queued: nobody to sign for. Kept for an operator to resubmit.
            const string NotConfigured = "the receiver is no longer configured";
            await SendAsync(_poison, message with { Failure = NotConfigured }, traceParent, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            telemetry.Poisoned(AlertDeliveryQueue.QueueName);
            LogUnknownReceiver(logger, message.AlertId, host);
            return new(AlertDeliveryOutcome.Refused, $"alert {message.AlertId} to {host}: {NotConfigured}; moved to {AlertDeliveryQueue.PoisonQueueName}");
        }

        using var span = StartConsumer(traceParent);
        span?.SetTag("backlog.alert.id", message.AlertId);
        span?.SetTag("backlog.alert.receiver", index);
        span?.SetTag("backlog.alert.attempt", message.Attempt);

        var failure = await PostAsync(message, secret, settings.Delivery.Timeout, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            LogDelivered(logger, message.AlertId, index, host, message.Attempt);
            return new(AlertDeliveryOutcome.Delivered, $"alert {message.AlertId} delivered to receiver {index} ({host}) on attempt {message.Attempt}");
        }

        span?.SetStatus(ActivityStatusCode.Error, failure);
        if (message.Attempt >= settings.Delivery.MaxAttempts)
        {
            await SendAsync(_poison, message with { Failure = failure }, traceParent, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            telemetry.Poisoned(AlertDeliveryQueue.QueueName);
            LogGaveUp(logger, message.AlertId, index, host, message.Attempt, failure);
            return new(AlertDeliveryOutcome.GaveUp, $"alert {message.AlertId} to receiver {index} ({host}): attempt {message.Attempt} failed ({failure}); moved to {AlertDeliveryQueue.PoisonQueueName}");
        }

        var delay = settings.Delivery.RetryDelay(message.Attempt);
        await SendAsync(_queue, message with { Attempt = message.Attempt + 1, Failure = null }, traceParent, delay, cancellationToken).ConfigureAwait(false);
        telemetry.Retried(AlertDeliveryQueue.QueueName);
        LogRetry(logger, message.AlertId, index, host, message.Attempt, failure, delay);
        return new(AlertDeliveryOutcome.RetryScheduled, string.Create(CultureInfo.InvariantCulture, $"alert {message.AlertId} to receiver {index} ({host}): attempt {message.Attempt} failed ({failure}); attempt {message.Attempt + 1} in {delay}"));
    }

    /// <summary>Null when the receiver answered 2xx; otherwise why the attempt failed, in words fit for a log.</summary>
    private async Task<string?> PostAsync(AlertDeliveryMessage message, string secret, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(message.Body);
        var id = Uri.EscapeDataString(message.AlertId);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(message.Receiver, UriKind.Absolute)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        // Signed now, not when queued: a late attempt still falls within the receiver's tolerance window.
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.TryAddWithoutValidation(AlertIdHeader, id);
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, id);
        request.Headers.TryAddWithoutValidation(AttemptHeader, message.Attempt.ToString(CultureInfo.InvariantCulture));

        var client = clients.CreateClient(ClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            // The error's kind only: its message may name the address.
            return $"no connection ({ex.HttpRequestError})";
        }
    }

    private static async Task SendAsync(QueueClient queue, AlertDeliveryMessage message, string? traceParent, TimeSpan delay, CancellationToken cancellationToken) =>
        await queue.SendMessageAsync(AlertDeliveryMessages.Write(message, traceParent), visibilityTimeout: delay, timeToLive: NeverExpires, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>How a receiver is named in logs: its host (and port), never its path or query.</summary>
    internal static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? (uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}") : "?";

    /// <summary>A span that continues the trace of the close that fired the alert, linked to the delivery that brought it.</summary>
    private static Activity? StartConsumer(string? traceParent)
    {
        var delivery = Activity.Current?.Context;
        var parent = ActivityContext.TryParse(traceParent, null, isRemote: true, out var sent) ? sent : default;
        return BacklogTelemetry.Source.StartActivity("deliver alert", ActivityKind.Consumer, parent, links: delivery is { } d && parent != default ? [new ActivityLink(d)] : null);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Alert {AlertId} delivered to receiver {Receiver} ({Host}) on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string alertId, int receiver, string host, int attempt);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Alert {AlertId} to receiver {Receiver} ({Host}): attempt {Attempt} failed ({Failure}); next attempt in {Delay}")]
    private static partial void LogRetry(ILogger logger, string alertId, int receiver, string host, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Error, Message = "Alert {AlertId} to receiver {Receiver} ({Host}): attempt {Attempt} failed ({Failure}), the last one; moved to alert-deliveries-poison")]
    private static partial void LogGaveUp(ILogger logger, string alertId, int receiver, string host, int attempt, string failure);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error, Message = "Alert {AlertId} to {Host}: the receiver is no longer configured; moved to alert-deliveries-poison")]
    private static partial void LogUnknownReceiver(ILogger logger, string alertId, string host);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Error, Message = "An alert-deliveries message cannot be read ({Problem}); moved to alert-deliveries-poison")]
    private static partial void LogUnreadable(ILogger logger, string problem);
}
