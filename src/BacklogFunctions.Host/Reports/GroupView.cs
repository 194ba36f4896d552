using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Reports;

namespace BacklogFunctions.Host.Reports;

/// <summary>
/// The report page's group figures (consolidation.md), before the currency tables: per reporting currency, every
/// closed month that has group figures, newest first, with the headline figures and the FX translation effect of
/// both roll-forwards — or, for a month whose rates were missing, exactly which (currency, kind, day). Every amount
/// is the stored document's text (in <c>data-value</c>), shown as finance reads it; nothing is recomputed.
/// Group cells carry <c>data-group</c> (the reporting currency), never <c>data-currency</c>, so they are not
/// mistaken for a currency's own figures.
/// </summary>
internal static class GroupView
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private static readonly (string Name, string Label)[] Headlines =
    [
        ("backlog", "Backlog"),
        ("deferredRevenue", "Deferred revenue"),
        ("revenue", "Revenue"),
        ("bookings", "Bookings"),
        ("arr", "ARR"),
    ];

    /// <summary>The names of the FX translation effects in the page (<c>data-figure</c>), as in the stored document.</summary>
    public const string FxEffectBacklog = "fxEffectBacklog";

    public const string FxEffectNetContractPosition = "fxEffectNetContractPosition";

    /// <summary>Whether any of the months has group figures (or says which rates they lack).</summary>
    public static bool Any(IEnumerable<SnapshotDocument> documents) => documents.Any(d => d.Consolidated is not null);

    /// <summary>The group tables of <paramref name="months"/> (oldest first, as the page lists them); nothing when no month has a reporting currency.</summary>
    public static void Append(StringBuilder page, IReadOnlyList<(ClosedPeriod Closed, SnapshotDocument Document)> months)
    {
        var byReporting = months
            .Where(m => m.Document.Consolidated is not null)
            .GroupBy(m => m.Document.Consolidated!.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byReporting)
        {
            var currency = Currency.Of(group.Key);
            var code = Html.Encode(currency.Code);
            page.Append(Culture, $"<section class=\"group\" data-group=\"{code}\"><h2 id=\"group-{code}\">Group figures in {code}</h2>");
            page.Append(Culture, $"<p class=\"muted\">Every currency translated into {code} as the close stored it: balances at the month's closing rates, flows at its average rates. The FX effect is what the change of rates added to each roll-forward (closing minus everything else). A month whose rates were missing has no group figures and says which rates are missing; nothing is translated at 0 or 1.</p>");
            page.Append("<table class=\"group\"><thead><tr><th class=\"text\">Month</th><th>Version</th>");
            foreach (var (_, label) in Headlines)
            {
                page.Append(Culture, $"<th>{label}</th>");
            }

            page.Append("<th>FX effect (backlog)</th><th>FX effect (net contract position)</th></tr></thead><tbody>");
            foreach (var (closed, document) in group.Reverse())
            {
                Row(page, closed, document.Consolidated!, currency);
            }

            page.Append("</tbody></table></section>");
        }
    }

    private static void Row(StringBuilder page, ClosedPeriod closed, ConsolidatedDocument group, Currency currency)
    {
        var period = closed.Period.ToString();
        var code = Html.Encode(currency.Code);
        page.Append(Culture, $"<tr data-period=\"{period}\"><td class=\"text\">{Html.Encode(FinanceFormat.Month(closed.Period))}</td><td>v{closed.Version}</td>");
        if (group.MissingRates is { } missing)
        {
            var text = string.Join("; ", missing.Select(m => $"{m.Currency} {m.Kind} rate for {m.Date.ToString("yyyy-MM-dd", Culture)}"));
            page.Append(Culture, $"<td class=\"text missing-rates\" colspan=\"{Headlines.Length + 2}\" data-period=\"{period}\" data-group=\"{code}\">Missing rates: {Html.Encode(text)}</td></tr>");
            return;
        }

        foreach (var (name, _) in Headlines)
        {
            Money(page, period, code, name, group.Figures[name], currency);
        }

        Money(page, period, code, FxEffectBacklog, group.FxEffectBacklog, currency);
        Money(page, period, code, FxEffectNetContractPosition, group.FxEffectNetContractPosition, currency);
        page.Append("</tr>");
    }

    /// <summary>A cell of stored money: as finance reads it, the stored text in <c>data-value</c>; "n/a" when absent.</summary>
    private static void Money(StringBuilder page, string period, string code, string figure, string? stored, Currency currency) =>
        page.Append(stored is null
            ? $"<td data-period=\"{period}\" data-group=\"{code}\" data-figure=\"{figure}\">n/a</td>"
            : $"<td data-period=\"{period}\" data-group=\"{code}\" data-figure=\"{figure}\" data-value=\"{Html.Encode(stored)}\">{Html.Encode(FinanceFormat.Money(StoredMoney.Parse(stored), currency))}</td>");
}
