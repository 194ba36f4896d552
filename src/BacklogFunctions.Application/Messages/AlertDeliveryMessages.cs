using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BacklogFunctions.Application.Messages;

/// <summary>
/// One delivery of one fired alert to one receiver: the alert's id, the receiver's URL (never its secret), which
/// attempt this is (1, 2, …), the exact JSON body the receiver gets, and after the last attempt why it failed.
/// </summary>
public sealed record AlertDeliveryMessage(string AlertId, string Receiver, int Attempt, string Body)
{
    /// <summary>Why the last attempt failed (<c>HTTP 500</c>, <c>no answer within 10 s</c>, …); set on the poison copy only.</summary>
    public string? Failure { get; init; }
}

/// <summary>
/// The message contract of the <c>alert-deliveries</c> queue (and of its <c>-poison</c> queue):
/// <c>{"alertId","receiver","attempt","body"[,"failure"][,"traceParent"]}</c>. The body is kept as a string, so a
/// receiver gets exactly the bytes the close produced, on every attempt. A message JSON-encoded once more (a JSON
/// string holding it) reads too.
/// </summary>
public static class AlertDeliveryMessages
{
    /// <summary>The longest receiver URL a message may carry.</summary>
    public const int MaxReceiverLength = 2048;

    /// <summary>The message text, with <c>"traceParent"</c> (W3C) when the sender runs in a trace.</summary>
    public static string Write(AlertDeliveryMessage message, string? traceParent = null) =>
        JsonSerializer.Serialize(
            new AlertDeliveryBody(message.AlertId, message.Receiver, message.Attempt, message.Body, message.Failure, traceParent),
            AlertDeliveryJsonContext.Default.AlertDeliveryBody);

    /// <summary>A delivery message and the sender's trace context (null when it sent none), or what is wrong with the text.</summary>
    public static bool TryRead(string text, out AlertDeliveryMessage? message, out string? traceParent, out string error)
    {
        message = null;
        traceParent = null;
        AlertDeliveryBody? read;
        try
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            var reader = new Utf8JsonReader(utf8);
            if (reader.Read() && reader.TokenType == JsonTokenType.String && reader.GetString() is { } inner)
            {
                // Encoded once more on the way (a host that passes the message as a JSON string): read what it holds.
                utf8 = Encoding.UTF8.GetBytes(inner);
                reader = new Utf8JsonReader(utf8);
                reader.Read();
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = "an alert-deliveries message is a JSON object";
                return false;
            }

            read = JsonSerializer.Deserialize(utf8, AlertDeliveryJsonContext.Default.AlertDeliveryBody);
        }
        catch (JsonException ex)
        {
            error = ex.Path is ['$', '.', .. var member] ? $"{member}: wrong JSON type" : "not JSON";
            return false;
        }
        catch (InvalidOperationException)
        {
            // A JSON string that is not valid text (a lone UTF-16 surrogate).
            error = "not JSON text";
            return false;
        }

        if (read is null)
        {
            error = "an alert-deliveries message is a JSON object";
            return false;
        }

        if (string.IsNullOrEmpty(read.AlertId))
        {
            error = "alertId: is required";
            return false;
        }

        if (string.IsNullOrEmpty(read.Receiver) || read.Receiver.Length > MaxReceiverLength ||
            !Uri.TryCreate(read.Receiver, UriKind.Absolute, out var receiver) || (receiver.Scheme != Uri.UriSchemeHttp && receiver.Scheme != Uri.UriSchemeHttps))
        {
            error = "receiver: expected an absolute http or https URL";
            return false;
        }

        if (read.Attempt is not ({ } attempt and >= 1))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"attempt: expected a whole number from 1 to {int.MaxValue}");
            return false;
        }

        if (read.Body is null)
        {
            error = "body: is required";
            return false;
        }

        message = new AlertDeliveryMessage(read.AlertId, read.Receiver, attempt, read.Body) { Failure = read.Failure };
        traceParent = read.TraceParent;
        error = string.Empty;
        return true;
    }
}

/// <summary>An alert-deliveries message as it is on the queue; every member optional here, so a missing one is named by the reader.</summary>
internal sealed record AlertDeliveryBody(string? AlertId, string? Receiver, int? Attempt, string? Body, string? Failure = null, string? TraceParent = null);

/// <summary>The JSON of alert-deliveries messages; members the contract does not know are skipped.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertDeliveryBody))]
internal sealed partial class AlertDeliveryJsonContext : JsonSerializerContext;
