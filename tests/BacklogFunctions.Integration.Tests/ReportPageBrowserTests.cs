using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host.Reports;
using BacklogFunctions.Reports;
using BacklogFunctions.Sample;
using BacklogFunctions.Testing;
using Microsoft.Playwright;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The report page in a real browser: Playwright drives Debian's Chromium (headless, loopback only) through the
/// standalone program, which closed the months and rendered their reports from its queue by itself. Finance signs
/// in through the page's form; the browser reports no Content-Security-Policy violation.
/// </summary>
public sealed class ReportPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Key = "read-key-0123456789abcdef";

    [Fact]
    public async Task Finance_opens_the_page_sees_the_stored_figures_and_downloads_the_board_pack()
    {
        Assert.True(File.Exists(Chromium), "Chromium is installed by scripts/install-tools.sh --browser (Debian's chromium package)");
        await using var azurite = await AzuriteServer.StartAsync();
        var clock = TimeProvider.System;
        await using var app = ReportTests.Build(azurite.ConnectionString, clock, listen: true, "--Close:ReportingCurrency", "USD");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        client.DefaultRequestHeaders.Add("x-functions-key", Key);
        var last = Period.Of(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Previous;
        var spec = new SampleSpec(40, 6, 77, last.AddMonths(-5));
        using (var rates = new StringWriter(CultureInfo.InvariantCulture))
        {
            FxRateFile.Write(rates, SampleFxRates.Generate(spec));
            using var body = new StringContent(rates.ToString(), Encoding.UTF8);
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/fx-rates", body)).StatusCode);
        }

        await ReportTests.SendAsync(client, clock, SampleGenerator.ToNdjson(SampleGenerator.Generate(spec)));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/close", null)).StatusCode);

        // The standalone program renders every closed month from the report-requests queue.
        JsonElement? report = null;
        for (var attempt = 0; attempt < 600 && report is null; attempt++)
        {
            var response = await client.GetAsync($"/api/reports/{last}");
            report = response.IsSuccessStatusCode ? await Json.ReadAsync(response) : null;
            if (report is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(report);
        var snapshot = await Json.ReadAsync(await client.GetAsync($"/api/periods/{last}/snapshot"));
        var totals = snapshot.GetProperty("totals").EnumerateArray().ToList();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Add("pageerror: " + error);

        // The page without a session is the sign-in form; a wrong key answers it again with 401.
        var opened = await page.GotoAsync($"{app.Urls.Single()}/api/reports/page");
        Assert.Equal(200, opened?.Status);
        Assert.Equal("Backlog reports", await page.TitleAsync());
        Assert.Equal(0, await page.Locator("td[data-figure]").CountAsync());
        await page.Locator("input[name='key']").FillAsync("not-the-read-key-0123456789");
        var refused = await SubmitAsync(page, "form.sign-in button");
        Assert.Equal(401, refused?.Status);
        Assert.Contains("Sign-in failed", await page.Locator("p.error").InnerTextAsync(), StringComparison.Ordinal);

        // The read key typed into the form: the session cookie is HttpOnly, SameSite=Strict, for /api only.
        await page.Locator("input[name='key']").FillAsync(Key);
        var signedIn = await SubmitAsync(page, "form.sign-in button");
        Assert.Equal(200, signedIn?.Status);
        Assert.DoesNotContain(Key, page.Url, StringComparison.Ordinal);
        Assert.Equal($"{app.Urls.Single()}/api/reports/page", page.Url);
        var cookie = Assert.Single(await context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/api", cookie.Path);
        Assert.DoesNotContain(Key, cookie.Value, StringComparison.Ordinal);

        // The page's script and styles (files of this origin) ran and applied under the Content-Security-Policy.
        await Assertions.Expect(page.Locator("#expires")).ToHaveAttributeAsync("title", new Regex("minute\\(s\\) left"));
        await Assertions.Expect(page.Locator("h2").First).ToHaveCSSAsync("color", "rgb(29, 78, 216)");

        // The group figures come first: the consolidated backlog in USD as the close stored it.
        var group = snapshot.GetProperty("consolidated");
        var groupCell = page.Locator($"td[data-period='{last}'][data-group='USD'][data-figure='backlog']");
        Assert.Equal(FinanceFormat.Money(ReportTests.Amount(group, "backlog"), Currency.USD), (await groupCell.InnerTextAsync()).Trim());
        Assert.Equal("Group figures in USD", await page.Locator("h2").First.InnerTextAsync());

        foreach (var total in totals)
        {
            var currency = Currency.Of(total.GetProperty("currency").GetString()!);
            var cell = page.Locator($"td[data-period='{last}'][data-currency='{currency.Code}'][data-figure='backlog']");
            Assert.Equal(FinanceFormat.Money(ReportTests.Amount(total, "backlog"), currency), (await cell.InnerTextAsync()).Trim());
            Assert.Equal(1, await page.Locator($"svg.trend[data-currency='{currency.Code}'] polyline").CountAsync());
        }

        // The forward view of the latest closed month: the KPIs and the next 12 months as the close stored them.
        var lastDocument = await ReportTests.StoredDocumentAsync(app, last);
        await AssertForwardViewAsync(page, last, lastDocument);
        await AssertPlanAndAlertsAsync(page, last, lastDocument);

        var output = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser")).FullName;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "report-page.png"), FullPage = true });

        // Picking another month in the list shows its stored view (the page's script submits the picker).
        var picked = await NavigateAsync(page, () => page.Locator("#forward-month").SelectOptionAsync(last.Previous.ToString()));
        Assert.Equal(200, picked?.Status);
        Assert.Equal($"{app.Urls.Single()}/api/reports/page?month={last.Previous}#forward", page.Url);
        await AssertForwardViewAsync(page, last.Previous, await ReportTests.StoredDocumentAsync(app, last.Previous));

        // The board pack and the workbook download as published (the manifest's SHA-256).
        foreach (var file in new[] { BoardPack.FileName, Application.Reports.ReportRenderer.WorkbookFile })
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($"#reports tr[data-period='{last}'] a[data-file='{file}']").ClickAsync());
            var saved = Path.Combine(output, download.SuggestedFilename);
            await download.SaveAsAsync(saved);
            var expected = report.Value.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == file).GetProperty("sha256").GetString();
            Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(saved))));
            Assert.Equal($"backlog-{last}-v1-{file}", download.SuggestedFilename);
        }

        // "Render now" as the page's script sends it (the session cookie, the browser's same-origin signals).
        var rendered = await page.EvaluateAsync<int>("async path => (await fetch(path, { method: 'POST', credentials: 'same-origin' })).status", $"/api/reports/page/{last}/render");
        Assert.Equal(200, rendered);

        Assert.True(!console.Any(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)), "CSP violations: " + string.Join(" | ", console));
        Assert.True(!console.Any(m => m.StartsWith("error:", StringComparison.Ordinal) && !m.Contains("401", StringComparison.Ordinal)), "console errors: " + string.Join(" | ", console));

        // "Explain a contract": the page's form opens the contract's figures explained down to its events, as the version was closed.
        var contractId = (await Json.ReadAsync(await client.GetAsync($"/api/periods/{last}/journal?detail=contract"))).GetProperty("lines")[0].GetProperty("contractId").GetString()!;
        await NavigateAsync(page, () => page.GotoAsync($"{app.Urls.Single()}/api/reports/page"));
        await page.Locator("#explain-month").SelectOptionAsync(last.ToString());
        await page.Locator("#explain-contract").FillAsync(contractId);
        var explained = await SubmitAsync(page, "form.explain button");
        Assert.Equal(200, explained?.Status);
        var explanation = await page.Locator("body").InnerTextAsync();
        Assert.StartsWith($"{last} version 1, closed", explanation, StringComparison.Ordinal);
        Assert.Contains("adds up to the stored contract row", explanation, StringComparison.Ordinal);
        Assert.Contains(contractId, explanation, StringComparison.Ordinal);
        await NavigateAsync(page, () => page.GotoAsync($"{app.Urls.Single()}/api/reports/page"));

        // The check can fail: an inline script is refused by the policy, and the browser reports it.
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; document.body.appendChild(s); }");
        await page.WaitForTimeoutAsync(200);
        Assert.False(await page.EvaluateAsync<bool>("() => window.inlineRan === true"));
        Assert.Contains(console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));

        // Signing out ends the session in the browser: the form again.
        Assert.Equal(200, (await SubmitAsync(page, "#sign-out"))?.Status);
        await Assertions.Expect(page.Locator("form.sign-in")).ToHaveCountAsync(1);
        Assert.Empty(await context.CookiesAsync());
        await context.CloseAsync();
        await app.StopAsync();
    }

    /// <summary>Submits a form by clicking; answers the response the browser ends on (after a 303, the page it was sent to).</summary>
    private static Task<IResponse> SubmitAsync(IPage page, string button) => NavigateAsync(page, () => page.Locator(button).ClickAsync());

    /// <summary>
    /// Runs what starts a navigation of the page; answers its final response once the browser has committed to the
    /// new document (the main frame navigated, also when the URL stays the same, as after signing out). Not the load
    /// event, which waits for every resource of the page: what follows waits for what it looks at itself
    /// (locators and web-first assertions retry).
    /// </summary>
    private static async Task<IResponse> NavigateAsync(IPage page, Func<Task> action)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Navigated(object? sender, IFrame frame)
        {
            if (frame == page.MainFrame)
            {
                committed.TrySetResult();
            }
        }

        page.FrameNavigated += Navigated;
        try
        {
            var response = await page.RunAndWaitForResponseAsync(action, r => r.Request.IsNavigationRequest && r.Request.Frame == page.MainFrame && r.Status != 303);
            await committed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return response;
        }
        finally
        {
            page.FrameNavigated -= Navigated;
        }
    }

    /// <summary>The forward view of <paramref name="period"/> shows the document's KPIs, the next 12 months of its forecasts and its aging.</summary>
    /// <summary>
    /// "Plan and alerts" of the month shown: no targets were uploaded, so it says so; every stored alert check is
    /// on the page — the fired ones in their table, critical first, the others folded with their notes until opened.
    /// </summary>
    private static async Task AssertPlanAndAlertsAsync(IPage page, Period period, SnapshotDocument document)
    {
        var section = page.Locator($"section#plan[data-period='{period}']");
        await Assertions.Expect(section).ToBeVisibleAsync();
        await Assertions.Expect(section.Locator("h2")).ToContainTextAsync("Plan and alerts");
        Assert.Null(document.Targets);
        await Assertions.Expect(section.Locator("#no-targets")).ToBeVisibleAsync();

        var alerts = Assert.IsAssignableFrom<IReadOnlyList<AlertDocument>>(document.Alerts);
        Assert.NotEmpty(alerts);
        var fired = alerts.Where(a => a.Fired).ToList();
        var quiet = alerts.Where(a => !a.Fired).ToList();
        Assert.Equal(fired.Count, await section.Locator("#alerts-fired tbody tr").CountAsync());
        if (fired.Count == 0)
        {
            await Assertions.Expect(section.Locator("#no-alerts")).ToBeVisibleAsync();
        }
        else
        {
            var severities = await section.Locator("#alerts-fired tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.severity)");
            Assert.Equal([.. fired.OrderBy(a => a.Severity == "critical" ? 0 : 1).Select(a => a.Severity)], severities);
            var first = section.Locator("#alerts-fired tbody tr").First;
            Assert.Equal(fired.OrderBy(a => a.Severity == "critical" ? 0 : 1).First().Actual, (await first.Locator("td[data-column='actual']").InnerTextAsync()).Trim());
        }

        var folded = section.Locator("#alerts-not-fired");
        Assert.Equal(quiet.Count, await folded.Locator("tbody tr").CountAsync());
        if (quiet.Count > 0)
        {
            await Assertions.Expect(folded.Locator("tbody tr").First).Not.ToBeVisibleAsync();
            await folded.Locator("summary").ClickAsync();
            await Assertions.Expect(folded.Locator("tbody tr").First).ToBeVisibleAsync();
            await Assertions.Expect(folded).ToContainTextAsync(quiet[0].Note);
        }
    }

    private static async Task AssertForwardViewAsync(IPage page, Period period, SnapshotDocument document)
    {
        await Assertions.Expect(page.Locator("#forward-period")).ToHaveAttributeAsync("data-period", period.ToString());
        Assert.NotNull(document.Forecasts);
        foreach (var totals in document.Totals)
        {
            var currency = Currency.Of(totals.Currency);
            var section = page.Locator($"section.forward[data-period='{period}'][data-currency='{currency.Code}']");
            await Assertions.Expect(section).ToBeVisibleAsync();
            foreach (var (kpi, stored, shown) in new[]
            {
                ("bookToBill", totals.BookToBill, FinanceFormat.Ratio(FigureColumns.ParseRatio(totals.BookToBill))),
                ("backlogConversion", totals.BacklogConversion, FinanceFormat.Percent(FigureColumns.ParseRatio(totals.BacklogConversion))),
                ("cancellationRate", totals.CancellationRate, FinanceFormat.Percent(FigureColumns.ParseRatio(totals.CancellationRate))),
                ("grr", totals.Grr, FinanceFormat.Percent(FigureColumns.ParseRatio(totals.Grr))),
                ("nrr", totals.Nrr, FinanceFormat.Percent(FigureColumns.ParseRatio(totals.Nrr))),
            })
            {
                var cell = section.Locator($"td[data-kpi='{kpi}']");
                Assert.Equal(stored, await cell.GetAttributeAsync("data-value"));
                Assert.Equal(shown, (await cell.InnerTextAsync()).Trim());
            }

            Assert.Equal(totals.LeadTimeDays, await section.Locator("td[data-kpi='leadTimeDays']").GetAttributeAsync("data-value"));
            foreach (var figure in new[] { "arr", "receivablesCurrent", "receivablesDays1To30", "receivablesDays31To60", "receivablesDays61To90", "receivablesOver90", "unappliedCredits", "receivables" })
            {
                await AssertMoneyAsync(section.Locator($"td[data-figure='{figure}']"), totals.Figures[figure]!, currency);
            }

            var line = document.Forecasts!.Single(f => f.ContractId is null && f.Currency == totals.Currency);
            Assert.Equal(ForwardView.Months, await section.Locator("tr[data-month]").CountAsync());
            for (var i = 0; i < ForwardView.Months; i++)
            {
                var row = section.Locator($"tr[data-month='{period.AddMonths(i + 1)}']");
                await AssertMoneyAsync(row.Locator("td[data-series='revenue']"), line.RevenueWaterfall[i].Amount, currency);
                await AssertMoneyAsync(row.Locator("td[data-series='billings']"), line.BillingsForecast[i].Amount, currency);
                await AssertMoneyAsync(row.Locator("td[data-series='collections']"), line.CollectionsForecast[i].Amount, currency);
            }

            await AssertMoneyAsync(section.Locator("tr[data-row='overdue'] td[data-series='billings']"), line.OverdueBilling, currency);
            await AssertMoneyAsync(section.Locator("tr[data-row='unscheduled'] td[data-series='billings']"), line.UnscheduledBilling, currency);
            await AssertMoneyAsync(section.Locator("tr[data-row='later'] td[data-series='revenue']"), line.RevenueLater, currency);
        }
    }

    /// <summary>A cell of stored money: the stored text in <c>data-value</c>, shown as finance reads it.</summary>
    private static async Task AssertMoneyAsync(ILocator cell, string stored, Currency currency)
    {
        Assert.Equal(stored, await cell.GetAttributeAsync("data-value"));
        Assert.Equal(FinanceFormat.Money(StoredMoney.Parse(stored), currency), (await cell.InnerTextAsync()).Trim());
    }
}
