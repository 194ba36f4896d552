using System.Text;
using System.Text.Json;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Events.Wire;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Events;

/// <summary>
/// Reads one event sent from outside, in one parse: the text is checked (lone surrogates, duplicate field names),
/// the published schema is evaluated, the JSON is read into the wire records and the domain checks what a schema
/// cannot. Every bad field is named at once, each with one reason; nothing half-valid comes out.
/// </summary>
public static class EventReader
{
    /// <summary>Reads one event from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The raw body.</param>
    /// <param name="contractCurrency">The contract's currency when known, to check fraction digits of invoices and payments.</param>
    public static EventParseResult Parse(ReadOnlySpan<byte> utf8Json, Currency? contractCurrency = null)
    {
        using var body = EventBody.Open(utf8Json);
        return Read(body, contractCurrency);
    }

    public static EventParseResult Parse(string json, Currency? contractCurrency = null) =>
        Parse(Encoding.UTF8.GetBytes(json), contractCurrency);

    /// <summary>Reads a body opened before (to look up the contract's currency first).</summary>
    public static EventParseResult Read(EventBody body, Currency? contractCurrency) =>
        body.Refusal ?? Read(body.Root, contractCurrency, body.MayHoldSurrogates);

    /// <summary>Reads one event from an element of a batch.</summary>
    public static EventParseResult Parse(JsonElement element, Currency? contractCurrency = null) =>
        Read(element, contractCurrency, checkText: true);

    private static EventParseResult Read(JsonElement element, Currency? contractCurrency, bool checkText)
    {
        var eventId = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? JsonText.TryGetString(idElement) is { Length: > 0 } id ? EventJson.Truncate(id) : null
            : null;
        if (checkText && JsonText.FindInvalid(element) is { Count: > 0 } invalid)
        {
            return new EventParseResult(null, [.. invalid.Select(path => new ValidationError(eventId, path, JsonText.LoneSurrogate))]);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return EventParseResult.Refused(null, "$", $"an event must be a JSON object, not {EventJson.Kind(element.ValueKind)}");
        }

        var errors = JsonText.FindDuplicateNames(element).Select(path => new ValidationError(eventId, path, EventMessages.DuplicateField)).ToList();
        errors.AddRange(EventSchema.Published.Evaluate(element, eventId));

        var read = FromWire(element, contractCurrency);
        if (errors.Count == 0 && read is { Event: not null })
        {
            return read;
        }

        // What the schema found comes first; the domain adds the fields the schema had nothing to say about.
        var named = errors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(read?.Errors.Where(e => !named.Contains(e.Field)) ?? []);
        if (errors.Count == 0)
        {
            errors.Add(new ValidationError(eventId, "$", "the event is incomplete"));
        }

        return new EventParseResult(null, errors);
    }

    /// <summary>The domain's reading, or null when a field has a JSON kind the wire records cannot hold (the schema names it).</summary>
    private static EventParseResult? FromWire(JsonElement element, Currency? contractCurrency)
    {
        try
        {
            return element.Deserialize(EventWireContext.Default.EventWireJsonElement) is { } wire ? EventJson.FromWire(wire, contractCurrency) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
