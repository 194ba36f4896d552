using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Host.Reports;
using BacklogFunctions.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The forward view over real HTTP: the report page shows, for the latest closed month or the one picked, the KPIs
/// and the next twelve months exactly as the close stored them, and <c>GET /api/periods/{period}/forecast</c>
/// answers the stored forecasts; a document written before the forward view still renders.
/// </summary>
public sealed partial class ReportTests
{
    /// <summary>What documents written before the forward view lack in their totals.</summary>
    private static readonly string[] ForwardMembers =
    [
        "bookToBill", "backlogConversion", "cancellationRate", "leadTimeDays", "grr", "nrr", "notYetBilled", "billedNotEarned",
        "receivables", "unappliedCredits", "receivablesAging", "overdueBilling", "forecastBilling", "unscheduledBilling",
        "overdueBacklog", "arr", "arrYearEarlier", "completionRevenue", "completionRevenueDays",
    ];

    [Fact]
    public async Task The_page_and_the_forecast_api_show_the_stored_kpis_and_next_twelve_months_of_a_closed_month()
    {
        using var browser = Browser();
        var cookie = await SignInAsync(browser);
        var latest = await StoredDocumentAsync(_app, _last);
        using var page = await browser.SendAsync(Page(HttpMethod.Get, "/api/reports/page", cookie));
        var html = await page.Content.ReadAsStringAsync();
        AssertSecurityHeaders(page, html);
        AssertForwardView(html, _last, latest);

        // Another closed month when picked; a month that is not closed, or not a month, shows the latest and is not echoed.
        var previous = await StoredDocumentAsync(_app, _last.Previous);
        AssertForwardView(await PageHtmlAsync(browser, cookie, $"/api/reports/page?month={_last.Previous}"), _last.Previous, previous);
        foreach (var month in new[] { _last.Next.ToString(), "<b>2026-01</b>" })
        {
            var other = await PageHtmlAsync(browser, cookie, "/api/reports/page?month=" + Uri.EscapeDataString(month));
            Assert.Contains($"<span id=\"forward-period\" data-period=\"{_last}\">", other, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>", other, StringComparison.Ordinal);
        }

        // The stored forecasts as JSON (the shape of `backlog forecast --format json`, totals only), with a read key.
        var answer = await GetAsync($"/api/periods/{_last}/forecast");
        Assert.Equal(latest.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), answer.GetProperty("asOf").GetString());
        Assert.Empty(answer.GetProperty("contracts").EnumerateArray());
        var served = answer.GetProperty("totals").EnumerateArray().ToList();
        Assert.Equal(latest.Totals.Select(t => t.Currency).Order(StringComparer.Ordinal), served.Select(t => t.GetProperty("currency").GetString()).Order(StringComparer.Ordinal));
        foreach (var total in served)
        {
            var line = latest.Forecasts!.Single(f => f.ContractId is null && f.Currency == total.GetProperty("currency").GetString());
            Assert.Equal(line.OverdueBilling, total.GetProperty("overdueBilling").GetString());
            Assert.Equal(line.UnscheduledBilling, total.GetProperty("unscheduledBilling").GetString());
            Assert.Equal(line.RevenueLater, total.GetProperty("revenueLater").GetString());
            foreach (var (member, months) in new[] { ("billingsForecast", line.BillingsForecast), ("collectionsForecast", line.CollectionsForecast), ("revenueWaterfall", line.RevenueWaterfall) })
            {
                Assert.Equal(
                    months.Select(m => (m.Month, m.Amount)),
                    total.GetProperty(member).EnumerateArray().Select(m => (m.GetProperty("month").GetString()!, m.GetProperty("amount").GetString()!)));
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/periods/{_last.Next}/forecast")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/periods/2026-13/forecast")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync($"/api/periods/{_last}/forecast")).StatusCode);

        // A document stored before the forward view: its KPIs read "n/a", the next twelve months and the aging are left out.
        var closed = (await _app.Services.GetRequiredService<ISnapshotQueries>().FindClosedAsync(_last, default))!;
        var older = new StringBuilder();
        ForwardView.Append(older, [closed], closed, WithoutForwardView(latest));
        var text = older.ToString();
        foreach (var kpi in new[] { "bookToBill", "backlogConversion", "cancellationRate", "leadTimeDays", "grr", "nrr" })
        {
            Assert.Contains($"<td data-kpi=\"{kpi}\">n/a</td>", text, StringComparison.Ordinal);
        }

        Assert.Contains("<td data-figure=\"arr\">n/a</td>", text, StringComparison.Ordinal);
        Assert.Contains("next-months-missing", text, StringComparison.Ordinal);
        Assert.DoesNotContain("data-month=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure=\"receivables\"", text, StringComparison.Ordinal);
    }

    /// <summary>The snapshot document the close stored for the latest version of <paramref name="period"/>.</summary>
    internal static async Task<SnapshotDocument> StoredDocumentAsync(WebApplication app, Period period)
    {
        var snapshots = app.Services.GetRequiredService<ISnapshotQueries>();
        var closed = await snapshots.FindClosedAsync(period, default) ?? throw new InvalidOperationException($"{period} is not closed");
        var stored = await snapshots.ReadSnapshotDocumentAsync(period, closed.Version, default) ?? throw new InvalidOperationException($"{period} has no document");
        return stored.Document;
    }

    /// <summary>The forward view of <paramref name="period"/> on the page holds the document's KPIs, forecasts and aging, cell by cell.</summary>
    private static void AssertForwardView(string html, Period period, SnapshotDocument document)
    {
        Assert.Contains($"<span id=\"forward-period\" data-period=\"{period}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{period}\" selected>", html, StringComparison.Ordinal);
        Assert.NotNull(document.Forecasts);
        foreach (var totals in document.Totals)
        {
            var currency = Currency.Of(totals.Currency);
            var section = Section(html, period, currency);
            Assert.Contains(Kpi("bookToBill", totals.BookToBill!, FinanceFormat.Ratio), section, StringComparison.Ordinal);
            Assert.Contains(Kpi("backlogConversion", totals.BacklogConversion!, FinanceFormat.Percent), section, StringComparison.Ordinal);
            Assert.Contains(Kpi("cancellationRate", totals.CancellationRate!, FinanceFormat.Percent), section, StringComparison.Ordinal);
            Assert.Contains(Kpi("leadTimeDays", totals.LeadTimeDays!, d => d is { } days ? days.ToString("N1", System.Globalization.CultureInfo.InvariantCulture) : "n/a"), section, StringComparison.Ordinal);
            Assert.Contains(Kpi("grr", totals.Grr!, FinanceFormat.Percent), section, StringComparison.Ordinal);
            Assert.Contains(Kpi("nrr", totals.Nrr!, FinanceFormat.Percent), section, StringComparison.Ordinal);
            foreach (var figure in new[] { "arr", "notYetBilled", "billedNotEarned", "overdueBacklog", "receivablesCurrent", "receivablesDays1To30", "receivablesDays31To60", "receivablesDays61To90", "receivablesOver90", "unappliedCredits", "receivables" })
            {
                Assert.Contains(Cell("figure", figure, totals.Figures[figure]!, currency), section, StringComparison.Ordinal);
            }

            var line = document.Forecasts!.Single(f => f.ContractId is null && f.Currency == totals.Currency);
            Assert.Equal(ForwardView.Months, section.Split("<tr data-month=").Length - 1);
            for (var i = 0; i < ForwardView.Months; i++)
            {
                var month = period.AddMonths(i + 1);
                Assert.Equal(month.ToString(), line.RevenueWaterfall[i].Month);
                Assert.Contains(
                    $"<tr data-month=\"{month}\"><td class=\"text\">{FinanceFormat.Month(month)}</td>{Cell("series", "revenue", line.RevenueWaterfall[i].Amount, currency)}{Cell("series", "billings", line.BillingsForecast[i].Amount, currency)}{Cell("series", "collections", line.CollectionsForecast[i].Amount, currency)}</tr>",
                    section,
                    StringComparison.Ordinal);
            }

            Assert.Contains($"<tr data-row=\"overdue\"><td class=\"text\">Overdue</td><td></td>{Cell("series", "billings", line.OverdueBilling, currency)}{Cell("series", "collections", line.CollectionsOverdue, currency)}</tr>", section, StringComparison.Ordinal);
            Assert.Contains($"<tr data-row=\"later\"><td class=\"text\">Later</td>{Cell("series", "revenue", line.RevenueLater, currency)}{Cell("series", "billings", line.BillingsLater, currency)}{Cell("series", "collections", line.CollectionsLater, currency)}</tr>", section, StringComparison.Ordinal);
            Assert.Contains($"<tr data-row=\"unscheduled\"><td class=\"text\">Unscheduled</td><td></td>{Cell("series", "billings", line.UnscheduledBilling, currency)}<td></td></tr>", section, StringComparison.Ordinal);

            // The totals tie to the stored backlog (revenue) and not yet billed (billings).
            Assert.Contains($"<tr data-row=\"total\"><td class=\"text\">Total</td>{Cell("series", "revenue", totals.Figures["backlog"]!, currency)}{Cell("series", "billings", totals.Figures["notYetBilled"]!, currency)}", section, StringComparison.Ordinal);
        }
    }

    private static string Section(string html, Period period, Currency currency)
    {
        var start = html.IndexOf($"<section class=\"forward\" data-period=\"{period}\" data-currency=\"{currency.Code}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no forward view of {period} {currency.Code}");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private static string Kpi(string name, string stored, Func<decimal?, string> show) =>
        $"<td data-kpi=\"{name}\" data-value=\"{stored}\">{HtmlEncoder.Default.Encode(show(FigureColumns.ParseRatio(stored)))}</td>";

    private static string Cell(string kind, string name, string stored, Currency currency) =>
        $"<td data-{kind}=\"{name}\" data-value=\"{stored}\">{FinanceFormat.Money(StoredMoney.Parse(stored), currency)}</td>";

    private static async Task<string> PageHtmlAsync(HttpClient browser, string cookie, string path)
    {
        using var response = await browser.SendAsync(Page(HttpMethod.Get, path, cookie));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The document as a close before the forward view wrote it: no KPIs, forward figures, forecasts or overdue deliveries.</summary>
    private static SnapshotDocument WithoutForwardView(SnapshotDocument document)
    {
        var json = JsonNode.Parse(SnapshotJson.Write(document))!.AsObject();
        json.Remove("forecasts");
        json.Remove("overdueDeliveries");
        foreach (var totals in json["totals"]!.AsArray())
        {
            foreach (var member in ForwardMembers)
            {
                Assert.True(totals!.AsObject().Remove(member), member);
            }
        }

        return SnapshotJson.ReadSnapshot(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }
}
