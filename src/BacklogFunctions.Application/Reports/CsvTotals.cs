using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Presentation;
using CsvHelper;

namespace BacklogFunctions.Application.Reports;

/// <summary>Column totals per currency of a rendered contracts.csv, read back from its bytes: what the tie-out checks.</summary>
public static class CsvTotals
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, decimal>> OfContracts(byte[] csv)
    {
        var totals = new SortedDictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
        using var text = new StreamReader(new MemoryStream(csv), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
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
                sums[name] += decimal.Parse(reader.GetString(index), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            }
        }

        return totals.ToDictionary(t => t.Key, t => (IReadOnlyDictionary<string, decimal>)t.Value, StringComparer.Ordinal);
    }
}
