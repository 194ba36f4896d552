using System.Globalization;
using System.Text.Json;
using BacklogFunctions.Domain.Events;

namespace BacklogFunctions.Host.Http;

/// <summary>
/// One invocation envelope as the Azure Functions host sends it to a custom handler:
/// <c>{"Data":{"&lt;binding&gt;":…},"Metadata":{…}}</c>. Read once, within a size limit, with every problem a 400.
/// </summary>
internal sealed class FunctionInvocation
{
    private FunctionInvocation(JsonElement binding, long dequeueCount)
    {
        Binding = binding;
        DequeueCount = dequeueCount;
    }

    /// <summary>The binding's value (a copy that outlives the envelope).</summary>
    public JsonElement Binding { get; }

    /// <summary><c>Metadata.DequeueCount</c> of a queue trigger; 1 when absent.</summary>
    public long DequeueCount { get; }

    /// <summary>
    /// The binding as text: a JSON string's value (a queue message's body) or the raw JSON of anything else.
    /// Null when the string is not valid text (a lone UTF-16 surrogate).
    /// </summary>
    public string? BindingText => Binding.ValueKind == JsonValueKind.String ? JsonText.TryGetString(Binding) : Binding.GetRawText();

    public static async Task<(FunctionInvocation? Invocation, IResult? Refusal)> ReadAsync(HttpContext context, string binding, int maxBytes)
    {
        var body = await RequestBody.ReadAsync(context.Request, maxBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, RequestBody.TooLarge(maxBytes));
        }

        try
        {
            using var envelope = JsonDocument.Parse(body);
            if (envelope.RootElement.ValueKind != JsonValueKind.Object ||
                !envelope.RootElement.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object ||
                !data.TryGetProperty(binding, out var value))
            {
                return (null, Refuse($"expected {{\"Data\":{{\"{binding}\":…}},\"Metadata\":{{…}}}}"));
            }

            var dequeueCount = 1L;
            if (envelope.RootElement.TryGetProperty("Metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
                metadata.TryGetProperty(nameof(DequeueCount), out var count))
            {
                var text = count.ValueKind == JsonValueKind.String ? JsonText.TryGetString(count) : count.GetRawText();
                if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out dequeueCount) || dequeueCount < 1)
                {
                    return (null, Refuse("Metadata.DequeueCount must be a positive whole number"));
                }
            }

            return (new FunctionInvocation(value.Clone(), dequeueCount), null);
        }
        catch (JsonException)
        {
            return (null, Refuse("the envelope is not JSON"));
        }
    }

    public static IResult Refuse(string detail) =>
        Results.Problem(title: "Not a function invocation", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>What a custom handler answers for a non-HTTP function: outputs, log lines and no return value.</summary>
    public static IResult Answer(string log) =>
        Results.Json(new Dictionary<string, object?> { ["Outputs"] = new Dictionary<string, object>(), ["Logs"] = new[] { log }, ["ReturnValue"] = null });
}
