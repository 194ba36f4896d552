using System.Globalization;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// One target of a period against its actual (alerts.md, "Names"): money with the currency's digits, the variance %
/// as a fraction with four decimals; actual, variance and variance % "n/a" when not known.
/// </summary>
public sealed record TargetResultDocument(string Currency, string Figure, string Target, string Actual, string Variance, string VariancePct)
{
    public static TargetResultDocument From(TargetResult result)
    {
        var c = result.Currency;
        return new(
            c.Code,
            TargetFigures.NameOf(result.Figure),
            c.Format(result.Target),
            result.Actual is { } actual ? c.Format(actual) : FigureColumns.NotAvailable,
            result.Variance is { } variance ? c.Format(variance) : FigureColumns.NotAvailable,
            FigureColumns.FormatKpi(result.VariancePct));
    }

    public TargetResult ToResult(string period)
    {
        if (!TargetFigures.TryParse(Figure, out var figure))
        {
            throw new InvalidDataException($"a stored target names the unknown figure {Figure}");
        }

        return new(period, Domain.Money.Currency.Of(Currency), figure, StoredMoney.Parse(Target), Actual == FigureColumns.NotAvailable ? null : StoredMoney.Parse(Actual));
    }
}

/// <summary>
/// One alert rule evaluated for one currency (alerts.md, "Names"): <c>actual</c> is "n/a" when the figure is n/a
/// (then <c>fired</c> is false and <c>note</c> says why). Money figures carry their currency's digits; ratios, shares
/// and days are written as computed.
/// </summary>
public sealed record AlertDocument(string Id, string Name, string Figure, string Currency, string Operator, string Threshold, string Actual, bool Fired, string Severity, string Note, int ForMonths)
{
    public static AlertDocument From(AlertResult result, Currency? reporting)
    {
        var rule = result.Rule;
        return new(
            result.Id,
            rule.Name,
            rule.Figure,
            result.Currency,
            AlertRule.SymbolOf(rule.Operator),
            ValueText(rule.Figure, result.Currency, reporting, rule.Threshold),
            result.Actual is { } actual ? ValueText(rule.Figure, result.Currency, reporting, actual) : FigureColumns.NotAvailable,
            result.Fired,
            AlertRule.NameOf(rule.Severity),
            result.Note,
            rule.ForMonths);
    }

    public AlertResult ToResult()
    {
        if (!AlertRule.TryParseOperator(Operator, out var @operator) || !AlertRule.TryParseSeverity(Severity, out var severity))
        {
            throw new InvalidDataException($"the stored alert {Id} has an unknown operator or severity");
        }

        var rule = new AlertRule(Name, Figure, Currency, @operator, Parse(Threshold)!.Value, ForMonths, severity);
        return new AlertResult(Id, rule, Currency, Parse(Actual), Fired, Note);
    }

    /// <summary>The JSON body every receiver gets: this object with the period and version first (alerts.md, "Names").</summary>
    public string DeliveryBody(string period, int version) =>
        SnapshotJson.Write(new DeliveredAlertDocument(period, version, Id, Name, Figure, Currency, Operator, Threshold, Actual, Fired, Severity, Note, ForMonths));

    /// <summary>The notices of every fired alert of a version, critical first, for <see cref="IAlertOutbox"/>.</summary>
    public static IReadOnlyList<AlertNotice> Notices(string period, int version, IEnumerable<AlertDocument> alerts) =>
        [.. alerts.Where(a => a.Fired).Select(a => new AlertNotice(a.Id, a.DeliveryBody(period, version)))];

    private static string ValueText(string figure, string currency, Currency? reporting, decimal value)
    {
        var money = currency == AlertRule.Consolidated ? reporting : Domain.Money.Currency.TryOf(currency, out var c) ? c : null;
        return AlertFigures.IsMoney(figure) && money is { } m ? m.Format(value) : AlertEvaluator.Text(value);
    }

    private static decimal? Parse(string text) =>
        text == FigureColumns.NotAvailable ? null : decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}

/// <summary>What a receiver gets for one fired alert: the alert object of <see cref="AlertDocument"/> with its period and version.</summary>
public sealed record DeliveredAlertDocument(string Period, int Version, string Id, string Name, string Figure, string Currency, string Operator, string Threshold, string Actual, bool Fired, string Severity, string Note, int ForMonths);
