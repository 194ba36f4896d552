using System.Globalization;
using System.Text;
using CsvHelper;

namespace BacklogFunctions.Application.Reports;

/// <summary>A row of consolidated.csv read back: empty amounts, rates and dates are null.</summary>
public sealed record ConsolidatedCsvRow(string Section, string Currency, string Dimension, string Item, string Name, decimal? Amount, decimal? Rate, DateOnly? Date);

/// <summary>consolidated.csv read back from its bytes, row by row in file order: what the tie-out compares with the pack.</summary>
public static class ConsolidatedCsv
{
    private const NumberStyles Number = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static IReadOnlyList<ConsolidatedCsvRow> Read(byte[] csv)
    {
        var rows = new List<ConsolidatedCsvRow>();
        using var text = new StreamReader(new MemoryStream(csv), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var reader = CsvReader.Create(text, new CsvReaderOptions(), false);
        reader.ReadHeader();
        int Column(string name) => reader.GetFieldIndex(name);
        var (section, currency, dimension, item, name) = (Column("section"), Column("currency"), Column("dimension"), Column("item"), Column("name"));
        var (amount, rate, date) = (Column("amount"), Column("rate"), Column("date"));
        while (reader.Read())
        {
            decimal? Decimal(int index) => reader.GetString(index) is { Length: > 0 } field ? decimal.Parse(field, Number, CultureInfo.InvariantCulture) : null;
            rows.Add(new ConsolidatedCsvRow(
                reader.GetString(section),
                reader.GetString(currency),
                reader.GetString(dimension),
                reader.GetString(item),
                reader.GetString(name),
                Decimal(amount),
                Decimal(rate),
                reader.GetString(date) is { Length: > 0 } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null));
        }

        return rows;
    }
}
