using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Cli;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host;
using BacklogFunctions.Sample;
using BacklogFunctions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>The standalone program with a reporting currency (USD) on a real Azurite; the clock is fake.</summary>
public sealed class FxRateFixture : ProgramFixture
{
    public const string ReadKey = "read-key-fx-0123456789abcdef";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    protected override WebApplication Build(string connectionString) => BacklogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", connectionString,
            "--Webhook:Secrets:0", "whsec_fx_0123456789abcdef",
            "--ReadApi:Keys:0", ReadKey,
            "--Close:ReportingCurrency", "USD",
            "--Logging:LogLevel:Default", "Warning",
        ],
        builder => builder.Services.AddSingleton<TimeProvider>(Clock));

    public Task<HttpResponseMessage> PutAsync(string body, string contentType = "text/csv", bool withKey = true, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/fx-rates") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (withKey)
        {
            request.Headers.Add("x-functions-key", ReadKey);
        }

        return (client ?? Client).SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string query, bool withKey = true, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/fx-rates" + query);
        if (withKey)
        {
            request.Headers.Add("x-functions-key", ReadKey);
        }

        return (client ?? Client).SendAsync(request);
    }

    /// <summary>Every row of the rates table as partition/row/rate: to prove that a refused upload changed nothing.</summary>
    public async Task<List<string>> StoredRowsAsync()
    {
        var rows = new List<string>();
        await foreach (var row in Table(TableFxRateStore.Table).QueryAsync<TableEntity>())
        {
            rows.Add($"{row.PartitionKey}/{row.RowKey}/{row.GetString("Rate")}");
        }

        return rows;
    }
}

/// <summary>
/// FX rates through the API (consolidation.md, "Rates"): <c>PUT /api/fx-rates</c> stores a whole rate file or
/// nothing, append-only with its upload time; <c>GET /api/fx-rates</c> reads them back; the CLI does both.
/// </summary>
public sealed class FxRateTests(FxRateFixture app) : IClassFixture<FxRateFixture>
{
    private const string Header = "date,currency,rate\n";

    [Fact]
    public async Task An_upload_is_stored_whole_and_reads_back_with_its_upload_time()
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var uploadedAt = app.Clock.GetUtcNow();

        var put = await app.PutAsync(Header + "2025-01-30,EUR,1.0800\n2025-01-31,EUR,1.0825\n2025-01-31,JPY,0.0064123456\n2025-01-31,USD,1\n");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var answer = await Json.ReadAsync(put);
        Assert.Equal("USD", answer.GetProperty("reportingCurrency").GetString());
        Assert.Equal(4, answer.GetProperty("rates").GetInt32());
        Assert.Equal(["EUR", "JPY", "USD"], answer.GetProperty("currencies").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(("2025-01-30", "2025-01-31"), (answer.GetProperty("from").GetString(), answer.GetProperty("to").GetString()));
        Assert.Equal(uploadedAt, answer.GetProperty("uploadedAt").GetDateTimeOffset());

        var read = await Json.ReadAsync(await app.GetAsync("?from=2025-01-01&to=2025-01-31"));
        Assert.Equal("USD", read.GetProperty("reportingCurrency").GetString());
        Assert.Equal(
            [("2025-01-30", "EUR", "1.08"), ("2025-01-31", "EUR", "1.0825"), ("2025-01-31", "JPY", "0.0064123456"), ("2025-01-31", "USD", "1")],
            Rates(read).Select(r => (r.Date, r.Currency, r.Rate)));
        Assert.All(Rates(read), r => Assert.Equal(uploadedAt, r.UploadedAt));

        // One day, one currency; a range that holds nothing.
        Assert.Equal([("2025-01-31", "JPY", "0.0064123456")], Rates(await Json.ReadAsync(await app.GetAsync("?from=2025-01-31&to=2025-01-31&currency=JPY"))).Select(r => (r.Date, r.Currency, r.Rate)));
        Assert.Equal([("2025-01-30", "EUR", "1.08")], Rates(await Json.ReadAsync(await app.GetAsync("?from=2025-01-30&to=2025-01-30&currency=EUR"))).Select(r => (r.Date, r.Currency, r.Rate)));
        Assert.Empty(Rates(await Json.ReadAsync(await app.GetAsync("?from=2024-12-01&to=2024-12-31"))));

        // As stored: keys by reporting and rate currency, date and upload tick; the rate a string, never a number.
        var row = (await app.Table(TableFxRateStore.Table).GetEntityAsync<TableEntity>("USD-EUR", $"2025-01-31-{uploadedAt.UtcTicks:D19}")).Value;
        Assert.Equal("1.0825", row["Rate"]);
        Assert.Equal(uploadedAt, row.GetDateTimeOffset("UploadedAt"));
        Assert.Equal(("USD", "EUR", "2025-01-31"), (row.GetString("Reporting"), row.GetString("Currency"), row.GetString("Date")));
    }

    [Fact]
    public async Task A_bad_file_is_refused_line_by_line_and_nothing_of_it_is_stored()
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await app.PutAsync(Header + "2025-02-28,EUR,1.05\n")).StatusCode);
        var before = await app.StoredRowsAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var put = await app.PutAsync(Header + "2025-02-27,EUR,1.04\n2025-02-30,EUR,1.04\n2025-02-28,eur,1.06\n2025-02-28,JPY,-0.0064\n2025-02-28,KWD,3.25\n");

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(put);
        Assert.Equal("Invalid rate file", problem.GetProperty("title").GetString());
        Assert.Contains("3 problem(s); nothing was stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            [(3, "date"), (4, "currency"), (5, "rate")],
            problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("field").GetString())));
        Assert.Equal("'eur' must be upper case: EUR", problem.GetProperty("errors")[1].GetProperty("message").GetString());
        Assert.Equal(0, problem.GetProperty("moreErrors").GetInt32());

        Assert.Equal(before, await app.StoredRowsAsync());
        Assert.Equal([("2025-02-28", "EUR", "1.05")], Rates(await Json.ReadAsync(await app.GetAsync("?from=2025-02-01&to=2025-02-28"))).Select(r => (r.Date, r.Currency, r.Rate)));
    }

    [Fact]
    public async Task A_later_upload_of_the_same_date_and_currency_is_kept_beside_the_first_and_read_after_it()
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = app.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await app.PutAsync(Header + "2025-03-31,EUR,1.10\n2025-03-28,EUR,1.09\n")).StatusCode);
        app.Clock.Advance(TimeSpan.FromHours(3));
        var second = app.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await app.PutAsync(Header + "2025-03-31,EUR,1.1050\n")).StatusCode);

        var read = Rates(await Json.ReadAsync(await app.GetAsync("?from=2025-03-01&to=2025-03-31&currency=EUR")));

        Assert.Equal([("2025-03-28", "1.09", first), ("2025-03-31", "1.1", first), ("2025-03-31", "1.105", second)], read.Select(r => (r.Date, r.Rate, r.UploadedAt)));
        Assert.Equal(3, (await app.StoredRowsAsync()).Count(r => r.StartsWith("USD-EUR/2025-03-", StringComparison.Ordinal)));

        // In that order the later one is the rate a close uses.
        var rates = new FxRates(Currency.USD, read.Select(r => new FxRate(DateOnly.ParseExact(r.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture), Currency.Of(r.Currency), decimal.Parse(r.Rate, CultureInfo.InvariantCulture))));
        Assert.Equal(1.105m, rates.Closing(Currency.EUR, new DateOnly(2025, 3, 31))!.Value.Rate);
    }

    [Fact]
    public async Task The_same_rates_at_the_very_same_instant_are_a_conflict_not_a_server_error()
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        const string body = Header + "2025-10-31,EUR,1.16\n";
        Assert.Equal(HttpStatusCode.OK, (await app.PutAsync(body)).StatusCode);

        var again = await app.PutAsync(body);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("send the file again", (await Json.ReadAsync(again)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        app.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(HttpStatusCode.OK, (await app.PutAsync(body)).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
    }

    [Fact]
    public async Task Without_a_reporting_currency_both_routes_answer_409_and_say_which_setting()
    {
        await using var other = BacklogApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--Storage:ConnectionString", app.Azurite.ConnectionString,
                "--Webhook:Secrets:0", "whsec_fx_0123456789abcdef",
                "--ReadApi:Keys:0", FxRateFixture.ReadKey,
                "--Logging:LogLevel:Default", "Warning",
            ]);
        await other.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(other.Urls.Single()) };
        var before = await app.StoredRowsAsync();

        var put = await app.PutAsync(Header + "2025-11-28,EUR,1.05\n", client: client);
        var get = await app.GetAsync("?from=2025-01-01", client: client);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (put.StatusCode, get.StatusCode));
        Assert.Contains("set Close__ReportingCurrency", (await Json.ReadAsync(put)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("set Close__ReportingCurrency", (await Json.ReadAsync(get)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.StoredRowsAsync());
        await other.StopAsync();
    }

    [Fact]
    public async Task When_storage_is_down_both_routes_answer_503_and_the_upload_says_to_send_the_whole_file_again()
    {
        // Nothing listens on port 9; no retries, so the failure is immediate.
        var dead = app.Azurite.ConnectionString
            .Replace($":{app.Azurite.TablePort}/", ":9/", StringComparison.Ordinal)
            .Replace($":{app.Azurite.BlobPort}/", ":9/", StringComparison.Ordinal)
            .Replace($":{app.Azurite.QueuePort}/", ":9/", StringComparison.Ordinal);
        await using var down = BacklogApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--Storage:ConnectionString", dead,
                "--Storage:MaxRetries", "0",
                "--Webhook:Secrets:0", "whsec_fx_0123456789abcdef",
                "--ReadApi:Keys:0", FxRateFixture.ReadKey,
                "--Close:ReportingCurrency", "USD",
                "--Logging:LogLevel:Default", "None",
            ],
            builder => builder.Services.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>());
        await down.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(down.Urls.Single()) };

        var put = await app.PutAsync(Header + "2025-11-28,EUR,1.05\n", client: client);
        var get = await app.GetAsync("?from=2025-11-01", client: client);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (put.StatusCode, get.StatusCode));
        Assert.Contains("send the whole file again", (await Json.ReadAsync(put)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await down.StopAsync();
    }

    [Theory]
    [InlineData("?from=2025-13-01", "from")]
    [InlineData("?from=2025-01-01%00", "from")]
    [InlineData("?from=%202025-01-01", "from")]
    [InlineData("?to=20250101", "to")]
    [InlineData("?to=1999-12-31", "to")]
    [InlineData("?from=2025-02-01&to=2025-01-31", "to")]
    [InlineData("?currency=eur", "currency")]
    [InlineData("?currency=EUR%00", "currency")]
    [InlineData("?currency=XYZ", "currency")]
    [InlineData("?currency=EUR&currency=JPY", "currency")]
    public async Task Query_values_are_read_strictly(string query, string parameter)
    {
        var response = await app.GetAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await Json.ReadAsync(response)).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Without_a_key_with_another_content_type_or_beyond_the_limits_nothing_is_stored()
    {
        var before = await app.StoredRowsAsync();
        const string body = Header + "2025-12-31,EUR,1.04\n";

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PutAsync(body, withKey: false)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("?from=2025-01-01", withKey: false)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.PutAsync(body, "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.PutAsync(body, "text/plain")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.PutAsync(body, "text/csv; charset=iso-8859-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PutAsync(Header + "2025-12-30,EUR,1.04\n", "text/csv; charset=utf-8")).StatusCode);
        before = await app.StoredRowsAsync();

        // One row too many: 413, naming the limit.
        var rows = new StringBuilder(Header);
        for (var i = 0; i <= FxRateFile.MaxRows; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"{new DateOnly(2000, 1, 1).AddDays(i / 8):yyyy-MM-dd},{new[] { "EUR", "JPY", "KWD", "GBP", "CHF", "CAD", "AUD", "SEK" }[i % 8]},1.5\n");
        }

        var tooMany = await app.PutAsync(rows.ToString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        var problem = await Json.ReadAsync(tooMany);
        Assert.Equal((FxRateFile.MaxRows + 2, "file"), (problem.GetProperty("errors")[0].GetProperty("line").GetInt32(), problem.GetProperty("errors")[0].GetProperty("field").GetString()));
        Assert.Contains("at most 200,000 rates", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A body declared larger than the limit is refused before it is read.
        Assert.Contains("413", await RawPutAsync(FxRateFile.MaxBytes + 1), StringComparison.Ordinal);

        Assert.Equal(before, await app.StoredRowsAsync());
    }

    [Fact]
    public async Task The_cli_imports_the_sample_rate_file_lists_it_and_prints_every_problem_of_a_bad_one()
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var directory = Directory.CreateTempSubdirectory("fx-cli-").FullName;
        try
        {
            var spec = new SampleSpec(10, 3, 11, new Period(2025, 6));
            var sample = Path.Combine(directory, "fx-rates.csv");
            var generated = SampleFxRates.Generate(spec);
            using (var writer = new StreamWriter(sample))
            {
                FxRateFile.Write(writer, generated);
            }

            var import = await CliAsync("fx", "import", "--file", sample, "--url", app.Client.BaseAddress!.ToString());

            Assert.True(import.Exit == 0, import.Err);
            Assert.Equal(
                string.Create(CultureInfo.InvariantCulture, $"stored {generated.Count:N0} rates into USD (EUR, JPY, KWD) from 2025-05-01 to 2025-08-29, uploaded at {JsonSerializer.Serialize(app.Clock.GetUtcNow()).Trim('"')}\n"),
                import.Out.ReplaceLineEndings("\n"));
            var stored = Rates(await Json.ReadAsync(await app.GetAsync("?from=2025-05-01&to=2025-08-31")));
            Assert.Equal(
                generated.Select(r => (r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Currency.Code, FxRateFile.Format(r.Rate))).Order(),
                stored.Select(r => (r.Date, r.Currency, r.Rate)).Order());

            var list = await CliAsync("fx", "list", "--url", app.Client.BaseAddress!.ToString(), "--from", "2025-05-01", "--to", "2025-05-02", "--currency", "JPY");
            Assert.True(list.Exit == 0, list.Err);
            var lines = list.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("into USD", lines[0]);
            Assert.Equal(2 + 2, lines.Length);
            Assert.StartsWith($"2025-05-01  JPY       {FxRateFile.Format(generated.Single(r => r.Date == new DateOnly(2025, 5, 1) && r.Currency == Currency.JPY).Rate)}", lines[2], StringComparison.Ordinal);

            var bad = Path.Combine(directory, "bad.csv");
            await File.WriteAllTextAsync(bad, "date,currency,rate\r\n2025-05-30,EUR,1.1\r\n2025-05-29,EUR,1.1e0\r\n2025-05-31,usd,2\r\n");
            var refused = await CliAsync("fx", "import", "--file", bad, "--url", app.Client.BaseAddress!.ToString());
            Assert.Equal(FxCommand.Refused, refused.Exit);
            Assert.Equal(string.Empty, refused.Out);
            Assert.Equal(
                "line 3, rate: '1.1e0' has an exponent; write the digits out, such as 0.0000123\n" +
                "line 4, currency: 'usd' must be upper case: USD\n" +
                "2 problem(s) in the file; nothing was stored.\n",
                refused.Err.ReplaceLineEndings("\n"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<(string Date, string Currency, string Rate, DateTimeOffset UploadedAt)> Rates(JsonElement answer) =>
        [.. answer.GetProperty("rates").EnumerateArray().Select(r => (r.GetProperty("date").GetString()!, r.GetProperty("currency").GetString()!, r.GetProperty("rate").GetString()!, r.GetProperty("uploadedAt").GetDateTimeOffset()))];

    private Task<(int Exit, string Out, string Err)> CliAsync(params string[] args) => Task.Run(() =>
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = BacklogCommand.Run(args, stdout, stderr, () => Stream.Null, showProgress: false, name => name == PeriodsCommand.KeyVariable ? FxRateFixture.ReadKey : null, app.Clock);
        return (exit, stdout.ToString(), stderr.ToString());
    });

    /// <summary>A PUT whose headers declare <paramref name="contentLength"/> bytes, none of which are sent; the status line of the answer.</summary>
    private async Task<string> RawPutAsync(long contentLength)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, app.Client.BaseAddress!.Port);
        var stream = socket.GetStream();
        var headers = string.Create(CultureInfo.InvariantCulture, $"PUT /api/fx-rates HTTP/1.1\r\nHost: 127.0.0.1\r\nx-functions-key: {FxRateFixture.ReadKey}\r\nContent-Type: text/csv\r\nContent-Length: {contentLength}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        return Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
    }
}
