using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Files;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Alerts;

/// <summary>
/// The target file of alerts.md ("Targets"): CSV with the header <c>period,currency,figure,amount</c>, one row per
/// target — a month (<c>2026-11</c>), quarter (<c>2026-Q4</c>, <c>FY2027-Q2</c>) or fiscal year (<c>FY2027</c>), an
/// ISO currency (the reporting currency for a consolidated target), a figure and the planned amount. Read strictly
/// and as a whole (<see cref="StrictCsv"/>): a file with any problem gives no targets.
/// </summary>
/// <remarks>
/// Amounts are digits with at most the currency's minor-unit decimals and no sign (a plan of a negative figure is not
/// a plan of these figures); a period, currency and figure appear once per file.
/// </remarks>
public static class TargetFile
{
    public const string Header = "period,currency,figure,amount";

    /// <summary>The content type of a target file.</summary>
    public const string MediaType = "text/csv";

    /// <summary>Rows one file may hold (seven figures × 20 currencies × five years of months, quarters and years, with room).</summary>
    public const int MaxRows = 20_000;

    /// <summary>Bytes one upload may hold (a row is at most about 60 bytes).</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    public const int MaxIntegerDigits = 15;

    public const string PeriodField = "period";
    public const string CurrencyField = "currency";
    public const string FigureField = "figure";
    public const string AmountField = "amount";

    private static readonly CsvLayout Layout = new(Header, "target", "2026-11,EUR,revenue,1250000.00", MaxRows, f => f[0].Length > 0 && char.IsAsciiDigit(f[0][0]) || f[0].StartsWith("FY", StringComparison.Ordinal), "an amount");

    /// <summary>Reads a body as sent: it must be UTF-8 (in practice ASCII) text.</summary>
    public static FileResult<Target> Parse(ReadOnlySpan<byte> utf8, int fiscalYearStartMonth, int maxRows = MaxRows) =>
        StrictCsv.Read(utf8, Layout with { MaxRows = maxRows }, Reader(fiscalYearStartMonth));

    /// <summary>Reads the text of a target file; fiscal periods are named with <paramref name="fiscalYearStartMonth"/>.</summary>
    public static FileResult<Target> Parse(string text, int fiscalYearStartMonth, int maxRows = MaxRows) =>
        StrictCsv.Read(text, Layout with { MaxRows = maxRows }, Reader(fiscalYearStartMonth));

    /// <summary>An amount as files and outputs write it: the currency's digits, invariant.</summary>
    public static string Format(Currency currency, decimal amount) => currency.Format(amount);

    /// <summary>Writes a target file: the header, then one row per target, LF line ends.</summary>
    public static void Write(TextWriter writer, IEnumerable<Target> targets)
    {
        writer.Write(Header);
        writer.Write('\n');
        foreach (var target in targets)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{target.Period},{target.Currency.Code},{TargetFigures.NameOf(target.Figure)},{Format(target.Currency, target.Amount)}\n"));
        }
    }

    private static StrictCsv.RowReader<Target> Reader(int fiscalYearStartMonth)
    {
        var seen = new Dictionary<(string, string, TargetFigure), int>();
        return (string[] fields, int line, StrictCsv.Problems errors, out Target row) =>
        {
            row = null!;
            var period = ReadPeriod(fields[0], fiscalYearStartMonth, line, errors);
            var currency = StrictCsv.ReadCurrency(fields[1], line, CurrencyField, errors);
            var figure = ReadFigure(fields[2], line, errors);
            var amount = ReadAmount(fields[3], currency, line, errors);
            if (period is null || currency is not { } c || figure is not { } f)
            {
                return false;
            }

            if (seen.TryGetValue((period.Name, c.Code, f), out var first))
            {
                errors.Add(line, StrictCsv.RowField, string.Create(CultureInfo.InvariantCulture, $"{TargetFigures.NameOf(f)} of {period.Name} in {c.Code} is also on line {first}; one target per period, currency and figure in a file"));
                return false;
            }

            seen.Add((period.Name, c.Code, f), line);
            if (amount is not { } value)
            {
                return false;
            }

            row = new Target(period.Name, c, f, value);
            return true;
        };
    }

    private static ReportingPeriod? ReadPeriod(string text, int fiscalYearStartMonth, int line, StrictCsv.Problems errors)
    {
        if (ReportingPeriod.TryParse(text, fiscalYearStartMonth, out var period) && period is not null)
        {
            return period;
        }

        var upper = text.ToUpperInvariant();
        var message = text switch
        {
            { Length: 0 } => "missing; a period is a month (2026-11), a quarter (2026-Q4, FY2027-Q2) or a fiscal year (FY2027)",
            _ when text.Trim().Length != text.Length => $"{StrictCsv.Shown(text)} has spaces around it; write the period alone, such as 2026-11",
            _ when upper != text && ReportingPeriod.TryParse(upper, fiscalYearStartMonth, out _) => $"{StrictCsv.Shown(text)} must be upper case: {upper}",
            _ => $"{StrictCsv.Shown(text)} is not a period; a period is a month (2026-11), a quarter (2026-Q4, FY2027-Q2) or a fiscal year (FY2027) of the years 2000 to 2099",
        };
        errors.Add(line, PeriodField, message);
        return null;
    }

    private static TargetFigure? ReadFigure(string text, int line, StrictCsv.Problems errors)
    {
        if (TargetFigures.TryParse(text, out var figure))
        {
            return figure;
        }

        var names = string.Join(", ", TargetFigures.All.Select(TargetFigures.NameOf));
        var spelled = TargetFigures.All.Where(f => string.Equals(TargetFigures.NameOf(f), text.Trim(), StringComparison.OrdinalIgnoreCase)).Select(TargetFigures.NameOf).FirstOrDefault();
        errors.Add(line, FigureField, text.Length == 0
            ? $"missing; a figure is one of {names}"
            : spelled is not null
                ? $"{StrictCsv.Shown(text)} must be written {spelled}"
                : $"{StrictCsv.Shown(text)} is not a figure with targets; use one of {names}");
        return null;
    }

    private static decimal? ReadAmount(string text, Currency? currency, int line, StrictCsv.Problems errors)
    {
        var problem = text.StartsWith('-') && text.Length > 1 && StrictCsv.IsDigits(text[1..].Replace(".", string.Empty, StringComparison.Ordinal))
            ? $"{StrictCsv.Shown(text)} is negative; a target is zero or more"
            : StrictCsv.NumberProblem(text, "an amount", "1250000.00", 28 - MaxIntegerDigits, MaxIntegerDigits);
        if (problem is not null)
        {
            errors.Add(line, AmountField, problem);
            return null;
        }

        var value = decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var decimals = text.Contains('.', StringComparison.Ordinal) ? text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        if (currency is { } c && decimals > c.MinorUnit)
        {
            errors.Add(line, AmountField, string.Create(CultureInfo.InvariantCulture, $"{StrictCsv.Shown(text)} has {decimals} decimals; {c.Code} amounts have at most {c.MinorUnit}"));
            return null;
        }

        return value;
    }
}
