using System.Globalization;
using System.Text;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Tests;

/// <summary>The rate file of consolidation.md: read strictly and as a whole, every problem named by line and field.</summary>
public sealed class FxRateFileTests
{
    private const string H = FxRateFile.Header + "\n";

    private static readonly Currency Usd = Currency.USD;

    /// <summary>A body, and the one problem it has: its line (the header is line 1), field and part of the message.</summary>
    public static TheoryData<string, int, string, string> BadFiles => new()
    {
        // The file as a whole.
        { "", 1, "file", "the file is empty" },
        { "\uFEFF", 1, "file", "the file is empty" },
        { H, 2, "file", "only its header" },
        { FxRateFile.Header, 2, "file", "only its header" },
        { H + "2026-11-30,EUR,1.08\n2026-11-30,KWD,3.25\n2026-11-30,JPY,0.0067\n2026-11-30,GBP,1.27\n2026-11-30,CHF,1.13\n", 6, "file", "at most 4 rates in one file" },

        // The header.
        { "Date,Currency,Rate\n2026-11-30,EUR,1.08\n", 1, "header", "exactly date,currency,rate" },
        { "date, currency, rate\n2026-11-30,EUR,1.08\n", 1, "header", "found 'date, currency, rate'" },
        { "2026-11-30,EUR,1.08\n", 1, "header", "this one is a rate row" },
        { "day,currency,rate\n2026-11-30,EUR,1.08\n", 1, "header", "the header must be date,currency,rate; found 'day,currency,rate'" },
        { "date,currency,rate,source\n2026-11-30,EUR,1.08,ecb\n", 1, "header", "found 'date,currency,rate,source'" },
        { "\n2026-11-30,EUR,1.08\n", 1, "header", "the first line is empty" },
        { "date,currency,rate\r2026-11-30,EUR,1.08\r", 1, "header", "CR alone" },

        // The shape of a row.
        { H + "2026-11-30,EUR\n", 2, "row", "3 values expected (date,currency,rate), found 2" },
        { H + "2026-11-30,EUR,1.08,ecb\n", 2, "row", "found 4" },
        { H + "2026-11-30,EUR,1,0825\n", 2, "row", "a rate has a decimal point and no thousands separator" },
        { H + "2026-11-30,JPY,1,234.5\n", 2, "row", "not 1,234.5 or 1234,5" },
        { H + "\n2026-11-30,EUR,1.08\n", 2, "row", "empty line" },
        { H + "2026-11-30,EUR,1.08\n\n", 3, "row", "empty line" },
        { H + "2026-11-30,EUR,1.08\r\n\r\n", 3, "row", "empty line" },
        { H + "\"2026-11-30\",EUR,1.08\n", 2, "row", "quotes are not allowed" },
        { H + "2026-11-30,EUR,1.08\r2026-12-01,EUR,1.09\n", 2, "row", "carriage return (CR) inside the line" },
        { H + "2026-11-30,EUR,1.08\n2026-12-01,JPY,0.0067\n2026-11-30,EUR,1.09\n", 4, "row", "EUR on 2026-11-30 is also on line 2" },

        // The date.
        { H + ",EUR,1.08\n", 2, "date", "missing" },
        { H + "2026-02-30,EUR,1.08\n", 2, "date", "2026-02-30 is not a day of the calendar" },
        { H + "2026-13-01,EUR,1.08\n", 2, "date", "not a day of the calendar" },
        { H + "30/11/2026,EUR,1.08\n", 2, "date", "'30/11/2026' is not a date; a date is yyyy-MM-dd" },
        { H + "2026-11-3,EUR,1.08\n", 2, "date", "not a date" },
        { H + "2026-11-30T00:00:00,EUR,1.08\n", 2, "date", "not a date" },
        { H + " 2026-11-30,EUR,1.08\n", 2, "date", "not a date" },
        { H + "1999-12-31,EUR,1.08\n", 2, "date", "out of range" },

        // The currency.
        { H + "2026-11-30,,1.08\n", 2, "currency", "missing" },
        { H + "2026-11-30,eur,1.08\n", 2, "currency", "'eur' must be upper case: EUR" },
        { H + "2026-11-30,XYZ,1.08\n", 2, "currency", "'XYZ' is not an ISO 4217 currency code" },
        { H + "2026-11-30,EURO,1.08\n", 2, "currency", "not an ISO 4217 currency code" },
        { H + "2026-11-30, EUR,1.08\n", 2, "currency", "spaces around it" },

        // The rate.
        { H + "2026-11-30,EUR,\n", 2, "rate", "missing" },
        { H + "2026-11-30,EUR,-1.08\n", 2, "rate", "has a sign" },
        { H + "2026-11-30,EUR,+1.08\n", 2, "rate", "has a sign" },
        { H + "2026-11-30,EUR,1e3\n", 2, "rate", "has an exponent" },
        { H + "2026-11-30,JPY,6.7E-3\n", 2, "rate", "has an exponent" },
        { H + "2026-11-30,JPY,1 234.5\n", 2, "rate", "thousands separator" },
        { H + "2026-11-30,JPY,1'234.5\n", 2, "rate", "thousands separator" },
        { H + "2026-11-30,EUR,1.08 \n", 2, "rate", "spaces around it" },
        { H + "2026-11-30,EUR,0\n", 2, "rate", "0 is zero; a rate is positive" },
        { H + "2026-11-30,EUR,0.0000\n", 2, "rate", "is zero" },
        { H + "2026-11-30,EUR,1.08250000001\n", 2, "rate", "has 11 decimals; at most 10" },
        { H + "2026-11-30,EUR,1.\n", 2, "rate", "is not a number" },
        { H + "2026-11-30,EUR,.5\n", 2, "rate", "is not a number" },
        { H + "2026-11-30,EUR,abc\n", 2, "rate", "'abc' is not a number" },
        { H + "2026-11-30,EUR,NaN\n", 2, "rate", "is not a number" },
        { H + "2026-11-30,EUR,1.2.3\n", 2, "rate", "is not a number" },
        { H + "2026-11-30,EUR,\u0661.\u0660\u0668\n", 2, "rate", "is not a number" },
        { H + "2026-11-30,EUR,$1.08\n", 2, "rate", "is not a number" },
        { H + "2026-11-30,EUR,1234567890123.5\n", 2, "rate", "13 digits before the decimal point; at most 12" },
        { H + "2026-11-30,USD,1.01\n", 2, "rate", "USD is the reporting currency: its rate is always 1, not '1.01'" },
        { H + "2026-11-30,USD,0.5\n", 2, "rate", "always 1" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_names_the_line_and_field_and_gives_no_rates(string body, int line, string field, string message)
    {
        var result = FxRateFile.Parse(body, Usd, maxRows: 4);

        Assert.False(result.IsValid);
        Assert.Empty(result.Rows);
        var error = Assert.Single(result.Errors);
        Assert.Equal((line, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);

        // The same through the bytes an upload carries.
        var fromBytes = Assert.Single(FxRateFile.Parse(Encoding.UTF8.GetBytes(body), Usd, maxRows: 4).Errors);
        Assert.Equal(error, fromBytes);
    }

    [Fact]
    public void Every_problem_of_every_row_is_reported_in_line_order_and_nothing_is_accepted()
    {
        var body = H +
            "2026-11-30,EUR,1.0825\n" +    // 2: good
            "2026-11-31,eur,-1\n" +        // 3: three problems
            "2026-12-01,JPY,0.0067\n" +    // 4: good
            "2026-12-01,JPY\n" +           // 5: shape
            "2026-12-02,KWD,3.25\n" +      // 6: good
            "2026-11-30,EUR,1.09\n";       // 7: the same as line 2

        var result = FxRateFile.Parse(body, Usd);

        Assert.Empty(result.Rows);
        Assert.Equal(
            [(3, "date"), (3, "currency"), (3, "rate"), (5, "row"), (7, "row")],
            result.Errors.Select(e => (e.Line, e.Field)).ToArray());
        Assert.Equal("line 7, row: EUR on 2026-11-30 is also on line 2; one rate per date and currency in a file", result.Errors[^1].ToString());
        Assert.Equal(0, result.MoreErrors);
    }

    [Fact]
    public void Past_a_hundred_problems_the_rest_are_counted()
    {
        var body = new StringBuilder(H);
        for (var i = 0; i < 250; i++)
        {
            body.Append("2026-11-30,XYZ,1\n");
        }

        var result = FxRateFile.Parse(body.ToString(), Usd);

        Assert.Equal(BacklogFunctions.Application.Files.StrictCsv.MaxReportedErrors, result.Errors.Count);
        Assert.Equal(150, result.MoreErrors);
        Assert.Equal(Enumerable.Range(2, 100), result.Errors.Select(e => e.Line));
    }

    [Fact]
    public void More_rows_than_allowed_stop_the_reading_at_the_first_one_too_many()
    {
        var body = H + string.Concat(Enumerable.Range(1, 7).Select(d => string.Create(CultureInfo.InvariantCulture, $"2026-11-{d:00},EUR,1.08\n")));

        var result = FxRateFile.Parse(body, Usd, maxRows: 5);

        Assert.True(result.TooManyRows);
        var error = Assert.Single(result.Errors);
        Assert.Equal((7, "file"), (error.Line, error.Field));
        Assert.Contains("at most 5 rates in one file", error.Message, StringComparison.Ordinal);
        Assert.False(FxRateFile.Parse(body, Usd, maxRows: 7).TooManyRows);
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_refused_at_the_line_of_the_bad_byte()
    {
        var body = Encoding.ASCII.GetBytes(H + "2026-11-30,EUR,1.08\n2026-11-30,JPY,0.0067").Concat(new byte[] { 0xFF, (byte)'\n' }).ToArray();

        var error = Assert.Single(FxRateFile.Parse(body, Usd).Errors);

        Assert.Equal((3, "file"), (error.Line, error.Field));
        Assert.Contains("not UTF-8 text", error.Message, StringComparison.Ordinal);
        Assert.Contains("0xFF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_shown_in_a_message_is_printable_and_short()
    {
        var error = Assert.Single(FxRateFile.Parse(H + "2026-11-30,EUR,\u001b[31m" + new string('9', 80) + "\n", Usd).Errors);

        Assert.DoesNotContain('\u001b', error.Message);
        Assert.Contains("…'", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 150, error.Message);
    }

    [Fact]
    public void Good_rates_come_back_in_file_order_exactly_as_written()
    {
        var body = H +
            "2026-12-01,EUR,1.0825\n" +
            "2026-11-30,JPY,0.0067234512\n" +  // 10 decimals
            "2026-11-30,EUR,1.0800\n" +        // trailing zeros are the same number
            "2026-11-30,KWD,3.2501\n" +
            "2026-11-30,USD,1\n" +             // the reporting currency, at 1
            "2026-12-01,USD,1.0000\n" +
            "2026-12-01,GBP,1.27\n" +
            "2026-12-01,CHF,0001.13\n";

        var result = FxRateFile.Parse(body, Usd);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(
            [
                new FxRate(new DateOnly(2026, 12, 1), Currency.EUR, 1.0825m),
                new FxRate(new DateOnly(2026, 11, 30), Currency.JPY, 0.0067234512m),
                new FxRate(new DateOnly(2026, 11, 30), Currency.EUR, 1.08m),
                new FxRate(new DateOnly(2026, 11, 30), Currency.KWD, 3.2501m),
                new FxRate(new DateOnly(2026, 11, 30), Currency.USD, 1m),
                new FxRate(new DateOnly(2026, 12, 1), Currency.USD, 1m),
                new FxRate(new DateOnly(2026, 12, 1), Currency.Of("GBP"), 1.27m),
                new FxRate(new DateOnly(2026, 12, 1), Currency.Of("CHF"), 1.13m),
            ],
            result.Rows);
        Assert.Equal("0.0067234512", FxRateFile.Format(result.Rows[1].Rate));
        Assert.Equal("1.08", FxRateFile.Format(result.Rows[2].Rate));
        Assert.Equal("1", FxRateFile.Format(result.Rows[5].Rate));
    }

    [Theory]
    [InlineData("date,currency,rate\n2026-11-30,EUR,1.08\n2026-11-30,JPY,0.0067\n")]      // LF, trailing newline
    [InlineData("date,currency,rate\n2026-11-30,EUR,1.08\n2026-11-30,JPY,0.0067")]        // no trailing newline
    [InlineData("date,currency,rate\r\n2026-11-30,EUR,1.08\r\n2026-11-30,JPY,0.0067\r\n")] // CR LF (Excel on Windows)
    [InlineData("date,currency,rate\r\n2026-11-30,EUR,1.08\r\n2026-11-30,JPY,0.0067")]
    [InlineData("\uFEFFdate,currency,rate\r\n2026-11-30,EUR,1.08\r\n2026-11-30,JPY,0.0067\r\n")] // with a byte order mark
    public void Line_ends_a_trailing_newline_and_a_byte_order_mark_do_not_matter(string body)
    {
        FxRate[] expected = [new(new DateOnly(2026, 11, 30), Currency.EUR, 1.08m), new(new DateOnly(2026, 11, 30), Currency.JPY, 0.0067m)];

        Assert.Equal(expected, FxRateFile.Parse(body, Usd).Rows);
        Assert.Equal(expected, FxRateFile.Parse(Encoding.UTF8.GetBytes(body), Usd).Rows);
    }

    [Fact]
    public void A_later_upload_of_the_same_date_and_currency_supersedes_the_earlier_one()
    {
        var first = FxRateFile.Parse(H + "2026-11-30,EUR,1.08\n2026-11-27,EUR,1.07\n", Usd);
        var second = FxRateFile.Parse(H + "2026-11-30,EUR,1.0825\n", Usd);

        // Stored in upload order, each file in its own order: the last one of a date and currency counts.
        var rates = new FxRates(Usd, [.. first.Rows, .. second.Rows]);

        Assert.Equal((1.0825m, new DateOnly(2026, 11, 30)), rates.Closing(Currency.EUR, new DateOnly(2026, 11, 30)));
        Assert.Equal((1.07m, new DateOnly(2026, 11, 27)), rates.Closing(Currency.EUR, new DateOnly(2026, 11, 29)));
    }

    [Fact]
    public void Written_rates_read_back_the_same()
    {
        FxRate[] rates =
        [
            new(new DateOnly(2026, 11, 30), Currency.EUR, 1.0800m),
            new(new DateOnly(2026, 11, 30), Currency.JPY, 0.0067234512m),
            new(new DateOnly(2026, 11, 30), Currency.KWD, 3.25m),
            new(new DateOnly(2026, 12, 1), Currency.Of("IDR"), 0.0000612345m),
            new(new DateOnly(2026, 12, 1), Currency.Of("GBP"), 123456789012.5m),
        ];
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        FxRateFile.Write(writer, rates);

        Assert.StartsWith("date,currency,rate\n2026-11-30,EUR,1.08\n2026-11-30,JPY,0.0067234512\n", writer.ToString(), StringComparison.Ordinal);
        Assert.Equal(rates, FxRateFile.Parse(writer.ToString(), Usd).Rows);
    }

    [Fact]
    public void A_full_file_of_the_largest_size_reads_in_one_go()
    {
        var body = new StringBuilder(H);
        var day = new DateOnly(2000, 1, 1);
        string[] codes = ["EUR", "JPY", "KWD", "GBP", "CHF", "CAD", "AUD", "SEK"];
        for (var i = 0; i < FxRateFile.MaxRows; i++)
        {
            body.Append(string.Create(CultureInfo.InvariantCulture, $"{day.AddDays(i / codes.Length):yyyy-MM-dd},{codes[i % codes.Length]},1.0000000001\n"));
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        var result = FxRateFile.Parse(bytes, Usd);

        Assert.True(bytes.Length <= FxRateFile.MaxBytes, "the byte limit holds the row limit");
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Take(3)));
        Assert.Equal(FxRateFile.MaxRows, result.Rows.Count);
    }
}
