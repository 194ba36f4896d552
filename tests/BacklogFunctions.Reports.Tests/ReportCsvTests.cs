using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using CsvHelper;

namespace BacklogFunctions.Reports.Tests;

public class ReportCsvTests
{
    private static readonly Period February = new(2025, 2);

    /// <summary>BACKLOG_UPDATE_GOLDEN=1 rewrites the golden files (then review the diff).</summary>
    [Theory]
    [InlineData(ReportCsv.ContractsFile)]
    [InlineData(ReportCsv.RollForwardsFile)]
    [InlineData(ReportCsv.SegmentsFile)]
    [InlineData(ReportCsv.RpoFile)]
    public void A_small_fixed_company_renders_exactly_the_golden_files(string name)
    {
        var file = ReportCsv.Render(SampleReports.Input(6, 14, 7, February)).Single(f => f.Name == name);
        var golden = Path.Combine(Testing.Repository.Root, "tests", "BacklogFunctions.Reports.Tests", "golden", name);
        if (Environment.GetEnvironmentVariable("BACKLOG_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(golden, file.Content);
        }

        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(golden)), Encoding.UTF8.GetString(file.Content));
        Assert.Equal(File.ReadAllBytes(golden), file.Content);
    }

    [Fact]
    public void Files_are_utf8_with_a_byte_order_mark_fixed_headers_and_crlf_rows()
    {
        foreach (var file in ReportCsv.Render(SampleReports.Input(6, 14, 7, February)))
        {
            Assert.Equal([0xEF, 0xBB, 0xBF], file.Content[..3]);
            var text = Encoding.UTF8.GetString(file.Content[3..]);
            var header = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
            var expected = file.Name switch
            {
                ReportCsv.ContractsFile => ReportCsv.ContractColumns,
                ReportCsv.RollForwardsFile => ReportCsv.RollForwardColumns,
                ReportCsv.SegmentsFile => ReportCsv.SegmentColumns,
                _ => ReportCsv.RpoColumns,
            };
            Assert.Equal(string.Join(',', expected), header);
        }
    }

    [Fact]
    public void Contract_detail_parses_back_and_its_column_totals_equal_the_snapshot_totals()
    {
        var input = SampleReports.Input(150, 24, 99, new Period(2025, 9));
        var contracts = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ContractsFile);
        var totals = CsvTotals.OfContracts(contracts.Content);

        Assert.Equal(input.Snapshot.Totals.Select(t => t.Currency.Code), totals.Keys);
        foreach (var total in input.Snapshot.Totals)
        {
            foreach (var column in FigureColumns.All)
            {
                Assert.Equal(column.Value(total.Figures), totals[total.Currency.Code][column.Name]);
            }
        }

        // Negative amounts stay numbers: no apostrophe in front of a minus sign.
        Assert.DoesNotContain(",'-", Encoding.UTF8.GetString(contracts.Content), StringComparison.Ordinal);
        Assert.Contains(",-", Encoding.UTF8.GetString(contracts.Content), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://attacker.example\",\"click\")")]
    [InlineData("+SUM(A1:A9)")]
    [InlineData("-2+3")]
    [InlineData("@cmd")]
    [InlineData(" =1+1")]
    [InlineData("\u200B=HYPERLINK(\"http://attacker.example\")")]
    [InlineData("\uFEFF+1")]
    [InlineData("\uFF1DSUM(A1)")]
    [InlineData("\uFF0D2+3")]
    public void A_customer_name_that_looks_like_a_formula_stays_text(string name)
    {
        var input = SampleReports.Input(6, 14, 7, February);
        var first = input.Contracts[0];
        input = input with { Contracts = [first with { Customer = first.Customer with { Name = name } }, .. input.Contracts.Skip(1)] };

        var contracts = ReportCsv.Render(input).Single(f => f.Name == ReportCsv.ContractsFile);
        using var text = new StreamReader(new MemoryStream(contracts.Content), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var reader = CsvReader.Create(text, new CsvReaderOptions(), false);
        reader.ReadHeader();
        var column = reader.GetFieldIndex("customerName");
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(column));
        }

        var written = names.Single(n => n.Contains(name.TrimStart('=', '+', '-', '@'), StringComparison.Ordinal));
        Assert.NotEqual(name[0], written[0]);
        Assert.EndsWith(name, written, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_amount_has_the_currencys_digits_in_invariant_culture()
    {
        var input = SampleReports.Input(40, 14, 3, February);
        var rpo = Encoding.UTF8.GetString(ReportCsv.Render(input).Single(f => f.Name == ReportCsv.RpoFile).Content);
        foreach (var line in rpo.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var fields = line.Split(',');
            var currency = Currency.Of(fields[2]);
            var amount = fields[^1];
            Assert.Equal(currency.MinorUnit, amount.Contains('.', StringComparison.Ordinal) ? amount.Length - amount.IndexOf('.', StringComparison.Ordinal) - 1 : 0);
            _ = decimal.Parse(amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        Assert.Contains($",waterfall,{EventJson.Iso(February.LastDay.AddMonthsKeepingMonthEnd(1))[..7]},", rpo, StringComparison.Ordinal);
    }
}
