using System.Text;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Files;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Tests;

/// <summary>The target file of alerts.md ("Targets"): read strictly and as a whole, every problem named by line and field.</summary>
public sealed class TargetFileTests
{
    private const string H = TargetFile.Header + "\n";

    /// <summary>A body, and the one problem it has: its line (the header is line 1), field and part of the message.</summary>
    public static TheoryData<string, int, string, string> BadFiles => new()
    {
        // The file as a whole.
        { "", 1, "file", "the file is empty" },
        { "\uFEFF", 1, "file", "the file is empty" },
        { H, 2, "file", "only its header" },
        { H + string.Concat(Enumerable.Range(1, 5).Select(m => $"2026-{m:D2},EUR,revenue,100.00\n")), 6, "file", "at most 4 targets in one file" },

        // The header.
        { "Period,Currency,Figure,Amount\n2026-11,EUR,revenue,1.00\n", 1, "header", "exactly period,currency,figure,amount" },
        { "2026-11,EUR,revenue,1.00\n", 1, "header", "this one is a target row" },
        { "period,currency,figure,target\n2026-11,EUR,revenue,1.00\n", 1, "header", "found 'period,currency,figure,target'" },

        // The shape of a row.
        { H + "2026-11,EUR,revenue\n", 2, "row", "4 values expected (period,currency,figure,amount), found 3" },
        { H + "2026-11,EUR,revenue,1,250,000.00\n", 2, "row", "found 6" },
        { H + "2026-11,EUR,revenue,1250000,50\n", 2, "row", "an amount has a decimal point and no thousands separator" },
        { H + "\n2026-11,EUR,revenue,1.00\n", 2, "row", "empty line" },
        { H + "\"2026-11\",EUR,revenue,1.00\n", 2, "row", "quotes are not allowed" },
        { H + "2026-11,EUR,revenue,1.00\n2026-12,EUR,revenue,2.00\n2026-11,EUR,revenue,3.00\n", 4, "row", "revenue of 2026-11 in EUR is also on line 2" },

        // The period.
        { H + ",EUR,revenue,1.00\n", 2, "period", "missing" },
        { H + "2026-13,EUR,revenue,1.00\n", 2, "period", "'2026-13' is not a period" },
        { H + "2026-Q5,EUR,revenue,1.00\n", 2, "period", "'2026-Q5' is not a period" },
        { H + "2026-q4,EUR,revenue,1.00\n", 2, "period", "must be upper case: 2026-Q4" },
        { H + "fy2027,EUR,revenue,1.00\n", 2, "period", "must be upper case: FY2027" },
        { H + "Nov 2026,EUR,revenue,1.00\n", 2, "period", "is not a period" },
        { H + "2026-11-30,EUR,revenue,1.00\n", 2, "period", "is not a period" },
        { H + " 2026-11,EUR,revenue,1.00\n", 2, "period", "has spaces around it" },

        // The currency.
        { H + "2026-11,,revenue,1.00\n", 2, "currency", "missing" },
        { H + "2026-11,eur,revenue,1.00\n", 2, "currency", "'eur' must be upper case: EUR" },
        { H + "2026-11,XYZ,revenue,1.00\n", 2, "currency", "not an ISO 4217 currency code" },

        // The figure.
        { H + "2026-11,EUR,,1.00\n", 2, "figure", "missing; a figure is one of bookings, revenue, billings, collections, backlog, deferredRevenue, arr" },
        { H + "2026-11,EUR,ebitda,1.00\n", 2, "figure", "'ebitda' is not a figure with targets" },
        { H + "2026-11,EUR,Revenue,1.00\n", 2, "figure", "'Revenue' must be written revenue" },
        { H + "2026-11,EUR,deferred_revenue,1.00\n", 2, "figure", "not a figure with targets" },
        { H + "2026-11,EUR,bookToBill,1.00\n", 2, "figure", "not a figure with targets" },

        // The amount.
        { H + "2026-11,EUR,revenue,\n", 2, "amount", "missing" },
        { H + "2026-11,EUR,revenue,-100.00\n", 2, "amount", "is negative; a target is zero or more" },
        { H + "2026-11,EUR,revenue,100.005\n", 2, "amount", "'100.005' has 3 decimals; EUR amounts have at most 2" },
        { H + "2026-11,JPY,revenue,1000.5\n", 2, "amount", "JPY amounts have at most 0" },
        { H + "2026-11,EUR,revenue,1.2e6\n", 2, "amount", "has an exponent" },
        { H + "2026-11,EUR,revenue,1 250 000\n", 2, "amount", "thousands separator" },
        { H + "2026-11,EUR,revenue,€1250\n", 2, "amount", "is not a number" },
        { H + "2026-11,EUR,revenue,12.\n", 2, "amount", "is not a number" },
        { H + "2026-11,EUR,revenue,+100\n", 2, "amount", "has a sign" },
        { H + "2026-11,EUR,revenue,1234567890123456\n", 2, "amount", "16 digits before the decimal point; at most 15" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_gives_no_targets_and_names_its_line_and_field(string body, int line, string field, string message)
    {
        var result = TargetFile.Parse(body, fiscalYearStartMonth: 1, maxRows: 4);
        var fromBytes = TargetFile.Parse(Encoding.UTF8.GetBytes(body), fiscalYearStartMonth: 1, maxRows: 4);

        Assert.False(result.IsValid);
        Assert.Empty(result.Rows);
        var error = Assert.Single(result.Errors);
        Assert.Equal((line, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(result.Errors, fromBytes.Errors);
    }

    [Fact]
    public void There_are_at_least_twenty_bad_files() => Assert.True(BadFiles.Count >= 20);

    [Fact]
    public void Mixed_and_many_problems_are_all_listed_by_line()
    {
        var body = H + "2026-11,EUR,revenue,100.00\n2026-11,EUR,Bookings,1.000,50\n2026-Q4,JPY,backlog,5.5\n";

        var result = TargetFile.Parse(body, 1);

        Assert.Equal([(3, "row"), (4, "amount")], result.Errors.Select(e => (e.Line, e.Field)));
    }

    [Fact]
    public void Not_utf8_is_named_with_its_byte()
    {
        var result = TargetFile.Parse([.. Encoding.ASCII.GetBytes(H + "2026-11,EUR,revenue,"), 0xFF, (byte)'\n'], 1);

        Assert.Equal((2, "file"), (result.Errors[0].Line, result.Errors[0].Field));
        Assert.Contains("not UTF-8", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Months_quarters_fiscal_years_and_every_figure_read_and_write_back()
    {
        var body = H +
            "2026-11,EUR,bookings,1250000.00\r\n" +
            "2026-Q4,EUR,revenue,300000\n" +
            "FY2027,USD,arr,9000000.50\n" +
            "FY2027-Q2,JPY,backlog,150000000\n" +
            "2026-11,KWD,deferredRevenue,12.345\n" +
            "2026-11,EUR,billings,0\n" +
            "2026-11,EUR,collections,10.5\n";

        var result = TargetFile.Parse("\uFEFF" + body, fiscalYearStartMonth: 7);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(
            [
                new Target("2026-11", Currency.EUR, TargetFigure.Bookings, 1_250_000m),
                new Target("2026-Q4", Currency.EUR, TargetFigure.Revenue, 300_000m),
                new Target("FY2027", Currency.USD, TargetFigure.Arr, 9_000_000.5m),
                new Target("FY2027-Q2", Currency.JPY, TargetFigure.Backlog, 150_000_000m),
                new Target("2026-11", Currency.KWD, TargetFigure.DeferredRevenue, 12.345m),
                new Target("2026-11", Currency.EUR, TargetFigure.Billings, 0m),
                new Target("2026-11", Currency.EUR, TargetFigure.Collections, 10.5m),
            ],
            result.Rows);

        using var writer = new StringWriter();
        TargetFile.Write(writer, result.Rows);
        Assert.Equal(result.Rows, TargetFile.Parse(writer.ToString(), 7).Rows);
        Assert.Contains("2026-11,EUR,collections,10.50\n", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_period_outside_the_years_2000_to_2099_is_refused()
    {
        var result = TargetFile.Parse(H + "1999-12,EUR,revenue,1.00\n", 1);

        Assert.Equal((2, "period"), (result.Errors[0].Line, result.Errors[0].Field));
        Assert.Contains("of the years 2000 to 2099", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_the_listed_problems_are_counted()
    {
        var body = H + string.Concat(Enumerable.Range(0, StrictCsv.MaxReportedErrors + 7).Select(_ => "2026-11,EUR,ebitda,1.00\n"));

        var result = TargetFile.Parse(body, 1);

        Assert.Equal(StrictCsv.MaxReportedErrors, result.Errors.Count);
        Assert.Equal(7, result.MoreErrors);
    }
}
