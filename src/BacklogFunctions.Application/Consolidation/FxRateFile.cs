using System.Globalization;
using System.Text;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Consolidation;

/// <summary>One problem of a rate file: the physical line (the header is line 1), the field and what is wrong.</summary>
public sealed record FxRateFileError(int Line, string Field, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, {Field}: {Message}");
}

/// <summary>A rate file read as a whole: either every rate (in file order) or its problems, never both.</summary>
public sealed class FxRateFileResult
{
    internal FxRateFileResult(IReadOnlyList<FxRate> rates, IReadOnlyList<FxRateFileError> errors, int moreErrors, bool tooManyRows)
    {
        Rates = rates;
        Errors = errors;
        MoreErrors = moreErrors;
        TooManyRows = tooManyRows;
    }

    /// <summary>The rates in file order; empty when there is any error.</summary>
    public IReadOnlyList<FxRate> Rates { get; }

    /// <summary>The first <see cref="FxRateFile.MaxReportedErrors"/> problems, in line order.</summary>
    public IReadOnlyList<FxRateFileError> Errors { get; }

    /// <summary>How many more problems there are beyond <see cref="Errors"/>.</summary>
    public int MoreErrors { get; }

    /// <summary>The file has more rows than allowed (reading stopped there).</summary>
    public bool TooManyRows { get; }

    public bool IsValid => Errors.Count == 0;
}

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

    /// <summary>Problems listed one by one; the rest are counted.</summary>
    public const int MaxReportedErrors = 100;

    public const int MaxFractionDigits = 10;

    public const int MaxIntegerDigits = 12;

    public const string FileField = "file";
    public const string HeaderField = "header";
    public const string RowField = "row";
    public const string DateField = "date";
    public const string CurrencyField = "currency";
    public const string RateField = "rate";

    private const int MaxShownChars = 40;

    /// <summary>Reads a body as sent: it must be UTF-8 (in practice ASCII) text.</summary>
    public static FxRateFileResult Parse(ReadOnlySpan<byte> utf8, Currency reporting, int maxRows = MaxRows)
    {
        var (line, offset) = (1, 0);
        var rest = System.Text.Unicode.Utf8.IsValid(utf8) ? [] : utf8;
        while (!rest.IsEmpty)
        {
            if (System.Buffers.OperationStatus.Done != Rune.DecodeFromUtf8(rest, out _, out var consumed))
            {
                var error = new FxRateFileError(line, FileField, string.Create(CultureInfo.InvariantCulture, $"not UTF-8 text (byte {offset + 1} of the file, 0x{rest[0]:X2}); save the file as UTF-8 or plain ASCII"));
                return new FxRateFileResult([], [error], 0, tooManyRows: false);
            }

            if (rest[0] == (byte)'\n')
            {
                line++;
            }

            rest = rest[consumed..];
            offset += consumed;
        }

        return Parse(Encoding.UTF8.GetString(utf8), reporting, maxRows);
    }

    /// <summary>Reads the text of a rate file; <paramref name="reporting"/> is the currency the rates translate into.</summary>
    public static FxRateFileResult Parse(string text, Currency reporting, int maxRows = MaxRows)
    {
        var errors = new Errors();
        var rates = new List<FxRate>();
        var seen = new Dictionary<(DateOnly, string), int>();
        var tooManyRows = false;

        var position = text.StartsWith('\uFEFF') ? 1 : 0;
        if (position == text.Length)
        {
            errors.Add(1, FileField, $"the file is empty; it starts with the header line {Header}, then one row per rate such as 2026-11-30,EUR,1.0825");
            return errors.Result([], tooManyRows);
        }

        var lineNumber = 0;
        var rows = 0;
        while (position < text.Length)
        {
            lineNumber++;
            var end = text.IndexOf('\n', position);
            var line = end < 0 ? text.AsSpan(position) : text.AsSpan(position, end - position);
            position = end < 0 ? text.Length : end + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (lineNumber == 1)
            {
                if (!line.SequenceEqual(Header))
                {
                    errors.Add(1, HeaderField, HeaderProblem(line));
                    // Without the header the columns are unknown: the rows are not read.
                    return errors.Result([], tooManyRows);
                }

                continue;
            }

            rows++;
            if (rows > maxRows)
            {
                errors.Add(lineNumber, FileField, string.Create(CultureInfo.InvariantCulture, $"at most {maxRows:N0} rates in one file; split it into several uploads"));
                tooManyRows = true;
                break;
            }

            ReadRow(line, lineNumber, reporting, errors, rates, seen);
        }

        if (rows == 0)
        {
            errors.Add(lineNumber + 1, FileField, $"no rates: the file has only its header; add one row per rate such as 2026-11-30,EUR,1.0825");
        }

        return errors.Result(rates, tooManyRows);
    }

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

    private static string HeaderProblem(ReadOnlySpan<char> line)
    {
        if (line.IsEmpty)
        {
            return $"the first line is empty; it must be the header {Header}";
        }

        if (line.Contains('\r'))
        {
            return "lines end with LF or CR LF; this file seems to end them with CR alone (save it with Windows or Unix line ends)";
        }

        var fields = line.ToString().Split(',');
        if (fields.Length == 3 && IsDateShape(fields[0]))
        {
            return $"the first line must be the header {Header}; this one is a rate row (add the header above it)";
        }

        return line.Equals(Header, StringComparison.OrdinalIgnoreCase) || line.Trim().SequenceEqual(Header)
            ? $"the header must be exactly {Header} (lower case, no spaces); found {Shown(line)}"
            : $"the header must be {Header}; found {Shown(line)}";
    }

    private static void ReadRow(ReadOnlySpan<char> line, int lineNumber, Currency reporting, Errors errors, List<FxRate> rates, Dictionary<(DateOnly, string), int> seen)
    {
        if (line.IsEmpty)
        {
            errors.Add(lineNumber, RowField, "empty line; every line after the header is a rate (remove the empty line)");
            return;
        }

        if (line.Contains('\r'))
        {
            errors.Add(lineNumber, RowField, "a carriage return (CR) inside the line; lines end with LF or CR LF");
            return;
        }

        if (line.Contains('"'))
        {
            errors.Add(lineNumber, RowField, "quotes are not allowed; write the values bare, such as 2026-11-30,EUR,1.0825");
            return;
        }

        var fields = line.ToString().Split(',');
        if (fields.Length != 3)
        {
            var hint = fields.Length == 4 && IsDigits(fields[2]) && IsDigits(fields[3].Split('.')[0])
                ? "; a rate has a decimal point and no thousands separator (1234.5, not 1,234.5 or 1234,5)"
                : string.Empty;
            errors.Add(lineNumber, RowField, string.Create(CultureInfo.InvariantCulture, $"3 values expected (date,currency,rate), found {fields.Length}{hint}"));
            return;
        }

        var date = ReadDate(fields[0], lineNumber, errors);
        var currency = ReadCurrency(fields[1], lineNumber, errors);
        var rate = ReadRate(fields[2], lineNumber, errors);

        if (currency is { } c && rate is { } r && c == reporting && r != 1m)
        {
            errors.Add(lineNumber, RateField, $"{c.Code} is the reporting currency: its rate is always 1, not {Shown(fields[2])}");
            rate = null;
        }

        if (date is { } d && currency is { } code)
        {
            if (seen.TryGetValue((d, code.Code), out var first))
            {
                errors.Add(lineNumber, RowField, string.Create(CultureInfo.InvariantCulture, $"{code.Code} on {d:yyyy-MM-dd} is also on line {first}; one rate per date and currency in a file"));
                return;
            }

            seen.Add((d, code.Code), lineNumber);
            if (rate is { } value)
            {
                rates.Add(new FxRate(d, code, value));
            }
        }
    }

    private static DateOnly? ReadDate(string text, int line, Errors errors)
    {
        if (text.Length == 0)
        {
            errors.Add(line, DateField, "missing; a date is yyyy-MM-dd, such as 2026-11-30");
            return null;
        }

        if (!IsDateShape(text))
        {
            errors.Add(line, DateField, $"{Shown(text)} is not a date; a date is yyyy-MM-dd, such as 2026-11-30");
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

    private static Currency? ReadCurrency(string text, int line, Errors errors)
    {
        if (Currency.TryOf(text, out var currency))
        {
            return currency;
        }

        var message = text switch
        {
            { Length: 0 } => "missing; a currency is an ISO 4217 code such as EUR",
            _ when text.Trim().Length != text.Length => $"{Shown(text)} has spaces around it; write the code alone, such as EUR",
            _ when Currency.TryOf(text.ToUpperInvariant(), out var upper) => $"{Shown(text)} must be upper case: {upper.Value.Code}",
            _ => $"{Shown(text)} is not an ISO 4217 currency code (such as EUR, JPY, KWD)",
        };
        errors.Add(line, CurrencyField, message);
        return null;
    }

    private static decimal? ReadRate(string text, int line, Errors errors)
    {
        var problem = RateProblem(text);
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

    /// <summary>Null when <paramref name="text"/> is digits with an optional decimal point and digits after it, within the limits.</summary>
    private static string? RateProblem(string text)
    {
        if (text.Length == 0)
        {
            return "missing; a rate is a positive number such as 1.0825";
        }

        if (text.Trim().Length != text.Length)
        {
            return $"{Shown(text)} has spaces around it; write the number alone, such as 1.0825";
        }

        if (text[0] is '+' or '-')
        {
            return $"{Shown(text)} has a sign; a rate is written without one, such as 1.0825";
        }

        if (text.Any(c => c is 'e' or 'E') && text.Any(char.IsAsciiDigit))
        {
            return $"{Shown(text)} has an exponent; write the digits out, such as 0.0000123";
        }

        if (text.Any(c => c is ' ' or '\'' or '_' or '\u00A0' or '\u202F'))
        {
            return $"{Shown(text)} has a thousands separator; write the digits without one, such as 1234.5";
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? string.Empty : text[(point + 1)..];
        if (!IsDigits(whole) || (point >= 0 && !IsDigits(fraction)))
        {
            return $"{Shown(text)} is not a number; a rate is digits with a decimal point, such as 1.0825";
        }

        if (fraction.Length > MaxFractionDigits)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Shown(text)} has {fraction.Length} decimals; at most {MaxFractionDigits}");
        }

        if (whole.Length > MaxIntegerDigits)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Shown(text)} has {whole.Length} digits before the decimal point; at most {MaxIntegerDigits}");
        }

        return null;
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private static bool IsDateShape(string text) =>
        text.Length == 10 && text.Select((c, i) => i is 4 or 7 ? c == '-' : char.IsAsciiDigit(c)).All(ok => ok);

    /// <summary>A value quoted for a message: printable ASCII only, shortened when long.</summary>
    private static string Shown(ReadOnlySpan<char> value)
    {
        var builder = new StringBuilder("'");
        foreach (var c in value.Length > MaxShownChars ? value[..MaxShownChars] : value)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.Append(value.Length > MaxShownChars ? "…'" : "'").ToString();
    }

    /// <summary>The problems found so far: the first ones listed, the rest counted.</summary>
    private sealed class Errors
    {
        private readonly List<FxRateFileError> _listed = [];
        private int _more;

        public void Add(int line, string field, string message)
        {
            if (_listed.Count < MaxReportedErrors)
            {
                _listed.Add(new FxRateFileError(line, field, message));
            }
            else
            {
                _more++;
            }
        }

        public FxRateFileResult Result(List<FxRate> rates, bool tooManyRows) =>
            _listed.Count == 0 ? new FxRateFileResult(rates, [], 0, tooManyRows) : new FxRateFileResult([], _listed, _more, tooManyRows);
    }
}
