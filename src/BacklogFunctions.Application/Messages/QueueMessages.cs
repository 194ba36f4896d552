using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Messages;

/// <summary>A <c>report-requests</c> message: render and publish the report of one closed period version.</summary>
public sealed record ReportRequestMessage(Period Period, int Version);

/// <summary>
/// The message contracts of the program's own queues, written by the adapters that send them and read by every
/// host that receives them (a Functions queue trigger or a standalone listener). Reading names what is wrong.
/// </summary>
public static class QueueMessages
{
    /// <summary>
    /// <c>{"period":"2026-10","version":1,"shard":0,"shards":4}</c>, with <c>"traceParent"</c> (W3C) when the
    /// sender runs in a trace, so the shard's span continues the close's trace across the queue.
    /// </summary>
    public static string Write(CloseShardMessage message, string? traceParent = null) =>
        JsonSerializer.Serialize(new CloseShardBody(message.Period.ToString(), message.Version, message.Shard, message.Shards, traceParent), QueueMessageJsonContext.Default.CloseShardBody);

    /// <summary>
    /// <c>{"period":"2026-10","version":1}</c>, with <c>"traceParent"</c> (W3C) when the sender runs in a trace, so
    /// the render's span continues the close's trace across the queue.
    /// </summary>
    public static string Write(ReportRequestMessage message, string? traceParent = null) =>
        JsonSerializer.Serialize(new ReportRequestBody(message.Period.ToString(), message.Version, traceParent), QueueMessageJsonContext.Default.ReportRequestBody);

    /// <summary>A close-shards message, or what is wrong with the body.</summary>
    public static bool TryRead(string body, out CloseShardMessage? message, out string error) =>
        TryRead(body, out message, out _, out error);

    /// <summary>A close-shards message and the sender's trace context (null when it sent none), or what is wrong with the body.</summary>
    public static bool TryRead(string body, out CloseShardMessage? message, out string? traceParent, out string error)
    {
        message = null;
        traceParent = null;
        if (!TryBody(body, "close-shards", QueueMessageJsonContext.Default.CloseShardBody, out var read, out error) ||
            !TryPeriod(read!.Period, out var period, out error) ||
            !TryInt("version", read.Version, 1, int.MaxValue, out var version, out error) ||
            !TryInt("shards", read.Shards, 1, CloseShardMessage.MaxShards, out var shards, out error) ||
            !TryInt("shard", read.Shard, 0, shards - 1, out var shard, out error))
        {
            return false;
        }

        message = new CloseShardMessage(period, version, shard, shards);
        traceParent = read.TraceParent;
        return true;
    }

    /// <summary>A report-requests message, or what is wrong with the body.</summary>
    public static bool TryRead(string body, out ReportRequestMessage? message, out string error) =>
        TryRead(body, out message, out _, out error);

    /// <summary>A report-requests message and the sender's trace context (null when it sent none), or what is wrong with the body.</summary>
    public static bool TryRead(string body, out ReportRequestMessage? message, out string? traceParent, out string error)
    {
        message = null;
        traceParent = null;
        if (!TryBody(body, "report-requests", QueueMessageJsonContext.Default.ReportRequestBody, out var read, out error) ||
            !TryPeriod(read!.Period, out var period, out error) ||
            !TryInt("version", read.Version, 1, int.MaxValue, out var version, out error))
        {
            return false;
        }

        message = new ReportRequestMessage(period, version);
        traceParent = read.TraceParent;
        return true;
    }

    /// <summary>The body as its typed form; a member of the wrong JSON type is named by its path.</summary>
    private static bool TryBody<T>(string body, string queue, JsonTypeInfo<T> type, out T? read, out string error)
        where T : class
    {
        read = null;
        var utf8 = Encoding.UTF8.GetBytes(body);
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = $"a {queue} message is a JSON object";
                return false;
            }
        }
        catch (JsonException ex)
        {
            error = "not JSON: " + ex.Message;
            return false;
        }

        try
        {
            read = JsonSerializer.Deserialize(utf8, type);
        }
        catch (JsonException ex)
        {
            error = ex.Path is ['$', '.', .. var member] ? Expected(member) : "not JSON: " + ex.Message;
            return false;
        }

        error = read is null ? $"a {queue} message is a JSON object" : string.Empty;
        return read is not null;
    }

    private static string Expected(string member) => member switch
    {
        "period" => "period: expected \"yyyy-MM\"",
        "shards" => string.Create(CultureInfo.InvariantCulture, $"shards: expected a whole number from 1 to {CloseShardMessage.MaxShards}"),
        _ => $"{member}: expected a whole number",
    };

    private static bool TryPeriod(string? text, out Period period, out string error)
    {
        error = Period.TryParse(text, out period) ? string.Empty : Expected("period");
        return error.Length == 0;
    }

    private static bool TryInt(string name, int? read, int min, int max, out int value, out string error)
    {
        value = read ?? 0;
        if (read is null || value < min || value > max)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{name}: expected a whole number from {min} to {max}");
            return false;
        }

        error = string.Empty;
        return true;
    }
}

/// <summary>A close-shards message as it is on the queue; every member optional here, so a missing one is named by the reader.</summary>
internal sealed record CloseShardBody(string? Period, int? Version, int? Shard, int? Shards, string? TraceParent = null);

/// <summary>A report-requests message as it is on the queue.</summary>
internal sealed record ReportRequestBody(string? Period, int? Version, string? TraceParent = null);

/// <summary>
/// The JSON of the program's own queue messages. Members the contract does not know are skipped, as they were
/// before the typed form, so a message from a newer sender still reads.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CloseShardBody))]
[JsonSerializable(typeof(ReportRequestBody))]
internal sealed partial class QueueMessageJsonContext : JsonSerializerContext;
