using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Storage;

/// <summary>
/// The <c>close-shards</c> queue: one message <c>{"period","version","shard","shards"}</c> per shard of a
/// fanned-out close, consumed by the <c>CloseShard</c> function (or the standalone listener).
/// </summary>
public sealed class CloseShardQueue(QueueServiceClient queues) : ICloseShardQueue
{
    public const string QueueName = "close-shards";

    private readonly QueueClient _queue = queues.GetQueueClient(QueueName);

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await queues.GetQueueClient(QueueName + "-poison").CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(IReadOnlyList<CloseShardMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await _queue.SendMessageAsync(Serialize(message), cancellationToken).ConfigureAwait(false);
        }
    }

    public static string Serialize(CloseShardMessage message) =>
        JsonSerializer.Serialize(new { period = message.Period.ToString(), version = message.Version, shard = message.Shard, shards = message.Shards });

    /// <summary>Reads a message body, or explains what is wrong with it.</summary>
    public static bool TryParse(string body, out CloseShardMessage? message, out string error)
    {
        message = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "a close-shards message is a JSON object";
                return false;
            }

            if (!root.TryGetProperty("period", out var p) || p.ValueKind != JsonValueKind.String || !Period.TryParse(p.GetString(), out var period))
            {
                error = "period: expected \"yyyy-MM\"";
                return false;
            }

            if (!TryInt(root, "version", 1, int.MaxValue, out var version, out error) ||
                !TryInt(root, "shards", 1, CloseShardMessage.MaxShards, out var shards, out error) ||
                !TryInt(root, "shard", 0, shards - 1, out var shard, out error))
            {
                return false;
            }

            message = new CloseShardMessage(period, version, shard, shards);
            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            error = "not JSON: " + ex.Message;
            return false;
        }
        catch (InvalidOperationException)
        {
            error = "period: not valid text";
            return false;
        }
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
