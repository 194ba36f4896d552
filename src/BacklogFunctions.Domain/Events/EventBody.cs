using System.Text.Json;

namespace BacklogFunctions.Domain.Events;

/// <summary>
/// One event's raw body, read into JSON once. Ingest first learns what it needs before it validates — the
/// contract, and whether the event's amounts are checked against that contract's currency — then validates the
/// same document with that currency. Malformed input is a refusal here already.
/// </summary>
public sealed class EventBody : IDisposable
{
    private static readonly HashSet<string> TypesWithContractCurrency =
        new(StringComparer.Ordinal) { EventTypes.ContractAmended, EventTypes.InvoiceIssued, EventTypes.CreditNoteIssued, EventTypes.PaymentReceived };

    private readonly JsonDocument? _document;
    private readonly bool _mayHoldSurrogates;

    private EventBody(JsonDocument? document, bool mayHoldSurrogates, EventParseResult? refusal)
    {
        _document = document;
        _mayHoldSurrogates = mayHoldSurrogates;
        Refusal = refusal;
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } root)
        {
            ContractId = root.TryGetProperty("contractId", out var id) && id.ValueKind == JsonValueKind.String && JsonText.TryGetString(id) is { } text && EventJson.IsId(text) ? text : null;
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? JsonText.TryGetString(t) : null;
            NeedsContractCurrency = type is not null && TypesWithContractCurrency.Contains(type);
        }
    }

    /// <summary>Why the body is not an event at all (empty, not UTF-8, malformed, several values); null when it is JSON.</summary>
    public EventParseResult? Refusal { get; }

    /// <summary>The contract id the body names, when it is a valid id (not yet validated otherwise).</summary>
    public string? ContractId { get; }

    /// <summary>True for event types whose amounts carry no currency and are checked against the contract's.</summary>
    public bool NeedsContractCurrency { get; }

    /// <summary>Reads the body; never throws.</summary>
    public static EventBody Open(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Refuse("the body is empty");
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            return Refuse("the body is not valid UTF-8");
        }

        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = EventJson.MaxDepth, AllowMultipleValues = true });
            if (!JsonDocument.TryParseValue(ref reader, out var document))
            {
                return Refuse("the body is empty");
            }

            if (reader.Read())
            {
                document.Dispose();
                return Refuse("the body holds more than one JSON value");
            }

            return new EventBody(document, JsonText.MayHoldSurrogateEscape(utf8Json), null);
        }
        catch (JsonException ex)
        {
            return Refuse($"malformed JSON ({(ex.LineNumber is { } line ? $"line {line + 1}, byte {ex.BytePositionInLine + 1}" : "unreadable")})");
        }
    }

    /// <summary>The document's root; only when <see cref="Refusal"/> is null.</summary>
    public JsonElement Root => _document?.RootElement ?? throw new InvalidOperationException("the body was refused: " + Refusal);

    /// <summary>False when the raw bytes hold no surrogate escape, so no string of the document needs checking.</summary>
    public bool MayHoldSurrogates => _mayHoldSurrogates;

    public void Dispose() => _document?.Dispose();

    private static EventBody Refuse(string reason) => new(null, false, EventParseResult.Refused(null, "$", reason));
}
