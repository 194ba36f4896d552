using System.Globalization;
using System.Text;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Files;

/// <summary>One problem of an uploaded file: the physical line (the header is line 1), the field and what is wrong.</summary>
public sealed record FileError(int Line, string Field, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, {Field}: {Message}");
}

/// <summary>A file read as a whole: either every row (in file order) or its problems, never both.</summary>
public sealed class FileResult<T>
{
    internal FileResult(IReadOnlyList<T> rows, IReadOnlyList<FileError> errors, int moreErrors, bool tooManyRows)
    {
        Rows = rows;
        Errors = errors;
        MoreErrors = moreErrors;
        TooManyRows = tooManyRows;
    }

    /// <summary>The rows in file order; empty when there is any error.</summary>
    public IReadOnlyList<T> Rows { get; }

    /// <summary>The first <see cref="StrictCsv.MaxReportedErrors"/> problems, in line order.</summary>
    public IReadOnlyList<FileError> Errors { get; }

    /// <summary>How many more problems there are beyond <see cref="Errors"/>.</summary>
    public int MoreErrors { get; }

    /// <summary>The file has more rows than allowed (reading stopped there).</summary>
    public bool TooManyRows { get; }

    public bool IsValid => Errors.Count == 0;
}

/// <summary>What a strict CSV file looks like: its exact header, what a row is called, an example row and how many rows it may hold.</summary>
/// <param name="LooksLikeRow">True when a first line that is not the header is a data row (the header is missing).</param>
/// <param name="NumberNoun">The file's number as messages name it: "a rate", "an amount".</param>
public sealed record CsvLayout(string Header, string RowNoun, string ExampleRow, int MaxRows, Func<string[], bool> LooksLikeRow, string NumberNoun)
{
    public int FieldCount { get; } = Header.Split(',').Length;
}

/// <summary>
/// Uploaded CSV files without text fields (rate and target files), read strictly and as a whole: every problem is
/// reported with its line and field, and a file with any problem gives no rows. A value is bare — there is no
/// quoting; lines end with LF or CR LF; a UTF-8 byte order mark before the header is allowed.
/// </summary>
public static class StrictCsv
{
    /// <summary>Problems listed one by one; the rest are counted.</summary>
    public const int MaxReportedErrors = 100;

    public const string FileField = "file";
    public const string HeaderField = "header";
    public const string RowField = "row";

    private const int MaxShownChars = 40;

    /// <summary>Reads one row's fields (as many as the header has) into a value, or adds its problems and answers false.</summary>
    public delegate bool RowReader<T>(string[] fields, int line, Problems problems, out T row);

    /// <summary>Reads a body as sent: it must be UTF-8 (in practice ASCII) text.</summary>
    public static FileResult<T> Read<T>(ReadOnlySpan<byte> utf8, CsvLayout layout, RowReader<T> readRow)
    {
        var (line, offset) = (1, 0);
        var rest = System.Text.Unicode.Utf8.IsValid(utf8) ? [] : utf8;
        while (!rest.IsEmpty)
        {
            if (System.Buffers.OperationStatus.Done != Rune.DecodeFromUtf8(rest, out _, out var consumed))
            {
                var problems = new Problems();
                problems.Add(line, FileField, string.Create(CultureInfo.InvariantCulture, $"not UTF-8 text (byte {offset + 1} of the file, 0x{rest[0]:X2}); save the file as UTF-8 or plain ASCII"));
                return problems.Result(new List<T>(), tooManyRows: false);
            }

            if (rest[0] == (byte)'\n')
            {
                line++;
            }

            rest = rest[consumed..];
            offset += consumed;
        }

        return Read(Encoding.UTF8.GetString(utf8), layout, readRow);
    }

    /// <summary>Reads the text of a file: the header, then every row through <paramref name="readRow"/>.</summary>
    public static FileResult<T> Read<T>(string text, CsvLayout layout, RowReader<T> readRow)
    {
        var problems = new Problems();
        var rows = new List<T>();
        var tooManyRows = false;

        var position = text.StartsWith('\uFEFF') ? 1 : 0;
        if (position == text.Length)
        {
            problems.Add(1, FileField, $"the file is empty; it starts with the header line {layout.Header}, then one row per {layout.RowNoun} such as {layout.ExampleRow}");
            return problems.Result(rows, tooManyRows);
        }

        var lineNumber = 0;
        var count = 0;
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
                if (!line.SequenceEqual(layout.Header))
                {
                    problems.Add(1, HeaderField, HeaderProblem(line, layout));
                    // Without the header the columns are unknown: the rows are not read.
                    return problems.Result(rows, tooManyRows);
                }

                continue;
            }

            count++;
            if (count > layout.MaxRows)
            {
                problems.Add(lineNumber, FileField, string.Create(CultureInfo.InvariantCulture, $"at most {layout.MaxRows:N0} {layout.RowNoun}s in one file; split it into several uploads"));
                tooManyRows = true;
                break;
            }

            if (Fields(line, lineNumber, layout, problems) is { } fields && readRow(fields, lineNumber, problems, out var row))
            {
                rows.Add(row);
            }
        }

        if (count == 0)
        {
            problems.Add(lineNumber + 1, FileField, $"the file has only its header; add one row per {layout.RowNoun} such as {layout.ExampleRow}");
        }

        return problems.Result(rows, tooManyRows);
    }

    private static string HeaderProblem(ReadOnlySpan<char> line, CsvLayout layout)
    {
        if (line.IsEmpty)
        {
            return $"the first line is empty; it must be the header {layout.Header}";
        }

        if (line.Contains('\r'))
        {
            return "lines end with LF or CR LF; this file seems to end them with CR alone (save it with Windows or Unix line ends)";
        }

        var fields = line.ToString().Split(',');
        if (fields.Length == layout.FieldCount && layout.LooksLikeRow(fields))
        {
            return $"the first line must be the header {layout.Header}; this one is a {layout.RowNoun} row (add the header above it)";
        }

        return line.Equals(layout.Header, StringComparison.OrdinalIgnoreCase) || line.Trim().SequenceEqual(layout.Header) || line.ToString().Replace(" ", string.Empty, StringComparison.Ordinal) == layout.Header
            ? $"the header must be exactly {layout.Header} (lower case, no spaces); found {Shown(line)}"
            : $"the header must be {layout.Header}; found {Shown(line)}";
    }

    private static string[]? Fields(ReadOnlySpan<char> line, int lineNumber, CsvLayout layout, Problems problems)
    {
        if (line.IsEmpty)
        {
            problems.Add(lineNumber, RowField, $"empty line; every line after the header is a {layout.RowNoun} (remove the empty line)");
            return null;
        }

        if (line.Contains('\r'))
        {
            problems.Add(lineNumber, RowField, "a carriage return (CR) inside the line; lines end with LF or CR LF");
            return null;
        }

        if (line.Contains('"'))
        {
            problems.Add(lineNumber, RowField, $"quotes are not allowed; write the values bare, such as {layout.ExampleRow}");
            return null;
        }

        var fields = line.ToString().Split(',');
        if (fields.Length != layout.FieldCount)
        {
            var hint = fields.Length == layout.FieldCount + 1 && IsDigits(fields[^2].TrimStart('-')) && IsDigits(fields[^1].Split('.')[0])
                ? $"; {layout.NumberNoun} has a decimal point and no thousands separator (1234.5, not 1,234.5 or 1234,5)"
                : string.Empty;
            problems.Add(lineNumber, RowField, string.Create(CultureInfo.InvariantCulture, $"{layout.FieldCount} values expected ({layout.Header}), found {fields.Length}{hint}"));
            return null;
        }

        return fields;
    }

    /// <summary>
    /// Null when <paramref name="text"/> is digits with an optional decimal point and digits after it, within the
    /// limits; otherwise what is wrong, for a value described as <paramref name="noun"/> such as <paramref name="example"/>.
    /// </summary>
    public static string? NumberProblem(string text, string noun, string example, int maxFractionDigits, int maxIntegerDigits, string? smallExample = null)
    {
        if (text.Length == 0)
        {
            return $"missing; {noun} is a number such as {example}";
        }

        if (text.Trim().Length != text.Length)
        {
            return $"{Shown(text)} has spaces around it; write the number alone, such as {example}";
        }

        if (text[0] is '+' or '-')
        {
            return $"{Shown(text)} has a sign; {noun} is written without one, such as {example}";
        }

        if (text.Any(c => c is 'e' or 'E') && text.Any(char.IsAsciiDigit))
        {
            return $"{Shown(text)} has an exponent; write the digits out, such as {smallExample ?? example}";
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
            return $"{Shown(text)} is not a number; {noun} is digits with a decimal point, such as {example}";
        }

        if (fraction.Length > maxFractionDigits)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Shown(text)} has {fraction.Length} decimals; at most {maxFractionDigits}");
        }

        if (whole.Length > maxIntegerDigits)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Shown(text)} has {whole.Length} digits before the decimal point; at most {maxIntegerDigits}");
        }

        return null;
    }

    /// <summary>An upper-case ISO 4217 code, or null with the problem added.</summary>
    public static Currency? ReadCurrency(string text, int line, string field, Problems problems)
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
        problems.Add(line, field, message);
        return null;
    }

    public static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    /// <summary>A value quoted for a message: printable ASCII only, shortened when long.</summary>
    public static string Shown(ReadOnlySpan<char> value)
    {
        var builder = new StringBuilder("'");
        foreach (var c in value.Length > MaxShownChars ? value[..MaxShownChars] : value)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.Append(value.Length > MaxShownChars ? "…'" : "'").ToString();
    }

    /// <summary>The problems found so far: the first ones listed, the rest counted.</summary>
    public sealed class Problems
    {
        private readonly List<FileError> _listed = [];
        private int _more;

        public void Add(int line, string field, string message)
        {
            if (_listed.Count < MaxReportedErrors)
            {
                _listed.Add(new FileError(line, field, message));
            }
            else
            {
                _more++;
            }
        }

        internal FileResult<T> Result<T>(List<T> rows, bool tooManyRows) =>
            _listed.Count == 0 ? new FileResult<T>(rows, [], 0, tooManyRows) : new FileResult<T>([], _listed, _more, tooManyRows);
    }
}
