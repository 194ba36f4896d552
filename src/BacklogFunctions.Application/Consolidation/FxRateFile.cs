using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Files;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Consolidation;

/// <summary>
/// The rate file of consolidation.md ("Rates"): CSV with the header <c>date,currency,rate</c>, one row per rate —
/// how many units of the reporting currency one unit of <c>currency</c> is worth on <c>date</c>. Read strictly and
/// as a whole: every problem is reported with its line and field, and a file with any problem gives no rates.
/// </summary>
/// <remarks>
/// The format has no text fields, so there is no quoting: a value is exactly a date (<c>yyyy-MM-dd</c>), an upper
/// case ISO 4217 code, or digits with an optional decimal point. Lines end with LF or CR LF; a UTF-8 byte order
/// mark before the header is allowed. The reporting currency may appear, with the rate 1 only.
/// </remarks>
public static class FxRateFile
{
    public const string Header = "date,currency,rate";

    /// <summary>The content type of a rate file.</summary>
    public const string MediaType = "text/csv";

    /// <summary>Rows one file may hold.</summary>
    public const int MaxRows = 200_000;

    /// <summary>Bytes one upload may hold (a row is at most about 40 bytes).</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    public const int MaxFractionDigits = 10;

    public const int MaxIntegerDigits = 12;

    public const string DateField = "date";
    public const string CurrencyField = "currency";
    public const string RateField = "rate";

    private static readonly CsvLayout Layout = new(Header, "rate", "2026-11-30,EUR,1.0825", MaxRows, f => IsDateShape(f[0]), "a rate");

    /// <summary>Reads a body as sent: it must be UTF-8 (in practice ASCII) text.</summary>
    public static FileResult<FxRate> Parse(ReadOnlySpan<byte> utf8, Currency reporting, int maxRows = MaxRows) =>
        StrictCsv.Read(utf8, Layout with { MaxRows = maxRows }, Reader(reporting));

    /// <summary>Reads the text of a rate file; <paramref name="reporting"/> is the currency the rates translate into.</summary>
    public static FileResult<FxRate> Parse(string text, Currency reporting, int maxRows = MaxRows) =>
        StrictCsv.Read(text, Layout with { MaxRows = maxRows }, Reader(reporting));

    /// <summary>A rate in its canonical form: invariant digits, no trailing zeros ("1.08", "0.0067234512", "1").</summary>
    public static string Format(decimal rate) => rate.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>Writes a rate file: the header, then one row per rate, LF line ends.</summary>
    public static void Write(TextWriter writer, IEnumerable<FxRate> rates)
    {
        writer.Write(Header);
        writer.Write('\n');
        foreach (var rate in rates)
        {
            writer.Write(rate.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(rate.Currency.Code);
            writer.Write(',');
            writer.Write(Format(rate.Rate));
            writer.Write('\n');
        }
    }

    /// <summary>Reads rows of one file: one rate per date and currency, the reporting currency only at 1.</summary>
    private static StrictCsv.RowReader<FxRate> Reader(Currency reporting)
    {
        var seen = new Dictionary<(DateOnly, string), int>();
        return (string[] fields, int line, StrictCsv.Problems errors, out FxRate row) =>
        {
            row = default;
            var date = ReadDate(fields[0], line, errors);
            var currency = StrictCsv.ReadCurrency(fields[1], line, CurrencyField, errors);
            var rate = ReadRate(fields[2], line, errors);

            if (currency is { } c && rate is { } r && c == reporting && r != 1m)
            {
                errors.Add(line, RateField, $"{c.Code} is the reporting currency: its rate is always 1, not {StrictCsv.Shown(fields[2])}");
                rate = null;
            }

            if (date is not { } d || currency is not { } code)
            {
                return false;
            }

            if (seen.TryGetValue((d, code.Code), out var first))
            {
                errors.Add(line, StrictCsv.RowField, string.Create(CultureInfo.InvariantCulture, $"{code.Code} on {d:yyyy-MM-dd} is also on line {first}; one rate per date and currency in a file"));
                return false;
            }

            seen.Add((d, code.Code), line);
            if (rate is not { } value)
            {
                return false;
            }

            row = new FxRate(d, code, value);
            return true;
        };
    }

    private static DateOnly? ReadDate(string text, int line, StrictCsv.Problems errors)
    {
        if (text.Length == 0)
        {
            errors.Add(line, DateField, "missing; a date is yyyy-MM-dd, such as 2026-11-30");
            return null;
        }

        if (!IsDateShape(text))
        {
            errors.Add(line, DateField, $"{StrictCsv.Shown(text)} is not a date; a date is yyyy-MM-dd, such as 2026-11-30");
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(line, DateField, $"{text} is not a day of the calendar");
            return null;
        }

        if (date < EventJson.EarliestDate || date > EventJson.LatestDate)
        {
            errors.Add(line, DateField, $"{text} is out of range; dates run from {EventJson.Iso(EventJson.EarliestDate)} to {EventJson.Iso(EventJson.LatestDate)}");
            return null;
        }

        return date;
    }

    private static decimal? ReadRate(string text, int line, StrictCsv.Problems errors)
    {
        var problem = StrictCsv.NumberProblem(text, "a rate", "1.0825", MaxFractionDigits, MaxIntegerDigits, smallExample: "0.0000123");
        if (problem is not null)
        {
            errors.Add(line, RateField, problem);
            return null;
        }

        var value = decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (value == 0m)
        {
            errors.Add(line, RateField, $"{text} is zero; a rate is positive");
            return null;
        }

        return value;
    }

    private static bool IsDateShape(string text) =>
        text.Length == 10 && text.Select((c, i) => i is 4 or 7 ? c == '-' : char.IsAsciiDigit(c)).All(ok => ok);
}
