using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Reports;

namespace BacklogFunctions.Host.Reports;

/// <summary>
/// The report page's "Plan and alerts" of one closed month (alerts.md), as the close stored them with the version:
/// each target against its actual with the variance and variance %, the fired alerts critical first, and — folded —
/// the rule checks that did not fire with their notes. Amounts are the stored text (in <c>data-value</c>), shown
/// as finance reads them; nothing is recomputed.
/// </summary>
internal static class PlanView
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static void Append(StringBuilder page, ClosedPeriod shown, SnapshotDocument document)
    {
        var period = shown.Period.ToString();
        page.Append(Culture, $"<section id=\"plan\" data-period=\"{period}\"><h2>Plan and alerts: {Html.Encode(FinanceFormat.Month(shown.Period))}</h2>");
        Targets(page, shown, document);
        Alerts(page, shown, document);
        page.Append("</section>");
    }

    private static void Targets(StringBuilder page, ClosedPeriod shown, SnapshotDocument document)
    {
        if (document.Targets is not { Count: > 0 } targets)
        {
            var why = document.TargetsVersion is { } version ? $"target version {version} has none for this month" : "no targets were uploaded before it closed";
            page.Append(Culture, $"<p class=\"muted\" id=\"no-targets\">No targets for v{shown.Version}: {Html.Encode(why)}.</p>");
            return;
        }

        page.Append(Culture, $"<p class=\"muted\">v{shown.Version} against target version {document.TargetsVersion}: variance = actual − target, variance % = variance ÷ |target|; n/a where not known. The quarter's and fiscal year's are in targets.csv.</p>");
        page.Append("<table id=\"targets\"><thead><tr><th class=\"text\">Currency</th><th class=\"text\">Figure</th><th>Target</th><th>Actual</th><th>Variance</th><th>Variance %</th></tr></thead><tbody>");
        foreach (var target in targets)
        {
            var currency = Currency.Of(target.Currency);
            var key = $"data-currency=\"{Html.Encode(target.Currency)}\" data-figure=\"{Html.Encode(target.Figure)}\"";
            page.Append(Culture, $"<tr {key}><td class=\"text\">{Html.Encode(target.Currency)}</td><td class=\"text\">{Html.Encode(target.Figure)}</td>");
            Money(page, "target", target.Target, currency);
            Money(page, "actual", target.Actual, currency);
            Money(page, "variance", target.Variance, currency);
            page.Append(Culture, $"<td data-column=\"variancePct\" data-value=\"{Html.Encode(target.VariancePct)}\">{Html.Encode(FinanceFormat.Percent(FigureColumns.ParseRatio(target.VariancePct)))}</td></tr>");
        }

        page.Append("</tbody></table>");
    }

    private static void Alerts(StringBuilder page, ClosedPeriod shown, SnapshotDocument document)
    {
        page.Append("<h3>Alerts</h3>");
        if (document.Alerts is not { } alerts)
        {
            page.Append(Culture, $"<p class=\"muted\" id=\"alerts-not-evaluated\">Alerts not evaluated: v{shown.Version} was closed without alert rules being evaluated.</p>");
            return;
        }

        var fired = alerts.Where(a => a.Fired).OrderBy(a => a.Severity == "critical" ? 0 : 1).ToList();
        var quiet = alerts.Where(a => !a.Fired).ToList();
        if (fired.Count == 0)
        {
            page.Append(Culture, $"<p id=\"no-alerts\">No alerts fired: {alerts.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count()} rule(s) evaluated, {alerts.Count} check(s) across currencies.</p>");
        }
        else
        {
            page.Append("<table id=\"alerts-fired\"><thead><tr><th class=\"text\">Severity</th><th class=\"text\">Alert</th><th class=\"text\">Currency</th><th>Actual</th><th>Threshold</th><th class=\"text\">Note</th></tr></thead><tbody>");
            foreach (var alert in fired)
            {
                Row(page, alert, withSeverity: true);
            }

            page.Append("</tbody></table>");
        }

        if (quiet.Count > 0)
        {
            page.Append(Culture, $"<details id=\"alerts-not-fired\"><summary>{quiet.Count} check(s) did not fire</summary><table><thead><tr><th class=\"text\">Alert</th><th class=\"text\">Currency</th><th>Actual</th><th>Threshold</th><th class=\"text\">Note</th></tr></thead><tbody>");
            foreach (var alert in quiet)
            {
                Row(page, alert, withSeverity: false);
            }

            page.Append("</tbody></table></details>");
        }
    }

    private static void Row(StringBuilder page, AlertDocument alert, bool withSeverity)
    {
        page.Append(Culture, $"<tr data-alert=\"{Html.Encode(alert.Id)}\" data-severity=\"{Html.Encode(alert.Severity)}\">");
        if (withSeverity)
        {
            page.Append(Culture, $"<td class=\"text severity-{Html.Encode(alert.Severity)}\">{Html.Encode(alert.Severity)}</td>");
        }

        page.Append(Culture, $"<td class=\"text\">{Html.Encode(alert.Name)}</td><td class=\"text\">{Html.Encode(alert.Currency)}</td><td data-column=\"actual\">{Html.Encode(alert.Actual)}</td><td data-column=\"threshold\">{Html.Encode(alert.Operator)} {Html.Encode(alert.Threshold)}</td><td class=\"text\">{Html.Encode(alert.Note)}</td></tr>");
    }

    /// <summary>A cell of stored money, shown as finance reads it; "n/a" as stored.</summary>
    private static void Money(StringBuilder page, string column, string stored, Currency currency) =>
        page.Append(stored == FigureColumns.NotAvailable
            ? $"<td data-column=\"{column}\">n/a</td>"
            : $"<td data-column=\"{column}\" data-value=\"{Html.Encode(stored)}\">{Html.Encode(FinanceFormat.Money(StoredMoney.Parse(stored), currency))}</td>");
}
