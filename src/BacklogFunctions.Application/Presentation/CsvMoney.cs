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

    public static void WriteMoney(this CsvWriter csv, decimal amount, Currency currency) =>
        csv.WriteField(currency.Round(amount), Formats[currency.MinorUnit]);
}
