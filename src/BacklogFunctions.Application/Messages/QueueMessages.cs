using System.Globalization;
using System.Text.Json;
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
    /// <summary><c>{"period":"2026-10","version":1,"shard":0,"shards":4}</c>.</summary>
    public static string Write(CloseShardMessage message) =>
        JsonSerializer.Serialize(new { period = message.Period.ToString(), version = message.Version, shard = message.Shard, shards = message.Shards });

    /// <summary><c>{"period":"2026-10","version":1}</c>.</summary>
    public static string Write(ReportRequestMessage message) =>
        JsonSerializer.Serialize(new { period = message.Period.ToString(), version = message.Version });

    /// <summary>A close-shards message, or what is wrong with the body.</summary>
    public static bool TryRead(string body, out CloseShardMessage? message, out string error)
    {
        message = null;
        if (!TryObject(body, "close-shards", out var root, out error) || !TryPeriod(root, out var period, out error) ||
            !TryInt(root, "version", 1, int.MaxValue, out var version, out error) ||
            !TryInt(root, "shards", 1, CloseShardMessage.MaxShards, out var shards, out error) ||
            !TryInt(root, "shard", 0, shards - 1, out var shard, out error))
        {
            return false;
        }

        message = new CloseShardMessage(period, version, shard, shards);
        return true;
    }

    /// <summary>A report-requests message, or what is wrong with the body.</summary>
    public static bool TryRead(string body, out ReportRequestMessage? message, out string error)
    {
        message = null;
        if (!TryObject(body, "report-requests", out var root, out error) || !TryPeriod(root, out var period, out error) ||
            !TryInt(root, "version", 1, int.MaxValue, out var version, out error))
        {
            return false;
        }

        message = new ReportRequestMessage(period, version);
        return true;
    }

    private static bool TryObject(string body, string queue, out JsonElement root, out string error)
    {
        root = default;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"a {queue} message is a JSON object";
                return false;
            }

            root = json.RootElement.Clone();
            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            error = "not JSON: " + ex.Message;
            return false;
        }
    }

    private static bool TryPeriod(JsonElement root, out Period period, out string error)
    {
        period = default;
        var text = root.TryGetProperty("period", out var p) && p.ValueKind == JsonValueKind.String ? Domain.Events.JsonText.TryGetString(p) : null;
        error = Period.TryParse(text, out period) ? string.Empty : "period: expected \"yyyy-MM\"";
        return error.Length == 0;
    }

    private static bool TryInt(JsonElement root, string name, int min, int max, out int value, out string error)
    {
        value = 0;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out value) || value < min || value > max)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{name}: expected a whole number from {min} to {max}");
            return false;
        }

        error = string.Empty;
        return true;
    }
}
