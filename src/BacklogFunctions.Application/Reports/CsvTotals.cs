using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Presentation;
using CsvHelper;

namespace BacklogFunctions.Application.Reports;

/// <summary>Column totals per currency of a rendered CSV file, read back from its bytes: what the tie-out checks.</summary>
public static class CsvTotals
{
    private const NumberStyles Amount = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, decimal>> OfContracts(byte[] csv)
    {
        var totals = new SortedDictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
        using var text = Open(csv);
        using var reader = CsvReader.Create(text, new CsvReaderOptions(), false);
        reader.ReadHeader();
        var currency = reader.GetFieldIndex("currency");
        var columns = FigureColumns.All.Select(c => (c.Name, Index: reader.GetFieldIndex(c.Name))).ToList();
        while (reader.Read())
        {
            var code = reader.GetString(currency);
            if (!totals.TryGetValue(code, out var sums))
            {
                sums = columns.ToDictionary(c => c.Name, _ => 0m, StringComparer.Ordinal);
                totals.Add(code, sums);
            }

            foreach (var (name, index) in columns)
            {
                sums[name] += decimal.Parse(reader.GetString(index), Amount, CultureInfo.InvariantCulture);
            }
        }

        return totals.ToDictionary(t => t.Key, t => (IReadOnlyDictionary<string, decimal>)t.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The sums of <paramref name="amountColumns"/> per currency and value of <paramref name="keyColumn"/>, in the
    /// columns' order; with <paramref name="only"/>, the rows whose column has that value. An empty amount is zero.
    /// </summary>
    public static IReadOnlyDictionary<(string Currency, string Key), decimal[]> Sums(
        byte[] csv, string keyColumn, IReadOnlyList<string> amountColumns, (string Column, string Value)? only = null)
    {
        var sums = new Dictionary<(string, string), decimal[]>();
        using var text = Open(csv);
        using var reader = CsvReader.Create(text, new CsvReaderOptions(), false);
        reader.ReadHeader();
        var (currency, key) = (reader.GetFieldIndex("currency"), reader.GetFieldIndex(keyColumn));
        var filter = only is { } o ? (Index: reader.GetFieldIndex(o.Column), Value: Encoding.UTF8.GetBytes(o.Value)) : (Index: -1, Value: []);
        var amounts = amountColumns.Select(c => reader.GetFieldIndex(c)).ToArray();
        while (reader.Read())
        {
            if (filter.Index >= 0 && !reader.GetSpan(filter.Index).SequenceEqual(filter.Value))
            {
                continue;
            }

            var group = (reader.GetString(currency), reader.GetString(key));
            if (!sums.TryGetValue(group, out var row))
            {
                row = new decimal[amounts.Length];
                sums.Add(group, row);
            }

            for (var i = 0; i < amounts.Length; i++)
            {
                var field = reader.GetSpan(amounts[i]);
                row[i] += field.IsEmpty ? 0m : decimal.Parse(field, Amount, CultureInfo.InvariantCulture);
            }
        }

        return sums;
    }

    private static StreamReader Open(byte[] csv) => new(new MemoryStream(csv), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
}
