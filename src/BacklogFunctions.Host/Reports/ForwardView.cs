using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Reports;

namespace BacklogFunctions.Host.Reports;

/// <summary>
/// The report page's forward view of one closed month (forward.md), per currency: the month's KPIs, the next
/// twelve months with the revenue waterfall, the billings forecast and the collections forecast side by side
/// (with overdue, the rest of the stored 24 months, later and unscheduled), the backlog split and the receivables
/// by age. Every amount is the stored document's, shown as finance reads it, with the stored text in
/// <c>data-value</c>; only the rows that group stored amounts (months 13 to 24, the totals) add them up. A document
/// written before these members shows "n/a" or leaves the part out with a note.
/// </summary>
internal static class ForwardView
{
    /// <summary>How many months after the period the view lists one by one.</summary>
    public const int Months = 12;

    private const string NotAvailable = "n/a";
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The ratio KPIs of a totals entry: name in the document, label, the stored text and how it is shown.</summary>
    private static readonly (string Name, string Label, Func<TotalsDocument, string?> Stored, Func<decimal?, string> Show)[] Ratios =
    [
        ("bookToBill", "Book-to-bill", t => t.BookToBill, FinanceFormat.Ratio),
        ("backlogConversion", "Backlog conversion", t => t.BacklogConversion, FinanceFormat.Percent),
        ("cancellationRate", "Cancellation rate", t => t.CancellationRate, FinanceFormat.Percent),
        ("leadTimeDays", "Lead time (days)", t => t.LeadTimeDays, d => d is { } days ? days.ToString("N1", Culture) : NotAvailable),
    ];

    private static readonly (string Name, string Label, Func<TotalsDocument, string?> Stored, Func<decimal?, string> Show)[] Retention =
    [
        ("grr", "GRR", t => t.Grr, FinanceFormat.Percent),
        ("nrr", "NRR", t => t.Nrr, FinanceFormat.Percent),
    ];

    private static readonly (string Figure, string Label)[] Split =
    [
        ("notYetBilled", "Not yet billed"),
        ("billedNotEarned", "Billed not earned"),
        ("overdueBacklog", "Overdue backlog"),
    ];

    private static readonly (string Figure, string Label)[] Aging =
    [
        ("receivablesCurrent", "Current"),
        ("receivablesDays1To30", "1-30 days"),
        ("receivablesDays31To60", "31-60 days"),
        ("receivablesDays61To90", "61-90 days"),
        ("receivablesOver90", "Over 90 days"),
        ("unappliedCredits", "Unapplied credits"),
        ("receivables", "Receivables"),
    ];

    /// <summary>
    /// The view of <paramref name="shown"/> (one of <paramref name="closed"/>, the page's closed months) with a
    /// form to pick another month (<c>?month=yyyy-MM</c>, a plain GET: it works without the page's script).
    /// </summary>
    public static void Append(StringBuilder page, IReadOnlyList<ClosedPeriod> closed, ClosedPeriod shown, SnapshotDocument document)
    {
        var period = shown.Period.ToString();
        page.Append(Culture, $"<h2 id=\"forward\">Forward view: <span id=\"forward-period\" data-period=\"{period}\">{Html.Encode(FinanceFormat.Month(shown.Period))}</span></h2>");
        page.Append("<form class=\"month-picker\" method=\"get\" action=\"").Append(ReportPageEndpoints.PagePath).Append("#forward\"><label for=\"forward-month\">Month</label> <select id=\"forward-month\" name=\"month\">");
        foreach (var month in closed.Reverse())
        {
            var selected = month.Period == shown.Period ? " selected" : string.Empty;
            page.Append(Culture, $"<option value=\"{month.Period}\"{selected}>{Html.Encode(FinanceFormat.Month(month.Period))}</option>");
        }

        page.Append("</select> <button type=\"submit\">Show</button></form>");
        page.Append(Culture, $"<p class=\"muted\">As the close stored it (v{shown.Version}, as of {document.AsOf.ToString("yyyy-MM-dd", Culture)}): the month's KPIs, then the {Months} months after it. Ratios show the stored four decimals rounded.</p>");
        foreach (var totals in document.Totals.OrderBy(t => t.Currency, StringComparer.Ordinal))
        {
            var forecast = document.Forecasts?.FirstOrDefault(f => f.ContractId is null && f.Currency == totals.Currency);
            Section(page, period, totals, forecast);
        }
    }

    private static void Section(StringBuilder page, string period, TotalsDocument totals, ForecastLineDocument? forecast)
    {
        var currency = Domain.Money.Currency.Of(totals.Currency);
        var code = Html.Encode(currency.Code);
        page.Append(Culture, $"<section class=\"forward\" data-period=\"{period}\" data-currency=\"{code}\"><h3>{code}</h3>");
        Kpis(page, totals, currency);
        if (forecast is null)
        {
            page.Append("<p class=\"muted next-months-missing\">No forecasts in this version: it was closed before the close stored them.</p>");
        }
        else
        {
            NextMonths(page, forecast, currency);
        }

        Figures(page, "split", Split, totals, currency);
        if (totals.Figures.Contains("receivables"))
        {
            Figures(page, "aging", Aging, totals, currency);
            page.Append("<p class=\"muted\">Open invoice balances by days past due; receivables = the balances − unapplied credits.</p>");
        }

        page.Append("</section>");
    }

    /// <summary>The KPIs as one row: the ratios of the period, ARR as of its last day, GRR and NRR over the twelve months ending it.</summary>
    private static void Kpis(StringBuilder page, TotalsDocument totals, Currency currency)
    {
        page.Append("<table class=\"kpis\"><thead><tr>");
        foreach (var label in Ratios.Select(r => r.Label).Append("ARR").Concat(Retention.Select(r => r.Label)))
        {
            page.Append(Culture, $"<th>{label}</th>");
        }

        page.Append("</tr></thead><tbody><tr>");
        foreach (var (name, _, stored, show) in Ratios)
        {
            Kpi(page, name, stored(totals), show);
        }

        Money(page, "data-figure=\"arr\"", totals.Figures["arr"], currency);
        foreach (var (name, _, stored, show) in Retention)
        {
            Kpi(page, name, stored(totals), show);
        }

        page.Append("</tr></tbody></table>");
    }

    private static void Kpi(StringBuilder page, string name, string? stored, Func<decimal?, string> show)
    {
        var value = stored is null ? string.Empty : $" data-value=\"{Html.Encode(stored)}\"";
        page.Append(Culture, $"<td data-kpi=\"{name}\"{value}>{Html.Encode(show(FigureColumns.ParseRatio(stored)))}</td>");
    }

    /// <summary>
    /// Rows: overdue (billing the plans called for by the period's end; collections of balances already due), the
    /// twelve months, the stored months 13 to 24 together, later, unscheduled billing; then the totals, which tie to
    /// the backlog (revenue) and to not yet billed (billings).
    /// </summary>
    private static void NextMonths(StringBuilder page, ForecastLineDocument line, Currency currency)
    {
        page.Append("<table class=\"next-months\"><caption>Next 12 months</caption><thead><tr><th class=\"text\">Month</th><th>Revenue (waterfall)</th><th>Billings forecast</th><th>Collections forecast</th></tr></thead><tbody>");
        Row(page, "data-row=\"overdue\"", "Overdue", null, line.OverdueBilling, line.CollectionsOverdue, currency);
        var months = Math.Min(Months, line.RevenueWaterfall.Count);
        for (var i = 0; i < months; i++)
        {
            var month = Period.Parse(line.RevenueWaterfall[i].Month);
            Row(page, $"data-month=\"{month}\"", FinanceFormat.Month(month), line.RevenueWaterfall[i].Amount, line.BillingsForecast[i].Amount, line.CollectionsForecast[i].Amount, currency);
        }

        if (line.RevenueWaterfall.Count > months)
        {
            var label = $"Months {months + 1}-{line.RevenueWaterfall.Count} ({FinanceFormat.ShortMonth(Period.Parse(line.RevenueWaterfall[months].Month))} – {FinanceFormat.ShortMonth(Period.Parse(line.RevenueWaterfall[^1].Month))})";
            Row(page, "data-row=\"after\"", label, Sum(line.RevenueWaterfall.Skip(months), currency), Sum(line.BillingsForecast.Skip(months), currency), Sum(line.CollectionsForecast.Skip(months), currency), currency);
        }

        Row(page, "data-row=\"later\"", "Later", line.RevenueLater, line.BillingsLater, line.CollectionsLater, currency);
        Row(page, "data-row=\"unscheduled\"", "Unscheduled", null, line.UnscheduledBilling, null, currency);
        page.Append("</tbody><tfoot>");
        Row(
            page,
            "data-row=\"total\"",
            "Total",
            Total(currency, [.. line.RevenueWaterfall.Select(m => m.Amount), line.RevenueLater]),
            Total(currency, [line.OverdueBilling, .. line.BillingsForecast.Select(m => m.Amount), line.BillingsLater, line.UnscheduledBilling]),
            Total(currency, [line.CollectionsOverdue, .. line.CollectionsForecast.Select(m => m.Amount), line.CollectionsLater]),
            currency);
        page.Append("</tfoot></table>");
    }

    private static void Row(StringBuilder page, string key, string label, string? revenue, string? billings, string? collections, Currency currency)
    {
        page.Append(Culture, $"<tr {key}><td class=\"text\">{Html.Encode(label)}</td>");
        foreach (var (series, amount) in new[] { ("revenue", revenue), ("billings", billings), ("collections", collections) })
        {
            if (amount is null)
            {
                page.Append("<td></td>");
            }
            else
            {
                Money(page, $"data-series=\"{series}\"", amount, currency);
            }
        }

        page.Append("</tr>");
    }

    /// <summary>One row of stored money figures under their labels; figures the document does not hold read "n/a".</summary>
    private static void Figures(StringBuilder page, string name, (string Figure, string Label)[] figures, TotalsDocument totals, Currency currency)
    {
        page.Append(Culture, $"<table class=\"{name}\"><thead><tr>");
        foreach (var (_, label) in figures)
        {
            page.Append(Culture, $"<th>{label}</th>");
        }

        page.Append("</tr></thead><tbody><tr>");
        foreach (var (figure, _) in figures)
        {
            Money(page, $"data-figure=\"{figure}\"", totals.Figures[figure], currency);
        }

        page.Append("</tr></tbody></table>");
    }

    /// <summary>A cell of stored money: as finance reads it, the stored text in <c>data-value</c>; "n/a" when absent.</summary>
    private static void Money(StringBuilder page, string attributes, string? stored, Currency currency) =>
        page.Append(stored is null
            ? $"<td {attributes}>{NotAvailable}</td>"
            : $"<td {attributes} data-value=\"{Html.Encode(stored)}\">{Html.Encode(FinanceFormat.Money(StoredMoney.Parse(stored), currency))}</td>");

    private static string Sum(IEnumerable<MonthAmount> months, Currency currency) => Total(currency, [.. months.Select(m => m.Amount)]);

    /// <summary>The exact sum of stored amounts, written with the currency's digits.</summary>
    private static string Total(Currency currency, IReadOnlyList<string> amounts) => currency.Format(amounts.Sum(StoredMoney.Parse));
}
