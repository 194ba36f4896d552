using System.Globalization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Host.Http;

/// <summary>
/// Strict reading of route and query values. .NET's number and date parsers forgive more than a URL should carry
/// (surrounding spaces, a sign, trailing NUL characters: <c>?version=1%00</c> reads as 1); these accept exactly
/// the documented form, and anything else is a 400 that names the parameter.
/// </summary>
internal static class QueryValues
{
    /// <summary>An optional version: absent, or 1-9 ASCII digits without a leading zero.</summary>
    public static bool TryVersion(string? text, out int? version, out IResult? problem)
    {
        version = null;
        problem = null;
        if (text is null)
        {
            return true;
        }

        if (text.Length is 0 or > 9 || text[0] == '0' || !text.All(char.IsAsciiDigit))
        {
            problem = Invalid("version", "a version is a whole number from 1, such as 2");
            return false;
        }

        version = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>A month such as 2026-10 (exactly seven characters).</summary>
    public static bool TryPeriod(string? text, out Period period, out IResult? problem)
    {
        problem = null;
        if (Period.TryParse(text, out period))
        {
            return true;
        }

        period = default;
        problem = Invalid("period", "a period is a month such as 2026-10");
        return false;
    }

    /// <summary>A day such as 2026-10-15, within the dates events may carry.</summary>
    public static bool TryDay(string? text, string name, out DateOnly day, out IResult? problem)
    {
        problem = null;
        if (text is { Length: 10 } && text.Where((c, i) => i is 4 or 7 ? c == '-' : char.IsAsciiDigit(c)).Count() == 10 &&
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) &&
            day >= EventJson.EarliestDate && day <= EventJson.LatestDate)
        {
            return true;
        }

        day = default;
        problem = Invalid(name, $"{name} is a day such as 2026-10-15, from {EventJson.Iso(EventJson.EarliestDate)} to {EventJson.Iso(EventJson.LatestDate)}");
        return false;
    }

    /// <summary>A contract id as events carry it (1-128 characters of A-Z a-z 0-9 . _ : -).</summary>
    public static bool TryContractId(string? text, string name, out IResult? problem)
    {
        problem = text is not null && EventJson.IsId(text) ? null : Invalid(name, "a contract id is 1-128 characters of A-Z a-z 0-9 . _ : -");
        return problem is null;
    }

    public static IResult Invalid(string parameter, string detail) =>
        Results.Problem(title: $"Invalid {parameter}", detail: detail, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
