using System.Globalization;
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
/// Turns the string fields of the event JSON into values, recording every problem with the field's JSON path
/// (such as <c>data.lines[0].amount</c>) instead of stopping at the first.
/// </summary>
internal sealed partial class FieldErrors(string? eventId)
{
    private readonly List<ValidationError> _errors = [];

    public int Count => _errors.Count;

    public IReadOnlyList<ValidationError> List => _errors;

    public void Add(string path, string reason) => _errors.Add(new ValidationError(eventId, path, reason));

    public string? Id(string path, string? value, bool required)
    {
        if (Missing(path, value, required))
        {
            return null;
        }

        if (!IsId(value!))
        {
            Add(path, EventMessages.NotAnId(value));
            return null;
        }

        return value;
    }

    /// <summary>A free-text field (names, descriptions): any Unicode letters, but no control characters.</summary>
    public string? Text(string path, string? value, bool required, int maxLength)
    {
        if (Missing(path, value, required))
        {
            return null;
        }

        if (CheckText(value!, maxLength) is { } problem)
        {
            Add(path, problem);
            return null;
        }

        return value;
    }

    public DateOnly? Date(string path, string? text, bool required)
    {
        if (Missing(path, text, required))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Add(path, EventMessages.NotADate(text));
            return null;
        }

        if (date < EventJson.EarliestDate || date > EventJson.LatestDate)
        {
            Add(path, $"{text} is out of range ({EventJson.Iso(EventJson.EarliestDate)} to {EventJson.Iso(EventJson.LatestDate)})");
            return null;
        }

        return date;
    }

    public DateTimeOffset? Instant(string path, string? text)
    {
        if (Missing(path, text, required: true))
        {
            return null;
        }

        if (!InstantPattern().IsMatch(text!) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var instant))
        {
            Add(path, EventMessages.NotAnInstant(text));
            return null;
        }

        var date = DateOnly.FromDateTime(instant.UtcDateTime);
        if (date < EventJson.EarliestDate || date > EventJson.LatestDate)
        {
            Add(path, $"{text} is out of range");
            return null;
        }

        return instant.ToUniversalTime();
    }

    public Currency? Currency(string path, string? code)
    {
        if (Missing(path, code, required: true))
        {
            return null;
        }

        if (!Money.Currency.TryOf(code!, out var currency))
        {
            Add(path, EventMessages.NotACurrency(code));
            return null;
        }

        return currency;
    }

    public decimal? Amount(string path, string? text, bool required, Currency? currency, AmountSign sign)
    {
        if (Missing(path, text, required))
        {
            return null;
        }

        var match = AmountPattern().Match(text!);
        if (!match.Success ||
            !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            Add(path, EventMessages.NotAnAmount(text));
            return null;
        }

        var digits = match.Groups["fraction"].Length;
        var allowed = currency?.MinorUnit ?? 4;
        if (digits > allowed)
        {
            Add(path, currency is { } c
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
            Add(path, $"{text} {problem}");
            return null;
        }

        return amount;
    }

    /// <summary>A quantity of costs or units (no currency): at most <see cref="EventJson.MaxQuantityDecimals"/> fraction digits, not negative (greater than zero when <paramref name="positive"/>).</summary>
    public decimal? Quantity(string path, string? text, bool required, bool positive)
    {
        if (Missing(path, text, required))
        {
            return null;
        }

        var match = AmountPattern().Match(text!);
        if (!match.Success ||
            !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var quantity))
        {
            Add(path, EventMessages.NotAQuantity(text));
            return null;
        }

        var digits = match.Groups["fraction"].Length;
        if (digits > EventJson.MaxQuantityDecimals)
        {
            Add(path, $"{text} has {digits} fraction digits; a quantity allows {EventJson.MaxQuantityDecimals}");
            return null;
        }

        var problem = positive ? quantity <= 0 ? "must be greater than zero" : null
            : quantity < 0 ? "must not be negative" : null;
        if (problem is not null)
        {
            Add(path, $"{text} {problem}");
            return null;
        }

        return quantity;
    }

    public static bool IsId(string value) => IdPattern().IsMatch(value);

    public static string? CheckText(string value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return EventMessages.Empty;
        }

        if (value.Length > maxLength)
        {
            return EventMessages.TextTooLong(maxLength, value.Length);
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

    private bool Missing(string path, string? value, bool required)
    {
        if (value is not null)
        {
            return false;
        }

        if (required)
        {
            Add(path, EventMessages.Required);
        }

        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]{1,128}\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+\-][0-9]{2}:[0-9]{2})\z")]
    private static partial Regex InstantPattern();

    [GeneratedRegex(@"^-?[0-9]{1,15}(\.(?<fraction>[0-9]{1,12}))?\z")]
    private static partial Regex AmountPattern();
}
