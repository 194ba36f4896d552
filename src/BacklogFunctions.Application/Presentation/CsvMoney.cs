using System.Globalization;
using BacklogFunctions.Domain.Money;
using CsvHelper;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// CSV writing shared by every CSV output: amounts are written as numbers (the currency's digits, invariant
/// culture), so formula-injection escaping — which applies to text only — never turns a negative amount into
/// text; names and other text are escaped.
/// </summary>
public static class CsvMoney
{
    private static readonly string[] Formats = ["F0", "F1", "F2", "F3", "F4"];

    public static CsvWriterOptions Options { get; } = new() { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };

    /// <summary>
    /// Writes text that may come from a customer (names, segments, ids): see <see cref="NeutralizeFormula"/>.
    /// </summary>
    public static void WriteText(this CsvWriter csv, string value) => csv.WriteField(NeutralizeFormula(value));

    /// <summary>
    /// A spreadsheet ignores leading spaces, zero-width characters and a byte-order mark, and reads the full-width
    /// <c>＝＋－＠</c> as their ASCII forms, so <c>" =1+1"</c> or <c>"​=1+1"</c> is still a formula to it. Such
    /// text gets the same <c>'</c> in front that the CSV writer gives a plain <c>=</c>; anything else is left to
    /// the writer's own injection escaping, so other output is unchanged.
    /// </summary>
    public static string NeutralizeFormula(string value)
    {
        var start = 0;
        while (start < value.Length && IsIgnoredLead(value[start]))
        {
            start++;
        }

        if (start == value.Length)
        {
            return value;
        }

        var first = value[start];
        var hidden = start > 0 && first is '=' or '+' or '-' or '@';
        var fullWidth = first is '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20';
        return hidden || fullWidth ? "'" + value : value;
    }

    private static bool IsIgnoredLead(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD';

    public static void WriteMoney(this CsvWriter csv, decimal amount, Currency currency) =>
        csv.WriteField(currency.Round(amount), Formats[currency.MinorUnit]);
}
