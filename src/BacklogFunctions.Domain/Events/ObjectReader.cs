using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Events;

internal enum AmountSign
{
    Positive,
    ZeroOrPositive,
    NonZero,
}

/// <summary>
/// Reads the fields of one JSON object, recording every problem with the field's path instead of stopping
/// at the first, and remembering which fields it read so that anything else is reported as unknown.
/// </summary>
internal sealed partial class ObjectReader
{
    private readonly List<ValidationError> _errors;
    private readonly string? _eventId;
    private readonly string _path;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly int _errorsAtStart;

    public ObjectReader(JsonElement element, string path, List<ValidationError> errors, string? eventId)
    {
        Element = element;
        _path = path;
        _errors = errors;
        _eventId = eventId;
        _errorsAtStart = errors.Count;
    }

    public JsonElement Element { get; }

    /// <summary>True when this object or anything read through it has failed.</summary>
    public bool Failed => _errors.Count > _errorsAtStart;

    public ObjectReader Nested(JsonElement element, string path) => new(element, path, _errors, _eventId);

    public string PathOf(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    public bool HasFailed(string name) => _failed.Contains(name);

    public void Fail(string name, string reason)
    {
        _failed.Add(name);
        FailAt(PathOf(name), reason);
    }

    public void FailAt(string path, string reason) => _errors.Add(new ValidationError(_eventId, path, reason));

    public string? String(string name, bool required, int maxLength)
    {
        if (Get(name, required, JsonValueKind.String) is not { } element)
        {
            return null;
        }

        var value = element.GetString()!;
        if (value.Length == 0 || value.Length > maxLength)
        {
            Fail(name, $"must be 1-{maxLength} characters");
            return null;
        }

        return value;
    }

    /// <summary>A free-text field (names, descriptions): any Unicode letters, but no control characters.</summary>
    public string? Text(string name, bool required, int maxLength)
    {
        if (Get(name, required, JsonValueKind.String) is not { } element)
        {
            return null;
        }

        if (CheckText(element.GetString()!, maxLength) is { } problem)
        {
            Fail(name, problem);
            return null;
        }

        return element.GetString();
    }

    public static string? CheckText(string value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "must not be empty";
        }

        if (value.Length > maxLength)
        {
            return $"must be at most {maxLength} characters (got {value.Length})";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4}";
            }

            // Embeddings, overrides and isolates reorder what is shown: a PDF or a page would show other text than stored.
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return $"contains the bidirectional control character U+{(int)c:X4}";
            }
        }

        return null;
    }

    public string? Id(string name, bool required)
    {
        if (Get(name, required, JsonValueKind.String) is not { } element)
        {
            return null;
        }

        var value = element.GetString()!;
        if (!IsId(value))
        {
            Fail(name, $"'{EventJson.Truncate(value)}' is not an id: 1-{EventJson.MaxIdLength} characters of A-Z a-z 0-9 . _ : -");
            return null;
        }

        return value;
    }

    public static bool IsId(string value) => IdPattern().IsMatch(value);

    public DateOnly? Date(string name, bool required)
    {
        if (Get(name, required, JsonValueKind.String) is not { } element)
        {
            return null;
        }

        var text = element.GetString()!;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Fail(name, $"'{EventJson.Truncate(text)}' is not a date (yyyy-MM-dd)");
            return null;
        }

        if (date < EventJson.EarliestDate || date > EventJson.LatestDate)
        {
            Fail(name, $"{text} is out of range ({EventJson.Iso(EventJson.EarliestDate)} to {EventJson.Iso(EventJson.LatestDate)})");
            return null;
        }

        return date;
    }

    public DateTimeOffset? Instant(string name, bool required)
    {
        if (Get(name, required, JsonValueKind.String) is not { } element)
        {
            return null;
        }

        var text = element.GetString()!;
        if (!InstantPattern().IsMatch(text) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var instant))
        {
            Fail(name, $"'{EventJson.Truncate(text)}' is not an RFC 3339 timestamp with an offset (2026-10-03T12:00:00Z)");
            return null;
        }

        var date = DateOnly.FromDateTime(instant.UtcDateTime);
        if (date < EventJson.EarliestDate || date > EventJson.LatestDate)
        {
            Fail(name, $"{text} is out of range");
            return null;
        }

        return instant.ToUniversalTime();
    }

    public decimal? Amount(string name, bool required, Currency? currency, AmountSign sign)
    {
        if (!Element.TryGetProperty(name, out var raw) && !required)
        {
            return null;
        }

        if (raw.ValueKind == JsonValueKind.Number)
        {
            _read.Add(name);
            Fail(name, "amounts are decimal strings (\"1200.00\"), not JSON numbers");
            return null;
        }

        if (Get(name, required, JsonValueKind.String) is not { } element)
        {
            return null;
        }

        var text = element.GetString()!;
        var match = AmountPattern().Match(text);
        if (!match.Success ||
            !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            Fail(name, $"'{EventJson.Truncate(text)}' is not a decimal amount (digits, an optional '-' and '.', at most 15 integer digits)");
            return null;
        }

        var digits = match.Groups["fraction"].Length;
        var allowed = currency?.MinorUnit ?? 4;
        if (digits > allowed)
        {
            Fail(name, currency is { } c
                ? $"{text} has {digits} fraction digits; {c.Code} allows {c.MinorUnit}"
                : $"{text} has {digits} fraction digits; no currency allows more than 4");
            return null;
        }

        var problem = sign switch
        {
            AmountSign.Positive when amount <= 0 => "must be greater than zero",
            AmountSign.ZeroOrPositive when amount < 0 => "must not be negative",
            AmountSign.NonZero when amount == 0 => "must not be zero",
            _ => null,
        };
        if (problem is not null)
        {
            Fail(name, $"{text} {problem}");
            return null;
        }

        return amount;
    }

    public ObjectReader? Object(string name, bool required) =>
        Get(name, required, JsonValueKind.Object) is { } element ? Nested(element, PathOf(name)) : null;

    public JsonElement? Array(string name, bool required) => Get(name, required, JsonValueKind.Array);

    /// <summary>Reports every field that was not read, and duplicated field names.</summary>
    public void RejectUnknown(IReadOnlyCollection<string>? alsoAllowed = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in Element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                FailAt(PathOf(property.Name), "duplicate field");
            }
            else if (!_read.Contains(property.Name) && (alsoAllowed is null || !alsoAllowed.Contains(property.Name)))
            {
                FailAt(PathOf(EventJson.Truncate(property.Name)), "unknown field");
            }
        }
    }

    private JsonElement? Get(string name, bool required, JsonValueKind kind)
    {
        _read.Add(name);
        if (!Element.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Fail(name, "is required");
            }

            return null;
        }

        if (element.ValueKind != kind)
        {
            Fail(name, $"must be {EventJson.Kind(kind)}, not {EventJson.Kind(element.ValueKind)}");
            return null;
        }

        return element;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]{1,128}\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+\-][0-9]{2}:[0-9]{2})\z")]
    private static partial Regex InstantPattern();

    [GeneratedRegex(@"^-?[0-9]{1,15}(\.(?<fraction>[0-9]{1,12}))?\z")]
    private static partial Regex AmountPattern();
}
