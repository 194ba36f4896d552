using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BacklogFunctions.Domain.Events;
using Json.Schema;

namespace BacklogFunctions.Application.Events;

/// <summary>
/// The published event schema (docs/events.schema.json, embedded) evaluated at run time. Each finding becomes a
/// <see cref="ValidationError"/> with the field's path (<c>data.lines[0].amount</c>) and the product's own words
/// for it (<see cref="EventMessages"/>), chosen by the keyword that failed and the <c>$defs</c> type it failed in.
/// </summary>
public sealed class EventSchema
{
    private const string ResourceName = "events.schema.json";

    // Which finding names a field when several do: the field's kind first, then what is missing, then its form.
    private static readonly string[] KeywordOrder = ["", "type", "required", "minLength", "maxLength", "minItems", "maxItems", "maxProperties", "minimum", "maximum", "pattern", "enum"];

    // Most events are valid: a yes-or-no evaluation first, and the findings only for an event that fails.
    private static readonly EvaluationOptions FlagOutput = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions ListOutput = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;
    private readonly JsonNode _document;

    private EventSchema(string text)
    {
        _document = JsonNode.Parse(text) ?? throw new InvalidDataException("the event schema is empty");
        // A registry of its own: the process-wide one refuses a second schema with the same $id (a test or a tool
        // loading the published file too), and nothing else may resolve references into the product's schema.
        _schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    /// <summary>The schema the product publishes and evaluates.</summary>
    public static EventSchema Published { get; } = Load();

    /// <summary>The schema's <c>$id</c>.</summary>
    public string Id => _document["$id"]!.GetValue<string>();

    /// <summary>Every finding of the schema for one event; empty when the event is valid against it.</summary>
    /// <param name="root">The event, whose strings are known to be valid text.</param>
    /// <param name="eventId">The id to name the findings by.</param>
    public IReadOnlyList<ValidationError> Evaluate(JsonElement root, string? eventId)
    {
        if (_schema.Evaluate(root, FlagOutput).IsValid)
        {
            return [];
        }

        var results = _schema.Evaluate(root, ListOutput);
        var eventType = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var findings = new List<(string Path, int Rank, string Reason)>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null || detail.IsValid || IsConditionTest(detail.EvaluationPath.ToString()))
            {
                continue;
            }

            var (path, value) = Locate(root, detail.InstanceLocation.ToString());
            var location = Fragment(detail.SchemaLocation);
            foreach (var (keyword, libraryMessage) in detail.Errors)
            {
                var rank = Array.IndexOf(KeywordOrder, keyword) is var r and >= 0 ? r : KeywordOrder.Length;
                if (keyword == "required")
                {
                    foreach (var name in Missing(location, value))
                    {
                        findings.Add((Join(path, name), rank, EventMessages.Required));
                    }
                }
                else
                {
                    findings.Add((path, rank, Reason(keyword, location, value, eventType) ?? libraryMessage));
                }
            }
        }

        // One reason per field: the most telling one.
        return [.. findings
            .GroupBy(f => f.Path, StringComparer.Ordinal)
            .Select(g => g.OrderBy(f => f.Rank).First())
            .Select(f => new ValidationError(eventId, f.Path, f.Reason))];
    }

    private static EventSchema Load()
    {
        using var stream = typeof(EventSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return new EventSchema(reader.ReadToEnd());
    }

    /// <summary>An <c>if</c> only chooses a branch: its own findings are not errors of the event.</summary>
    private static bool IsConditionTest(string evaluationPath) =>
        evaluationPath.Contains("/if/", StringComparison.Ordinal) || evaluationPath.EndsWith("/if", StringComparison.Ordinal);

    private static string Fragment(Uri schemaLocation) =>
        Uri.UnescapeDataString(schemaLocation.Fragment.TrimStart('#'));

    /// <summary>The product's path of an instance location (<c>/data/lines/0</c> is <c>data.lines[0]</c>), and its value.</summary>
    private static (string Path, JsonElement Value) Locate(JsonElement root, string pointer)
    {
        var path = "$";
        var value = root;
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (value.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < value.GetArrayLength())
            {
                path += $"[{index}]";
                value = value[index];
            }
            else
            {
                path = Join(path, EventJson.Truncate(segment));
                value = value.ValueKind == JsonValueKind.Object && value.TryGetProperty(segment, out var child) ? child : default;
            }
        }

        return (path, value);
    }

    private static string Join(string path, string name) => path == "$" ? name : $"{path}.{name}";

    private JsonNode? Node(string fragment)
    {
        JsonNode? node = _document;
        foreach (var raw in fragment.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                // The library numbers the subschemas of some keywords (then/0): a number that is no field name is skipped.
                JsonObject o when !o.ContainsKey(segment) && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _) => o,
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private IEnumerable<string> Missing(string location, JsonElement value) =>
        (Node(location)?["required"] as JsonArray ?? [])
            .Select(n => n!.GetValue<string>())
            .Where(name => value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null);

    /// <summary>The <c>$defs</c> type a schema location lies in (<c>/$defs/line/allOf/0</c> is <c>line</c>).</summary>
    private static string? DefinitionOf(string location)
    {
        var at = location.LastIndexOf("/$defs/", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = location[(at + "/$defs/".Length)..];
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        return end < 0 ? rest : rest[..end];
    }

    private string? Reason(string keyword, string location, JsonElement value, string? eventType)
    {
        var definition = DefinitionOf(location);
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Undefined ? null : value.GetRawText();
        var node = Node(location);
        return keyword switch
        {
            "" when location.StartsWith("/$defs/billing/then/", StringComparison.Ordinal) => EventMessages.FrequencyAndSchedule,
            "" when location.EndsWith("/billing/properties/timing", StringComparison.Ordinal) => EventMessages.TimingOfRatableOnly,
            "" => EventMessages.UnknownField,
            "type" when definition == "amount" && value.ValueKind == JsonValueKind.Number => EventMessages.AmountIsNumber,
            "type" when definition is "line" or "milestone" or "installment" => $"{Article(definition)} {definition} {EventMessages.WrongKind(Kind(node?["type"]), EventJson.Kind(value.ValueKind))}",
            "type" => EventMessages.WrongKind(Kind(node?["type"]), EventJson.Kind(value.ValueKind)),
            "minLength" when definition is "text" or "longText" => EventMessages.Empty,
            "maxLength" when definition is "text" or "longText" => EventMessages.TextTooLong(Limit(node, "maxLength"), text?.Length ?? 0),
            "minLength" or "maxLength" => EventMessages.Length(Limit(node, "maxLength")),
            "minItems" when definition == "lines" => eventType == EventTypes.ContractAmended ? EventMessages.AmendmentWithoutLines : EventMessages.ContractWithoutLines,
            "maxItems" when definition == "lines" => EventMessages.TooManyLines,
            "minItems" or "maxItems" when definition == "milestones" => EventMessages.MilestoneCount,
            "minItems" or "maxItems" when definition == "schedule" => EventMessages.ScheduleCount,
            "maxProperties" => EventMessages.TooManyAttributes,
            "minimum" or "maximum" when definition == "paymentTermsDays" => EventMessages.PaymentTerms(text ?? string.Empty),
            "pattern" when location.EndsWith("/propertyNames", StringComparison.Ordinal) => EventMessages.AttributeName,
            "pattern" => definition switch
            {
                "id" => EventMessages.NotAnId(text),
                "date" => EventMessages.NotADate(text),
                "instant" => EventMessages.NotAnInstant(text),
                "amount" => EventMessages.NotAnAmount(text),
                "quantity" => EventMessages.NotAQuantity(text),
                "currency" => EventMessages.NotACurrency(text),
                _ => null,
            },
            "enum" when definition == "eventType" => EventMessages.UnknownEventType(text),
            "enum" => EventMessages.NotOneOf(text, (node?["enum"] as JsonArray ?? []).Select(n => n!.GetValue<string>())),
            _ => null,
        };
    }

    private static string Article(string word) => word[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";

    private static int Limit(JsonNode? node, string keyword) => node?[keyword]?.GetValue<int>() ?? 0;

    private static string Kind(JsonNode? type) => type?.GetValue<string>() switch
    {
        "object" => "an object",
        "array" => "an array",
        "string" => "a string",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "a boolean",
        var other => other ?? "something else",
    };
}
