using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host;
using BacklogFunctions.Reports;
using BacklogFunctions.Sample;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UglyToad.PdfPig;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Reports end to end on Azurite over real HTTP: the <c>RenderReport</c> function renders a closed month, the
/// API hands out read-only links that a plain HTTP client downloads, and the files agree with the stored snapshot.
/// </summary>
public sealed partial class ReportTests : IAsyncLifetime
{
    private const string Secret = "whsec_reports_0123456789abcdef";
    private const string Key = "read-key-0123456789abcdef";

    // Azurite checks link expiry against the real clock: the test clock starts 20 minutes behind it.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow.AddMinutes(-20));
    private AzuriteServer _azurite = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private Period _last;

    private SampleSpec Spec => new(60, 14, 21, _last.AddMonths(-13));

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        _app = Build(_azurite.ConnectionString, _clock, listen: false);
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
        _client.DefaultRequestHeaders.Add("x-functions-key", Key);
        _last = Period.Of(DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime)).Previous;
        await SendAsync(_client, _clock, SampleGenerator.ToNdjson(SampleGenerator.Generate(Spec)));
        var closed = await _client.PostAsync("/api/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        try
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        finally
        {
            await _azurite.DisposeAsync();
        }
    }

    [Fact]
    public async Task RenderReport_publishes_the_pack_and_csv_files_whose_figures_are_the_stored_snapshots()
    {
        var answer = await InvokeRenderReportAsync($$"""{"period":"{{_last}}","version":1}""");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var envelope = await Json.ReadAsync(answer);
        Assert.Equal(JsonValueKind.Null, envelope.GetProperty("ReturnValue").ValueKind);
        Assert.StartsWith($"rendered {_last} v1", envelope.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);

        var list = await GetAsync("/api/reports");
        Assert.Contains(list.GetProperty("reports").EnumerateArray(), r => r.GetProperty("period").GetString() == _last.ToString() && r.GetProperty("latest").GetInt32() == 1);

        _clock.Advance(TimeSpan.FromMinutes(20));
        var report = await GetAsync($"/api/reports/{_last}");
        var snapshot = await GetAsync($"/api/periods/{_last}/snapshot");
        using var anonymous = new HttpClient();
        var files = new Dictionary<string, byte[]>();
        foreach (var file in report.GetProperty("files").EnumerateArray())
        {
            var bytes = await anonymous.GetByteArrayAsync(file.GetProperty("url").GetString());
            Assert.Equal(file.GetProperty("bytes").GetInt64(), bytes.Length);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            files[file.GetProperty("name").GetString()!] = bytes;
        }

        Assert.Equal([BoardPack.FileName, Workbook.FileName, ReportCsv.ContractsFile, ReportCsv.RollForwardsFile, ReportCsv.SegmentsFile, ReportCsv.RpoFile, ReportCsv.ForecastFile, ReportCsv.ReceivablesFile, ReportCsv.OverdueFile, ReportCsv.ConsolidatedFile, ReportCsv.TargetsFile, ReportCsv.AlertsFile, ReportCsv.JournalFile, ReportCsv.JournalDetailFile], files.Keys);
        Assert.Equal(ReportRenderer.WorkbookContentType, report.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == Workbook.FileName).GetProperty("contentType").GetString());
        using (var workbook = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(files[Workbook.FileName]), isEditable: false))
        {
            Assert.Equal(Workbook.SummarySheet, workbook.WorkbookPart!.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().First().Name?.Value);
        }

        var expires = report.GetProperty("linksExpireAt").GetDateTimeOffset();
        Assert.InRange(expires - _clock.GetUtcNow(), TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));

        // The pack's first page and the contract detail both carry the stored totals.
        using var pdf = PdfDocument.Open(files[BoardPack.FileName]);
        var firstPage = pdf.GetPage(1).GetWords().Select(w => w.Text).ToList();
        var csvTotals = CsvTotals.OfContracts(files[ReportCsv.ContractsFile]);
        foreach (var total in snapshot.GetProperty("totals").EnumerateArray())
        {
            var currency = Currency.Of(total.GetProperty("currency").GetString()!);
            Assert.Contains(FinanceFormat.Money(Amount(total, "backlog"), currency), firstPage);
            Assert.Contains(FinanceFormat.Money(Amount(total, "deferredRevenue"), currency), firstPage);
            foreach (var column in FigureColumns.All)
            {
                // A figure of a group (the receivables aging) is a member of its object in JSON, a column of its own in CSV.
                var holder = column.Group is { } group ? total.GetProperty(group) : total;
                Assert.Equal(Amount(holder, column.Member ?? column.Name), csvTotals[currency.Code][column.Name]);
            }
        }

        // Rendering again gives the same files.
        var again = await Json.ReadAsync(await _client.PostAsync($"/api/reports/{_last}/render", null));
        Assert.Equal(
            report.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("sha256").GetString()),
            again.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("sha256").GetString()));
    }

    [Fact]
    public async Task Download_links_read_one_file_only_cannot_write_and_stop_working_when_they_expire()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/reports/{_last}/render", null)).StatusCode);
        using var anonymous = new HttpClient();

        // Links made by a clock 20 minutes behind expired five minutes ago.
        var stale = await GetAsync($"/api/reports/{_last}");
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(Url(stale, BoardPack.FileName))).StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(20));
        var fresh = await GetAsync($"/api/reports/{_last}");
        var pdf = Url(fresh, BoardPack.FileName);
        var ok = await anonymous.GetAsync(pdf);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("application/pdf", ok.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", ok.Content.Headers.ContentDisposition?.ToString() ?? string.Empty, StringComparison.Ordinal);

        // The signature covers one blob: another path with it is refused.
        var other = new UriBuilder(pdf);
        other.Path = other.Path.Replace(BoardPack.FileName, ReportCsv.ContractsFile, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(other.Uri)).StatusCode);
        var manifest = new UriBuilder(pdf);
        manifest.Path = manifest.Path.Replace(BoardPack.FileName, ReportManifest.FileName, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(manifest.Uri)).StatusCode);

        // Read only: overwriting or deleting the file with the link is refused, and the file is unchanged.
        var before = await anonymous.GetByteArrayAsync(pdf);
        using var put = new HttpRequestMessage(HttpMethod.Put, pdf) { Content = new ByteArrayContent("%PDF forged"u8.ToArray()) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.DeleteAsync(pdf)).StatusCode);
        Assert.Equal(before, await anonymous.GetByteArrayAsync(pdf));

        // Without a read key there is no link at all.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(_client.BaseAddress!, $"/api/reports/{_last}"))).StatusCode);
    }

    [Fact]
    public async Task A_request_for_no_closed_version_fails_the_invocation_and_publishes_nothing()
    {
        foreach (var item in new[] { """{"period":"2019-01","version":1}""", $$"""{"period":"{{_last}}","version":7}""", "not json", """{"period":"2026-13","version":1}""" })
        {
            var answer = await InvokeRenderReportAsync(item);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        }

        Assert.Empty((await GetAsync("/api/reports")).GetProperty("reports").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/reports/{_last}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/reports/2019-01/render", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/reports/October")).StatusCode);
    }

    [Fact]
    public async Task The_report_page_lists_every_closed_month_with_its_stored_figures_once_signed_in()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/reports/{_last}/render", null)).StatusCode);
        using var browser = Browser();
        var cookie = await SignInAsync(browser);

        using var response = await browser.SendAsync(Page(HttpMethod.Get, "/api/reports/page", cookie));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);

        var periods = await GetAsync("/api/periods");
        foreach (var period in periods.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("period").GetString()))
        {
            var snapshot = await GetAsync($"/api/periods/{period}/snapshot");
            foreach (var total in snapshot.GetProperty("totals").EnumerateArray())
            {
                var currency = Currency.Of(total.GetProperty("currency").GetString()!);
                Assert.Contains($"data-period=\"{period}\" data-currency=\"{currency.Code}\" data-figure=\"backlog\">{FinanceFormat.Money(Amount(total, "backlog"), currency)}<", html, StringComparison.Ordinal);
            }
        }

        Assert.Contains($"data-file=\"{BoardPack.FileName}\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-file=\"{Workbook.FileName}\"", html, StringComparison.Ordinal);
        Assert.Contains(">Workbook (Excel)</a>", html, StringComparison.Ordinal);
        Assert.Contains("not rendered yet", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restated_month_gets_a_report_of_its_new_version_and_the_page_lists_what_changed()
    {
        var month = _last.Previous;
        var contract = SampleGenerator.Generate(Spec).OfType<Domain.Events.ContractSigned>().First(s => s.Currency == Currency.USD && Period.Of(s.SignedDate) < month);
        var issued = month.LastDay.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await SendAsync(_client, _clock, [$$$"""{"id":"late-report-1","type":"invoice.issued","source":"billing-late","occurredAt":"{{{issued}}}T09:00:00Z","contractId":"{{{contract.ContractId}}}","data":{"invoiceId":"INV-LATE-R","issueDate":"{{{issued}}}","amount":"777.00"}}"""]);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/periods/{month}/restate", null)).StatusCode);

        var rendered = await Json.ReadAsync(await _client.PostAsync($"/api/reports/{month}/render", null));
        Assert.Equal(2, rendered.GetProperty("version").GetInt32());
        Assert.Equal(2, (await GetAsync($"/api/reports/{month}")).GetProperty("version").GetInt32());
        var first = await Json.ReadAsync(await _client.PostAsync($"/api/reports/{month}/render?version=1", null));
        Assert.NotEqual(first.GetProperty("snapshotSha256").GetString(), rendered.GetProperty("snapshotSha256").GetString());

        using var browser = Browser();
        var html = await (await browser.SendAsync(Page(HttpMethod.Get, "/api/reports/page", await SignInAsync(browser)))).Content.ReadAsStringAsync();
        Assert.Contains("v2 (restated 1 time(s))", html, StringComparison.Ordinal);
        var before = Amount((await GetAsync($"/api/periods/{month}/snapshot?version=1&contract={contract.ContractId}")).GetProperty("figures"), "billedToDate");
        var after = Amount((await GetAsync($"/api/periods/{month}/snapshot?version=2&contract={contract.ContractId}")).GetProperty("figures"), "billedToDate");
        Assert.Equal(777.00m, after - before);
        // Each changed contract links to its explanation of the new version, which the page session opens.
        var link = $"/api/reports/page/explain?month={month}&amp;contract={contract.ContractId}&amp;version=2";
        Assert.Contains(
            $"<td class=\"text\"><a class=\"explain\" data-contract=\"{contract.ContractId}\" href=\"{link}\">{contract.ContractId}</a></td><td class=\"text\">billedToDate</td><td>{FinanceFormat.Money(before, Currency.USD)}</td><td>{FinanceFormat.Money(after, Currency.USD)}</td>",
            html,
            StringComparison.Ordinal);
        var explained = await browser.SendAsync(Page(HttpMethod.Get, link.Replace("&amp;", "&", StringComparison.Ordinal), await SignInAsync(browser)));
        Assert.Equal(HttpStatusCode.OK, explained.StatusCode);
        Assert.StartsWith($"{month} version 2, closed", await explained.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Browser().SendAsync(new HttpRequestMessage(HttpMethod.Get, link.Replace("&amp;", "&", StringComparison.Ordinal)))).StatusCode);
    }

    internal static WebApplication Build(string connectionString, TimeProvider clock, bool listen, params string[] more) => BacklogApp.Build(
        [
            .. more,
            "--FUNCTIONS_CUSTOMHANDLER_PORT", "0",
            "--Storage:ConnectionString", connectionString,
            "--Storage:ListenToQueue", listen ? "true" : "false",
            "--Webhook:Secrets:0", Secret,
            "--Webhook:MaxBatchBytes", "16777216",
            "--Webhook:MaxBatchEvents", "5000",
            "--ReadApi:Keys:0", Key,
            "--Logging:LogLevel:Default", "Warning",
        ],
        builder => builder.Services.AddSingleton(clock));

    internal static async Task SendAsync(HttpClient client, TimeProvider clock, IEnumerable<string> lines)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events:batch") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static decimal Amount(JsonElement total, string name) =>
        decimal.Parse(total.GetProperty(name).GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static Uri Url(JsonElement report, string name) =>
        new(report.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name).GetProperty("url").GetString()!);

    private async Task<HttpResponseMessage> InvokeRenderReportAsync(string item)
    {
        var fixture = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "..", "shared", "fixtures", "functions-host", "queue.json"));
        var envelope = JsonEdit.Set(JsonEdit.Set(fixture, "Data.item", JsonSerializer.Serialize(item)), "Metadata.sys.MethodName", "\"RenderReport\"");
        return await _client.PostAsync("/RenderReport", new StringContent(envelope, Encoding.UTF8, "application/json"));
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }
}
