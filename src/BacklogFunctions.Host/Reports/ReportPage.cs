using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BacklogFunctions.Application.Reports;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;
using BacklogFunctions.Reports;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Reports;

/// <summary>
/// The report page: the group figures in the reporting currency (when the months have them), every closed month
/// with its headline figures per currency and a backlog trend line, the
/// downloads of each published report (short-lived links straight to storage), and each month's versions with
/// what a restatement changed. Server-rendered HTML; its styles and few lines of JavaScript are separate resources
/// of this origin (<c>page.css</c>, <c>page.js</c>), so the Content-Security-Policy allows nothing inline; no CDN.
/// </summary>
public sealed class ReportPage(ISnapshotQueries snapshots, IReportStore reports, IOptions<ReportsOptions> options, TimeProvider clock)
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private static readonly (string Name, string Label, Func<Figures, decimal> Value)[] Headlines =
    [
        ("backlog", "Backlog", f => f.Backlog),
        ("deferredRevenue", "Deferred revenue", f => f.DeferredRevenue),
        ("revenue", "Revenue", f => f.Revenue),
        ("bookings", "Bookings", f => f.Bookings),
    ];

    /// <summary>The page; the forward view shows <paramref name="month"/> when it is a closed month, else the latest.</summary>
    internal async Task<string> RenderAsync(PageAccess access, string? month, CancellationToken cancellationToken)
    {
        var closed = await snapshots.ListClosedAsync(cancellationToken).ConfigureAwait(false);
        var published = (await reports.ListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet();
        var documents = new List<(ClosedPeriod Closed, Snapshot Snapshot)>();
        var stored = new Dictionary<Period, SnapshotDocument>();
        foreach (var period in closed)
        {
            if (await snapshots.ReadSnapshotDocumentAsync(period.Period, period.Version, cancellationToken).ConfigureAwait(false) is { } document)
            {
                documents.Add((period, document.Document.ToSnapshot()));
                stored[period.Period] = document.Document;
            }
        }

        var lifetime = TimeSpan.FromMinutes(options.Value.LinkMinutes);
        var page = new StringBuilder();
        page.Append(Head);
        page.Append("<header class=\"bar\"><h1>Backlog reports</h1>");
        page.Append(access == PageAccess.EasyAuth
            ? "<a class=\"button\" id=\"sign-out\" href=\"/.auth/logout?post_logout_redirect_uri=/api/reports/page\">Sign out</a>"
            : "<form class=\"sign-out\" method=\"post\" action=\"/api/reports/page/sign-out\"><button type=\"submit\" id=\"sign-out\">Sign out</button></form>");
        page.Append("</header>");
        var converted = GroupView.Any(stored.Values) ? "The group figures come first, translated into the reporting currency; then the amounts per currency, never converted" : "Amounts per currency, never converted";
        page.Append(Culture, $"<p class=\"muted\">{documents.Count} closed month(s). Download links are read-only and expire at <span id=\"expires\" data-expires=\"{(clock.GetUtcNow() + lifetime).ToUnixTimeMilliseconds()}\">{Html.Encode(ReportEndpoints.Iso(clock.GetUtcNow() + lifetime))}</span>; reload the page for new ones. {converted}; negatives in parentheses.</p>");
        if (documents.Count == 0)
        {
            page.Append("<p>No month is closed yet.</p></body></html>");
            return page.ToString();
        }

        GroupView.Append(page, [.. documents.Select(d => (d.Closed, stored[d.Closed.Period]))]);
        Figures(page, documents);
        var shown = documents.Select(d => d.Closed).LastOrDefault(c => Period.TryParse(month, out var wanted) && c.Period == wanted) ?? documents[^1].Closed;
        ForwardView.Append(page, [.. documents.Select(d => d.Closed)], shown, stored[shown.Period]);
        PlanView.Append(page, shown, stored[shown.Period]);
        ExplainForm(page, [.. documents.Select(d => d.Closed)], shown);
        await DownloadsAsync(page, documents, published, lifetime, cancellationToken).ConfigureAwait(false);
        page.Append("</body></html>");
        return page.ToString();
    }

    /// <summary>The sign-in form: a password field for the read key, posted as a form (never in a URL).</summary>
    public static string SignInForm(string? error)
    {
        var page = new StringBuilder(Head);
        page.Append("<h1>Backlog reports</h1><p class=\"muted\">Sign in with the read key you were given. The session ends after a while or when you sign out.</p>");
        if (error is not null)
        {
            page.Append(Culture, $"<p class=\"error\" role=\"alert\">{Html.Encode(error)}</p>");
        }

        page.Append("""
            <form class="sign-in" method="post" action="/api/reports/page/sign-in">
            <label for="key">Read key</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
            <button type="submit">Sign in</button>
            </form>
            </body></html>
            """);
        return page.ToString();
    }

    /// <summary>The answer when this deployment offers no way to sign in to the page.</summary>
    public static string Unavailable() => Head +
        "<h1>Backlog reports</h1><p class=\"error\">The report page has no sign-in configured here. Behind the Azure Functions host it needs App Service Authentication (Reports:TrustEasyAuth); see docs/deploy.md.</p></body></html>";

    /// <summary>The document head: styles and script from this origin only (see the Content-Security-Policy).</summary>
    private const string Head = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Backlog reports</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/api/reports/page.css">
        <script src="/api/reports/page.js" defer></script>
        </head><body>
        """;

    private static void Figures(StringBuilder page, List<(ClosedPeriod Closed, Snapshot Snapshot)> documents)
    {
        var currencies = documents.SelectMany(d => d.Snapshot.Totals.Select(t => t.Currency)).Distinct().OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        foreach (var currency in currencies)
        {
            var series = documents.Select(d => (d.Closed, Totals: d.Snapshot.Totals.FirstOrDefault(t => t.Currency == currency))).Where(s => s.Totals is not null).ToList();
            page.Append(Culture, $"<h2>{currency.Code} <svg class=\"trend\" data-currency=\"{currency.Code}\" width=\"180\" height=\"36\" viewBox=\"0 0 180 36\" role=\"img\" aria-label=\"{currency.Code} backlog trend\">{Sparkline(series.Select(s => s.Totals!.Figures.Backlog).ToList())}</svg></h2>");
            page.Append("<table><thead><tr><th class=\"text\">Month</th><th>Version</th>");
            foreach (var (_, label, _) in Headlines)
            {
                page.Append(Culture, $"<th>{label}</th>");
            }

            page.Append("<th>Backlog ratio</th><th>Ratio (TTM)</th></tr></thead><tbody>");
            foreach (var (closed, totals) in series.AsEnumerable().Reverse())
            {
                var period = closed.Period.ToString();
                page.Append(Culture, $"<tr data-period=\"{period}\"><td class=\"text\">{Html.Encode(FinanceFormat.Month(closed.Period))}</td><td>v{closed.Version}</td>");
                foreach (var (name, _, value) in Headlines)
                {
                    page.Append(Culture, $"<td data-period=\"{period}\" data-currency=\"{currency.Code}\" data-figure=\"{name}\">{FinanceFormat.Money(value(totals!.Figures), currency)}</td>");
                }

                page.Append(Culture, $"<td data-figure=\"backlogRatio\">{FinanceFormat.Ratio(totals!.Figures.BacklogRatio)}</td><td>{FinanceFormat.Ratio(totals.Figures.BacklogRatioTtm)}</td></tr>");
            }

            page.Append("</tbody></table>");
        }
    }

    /// <summary>The two documents by what they are; the CSV files by their names.</summary>
    private static string DownloadLabel(string file) => file switch
    {
        ReportRenderer.BoardPackFile => "Board pack (PDF)",
        ReportRenderer.WorkbookFile => "Workbook (Excel)",
        _ => file,
    };

    private async Task DownloadsAsync(StringBuilder page, List<(ClosedPeriod Closed, Snapshot Snapshot)> documents, HashSet<(Period Period, int Version)> published, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        page.Append("<h2>Reports</h2><table id=\"reports\"><thead><tr><th class=\"text\">Month</th><th class=\"text\">Closed</th><th class=\"text\">Downloads</th><th class=\"text\">Versions</th></tr></thead><tbody>");
        foreach (var (closed, _) in documents.AsEnumerable().Reverse())
        {
            var period = closed.Period.ToString();
            page.Append(Culture, $"<tr data-period=\"{period}\"><td class=\"text\">{Html.Encode(FinanceFormat.Month(closed.Period))}</td><td class=\"text\">{Html.Encode(ReportEndpoints.Iso(closed.ClosedAt))}</td><td class=\"text\">");
            if (published.Contains((closed.Period, closed.Version)) && await reports.ReadManifestAsync(closed.Period, closed.Version, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                var links = await reports.LinksAsync(closed.Period, closed.Version, manifest.Files.Select(f => f.Name), lifetime, cancellationToken).ConfigureAwait(false);
                foreach (var link in links)
                {
                    var pdf = link.Name == ReportRenderer.BoardPackFile;
                    page.Append(Culture, $"<a class=\"button{(pdf ? " pdf" : string.Empty)}\" data-file=\"{Html.Encode(link.Name)}\" href=\"{Html.Encode(link.Url.ToString())}\" download>{Html.Encode(DownloadLabel(link.Name))}</a>");
                }
            }
            else
            {
                page.Append(Culture, $"<span class=\"muted\">not rendered yet</span> <button data-render=\"/api/reports/page/{period}/render\">Render now</button>");
            }

            page.Append("</td><td class=\"text\">");
            if (closed.Version == 1)
            {
                page.Append("v1");
            }
            else
            {
                page.Append(Culture, $"<details><summary>v{closed.Version} (restated {closed.Version - 1} time(s))</summary>");
                foreach (var version in await snapshots.ListVersionsAsync(closed.Period, cancellationToken).ConfigureAwait(false))
                {
                    page.Append(Culture, $"<div>v{version.Version}, closed {Html.Encode(ReportEndpoints.Iso(version.ClosedAt))}</div>");
                    if (version.Version > 1 && await snapshots.ReadDifferencesAsync(closed.Period, version.Version, cancellationToken).ConfigureAwait(false) is { } differences)
                    {
                        Differences(page, closed.Period, version.Version, differences);
                    }
                }

                page.Append("</details>");
            }

            page.Append("</td></tr>");
        }

        page.Append("</tbody></table>");
    }

    private static void Differences(StringBuilder page, Period period, int version, IReadOnlyList<FigureDifference> differences)
    {
        page.Append(Culture, $"<table class=\"differences\"><thead><tr><th class=\"text\">Contract</th><th class=\"text\">Figure</th><th>Before</th><th>After</th></tr></thead><tbody>");
        foreach (var difference in differences.Take(50))
        {
            var currency = Currency.Of(difference.Currency);
            page.Append(Culture, $"<tr><td class=\"text\">{ExplainLink(period, version, difference.ContractId)}</td><td class=\"text\">{Html.Encode(difference.Figure)}</td><td>{FinanceFormat.Money(difference.Before, currency)}</td><td>{FinanceFormat.Money(difference.After, currency)}</td></tr>");
        }

        page.Append(Culture, $"</tbody></table><div class=\"muted\">{differences.Count} figure(s) changed</div>");
    }

    /// <summary>
    /// "Explain a contract": a plain GET form (no script needed) naming a closed month and a contract id; it opens the
    /// contract's explanation for that month's latest version.
    /// </summary>
    private static void ExplainForm(StringBuilder page, IReadOnlyList<ClosedPeriod> months, ClosedPeriod shown)
    {
        page.Append("<section id=\"explain\"><h2>Explain a contract</h2><p class=\"muted\">Every figure of one contract down to its events: each line's amount history, service period, elapsed days, the recognized amounts at the start and end of the month with their rounding, and the events behind its contract value, billings and collections — as the version was closed.</p>");
        page.Append(Culture, $"<form class=\"explain\" method=\"get\" action=\"{ReportPageEndpoints.PagePath}/explain\"><label for=\"explain-month\">Month</label> <select id=\"explain-month\" name=\"month\">");
        foreach (var closed in months.Reverse())
        {
            var value = closed.Period.ToString();
            page.Append(Culture, $"<option value=\"{value}\"{(closed.Period == shown.Period ? " selected" : string.Empty)}>{Html.Encode(FinanceFormat.Month(closed.Period))}</option>");
        }

        page.Append("</select> <label for=\"explain-contract\">Contract</label> <input id=\"explain-contract\" name=\"contract\" maxlength=\"128\" required> <button type=\"submit\">Explain</button></form></section>");
    }

    /// <summary>A contract id that opens its explanation for the version (the group's "(consolidated)" rows stay text).</summary>
    internal static string ExplainLink(Period period, int version, string contractId) =>
        contractId == Application.Consolidation.GroupFigures.DifferencesKey
            ? Html.Encode(contractId)
            : $"<a class=\"explain\" data-contract=\"{Html.Encode(contractId)}\" href=\"{ReportPageEndpoints.PagePath}/explain?month={period}&amp;contract={Uri.EscapeDataString(contractId)}&amp;version={version.ToString(Culture)}\">{Html.Encode(contractId)}</a>";

    /// <summary>A line through the values, scaled into the box (display only: doubles are fine here).</summary>
    private static string Sparkline(List<decimal> values)
    {
        if (values.Count < 2)
        {
            return string.Empty;
        }

        var min = (double)values.Min();
        var max = (double)values.Max();
        var span = max - min == 0 ? 1 : max - min;
        var points = values.Select((v, i) => string.Create(Culture, $"{2 + (i * 176.0 / (values.Count - 1)):0.#},{34 - (((double)v - min) / span * 32):0.#}"));
        return $"<polyline fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"1.5\" points=\"{string.Join(' ', points)}\"/>";
    }
}
