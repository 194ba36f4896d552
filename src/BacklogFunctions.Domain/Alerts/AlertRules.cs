using System.Globalization;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Alerts;

public enum AlertOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

public enum AlertSeverity
{
    Warning,
    Critical,
}

/// <summary>
/// An alert rule (alerts.md, "Alert rules"): fires when <see cref="Figure"/> of <see cref="Currency"/> compares with
/// <see cref="Threshold"/> by <see cref="Operator"/> in each of the last <see cref="ForMonths"/> consecutive closed
/// months. <see cref="Currency"/> is an ISO code, <see cref="EachCurrency"/> or <see cref="Consolidated"/>.
/// </summary>
public sealed record AlertRule(string Name, string Figure, string Currency, AlertOperator Operator, decimal Threshold, int ForMonths, AlertSeverity Severity)
{
    /// <summary>The currency of a rule evaluated for every currency of the month, one result each.</summary>
    public const string EachCurrency = "*";

    /// <summary>The currency of a rule evaluated on the group figures in the reporting currency.</summary>
    public const string Consolidated = "consolidated";

    /// <summary>The prefix of a rule on a target's variance %: <c>targetVariancePct:revenue</c>.</summary>
    public const string TargetVariancePrefix = "targetVariancePct:";

    /// <summary>Closing backlog ÷ opening backlog − 1.</summary>
    public const string BacklogChange = "backlogChangePct";

    /// <summary>The most consecutive months a rule may look back over (two fiscal years).</summary>
    public const int MaxForMonths = 24;

    public bool Matches(decimal value) => Operator switch
    {
        AlertOperator.Less => value < Threshold,
        AlertOperator.LessOrEqual => value <= Threshold,
        AlertOperator.Greater => value > Threshold,
        AlertOperator.GreaterOrEqual => value >= Threshold,
        _ => false,
    };

    public static string SymbolOf(AlertOperator @operator) => @operator switch
    {
        AlertOperator.Less => "<",
        AlertOperator.LessOrEqual => "<=",
        AlertOperator.Greater => ">",
        AlertOperator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(@operator)),
    };

    public static bool TryParseOperator(string? symbol, out AlertOperator @operator)
    {
        foreach (var candidate in Enum.GetValues<AlertOperator>())
        {
            if (string.Equals(SymbolOf(candidate), symbol, StringComparison.Ordinal))
            {
                @operator = candidate;
                return true;
            }
        }

        @operator = default;
        return false;
    }

    public static string NameOf(AlertSeverity severity) => severity == AlertSeverity.Critical ? "critical" : "warning";

    public static bool TryParseSeverity(string? name, out AlertSeverity severity)
    {
        severity = string.Equals(name, "critical", StringComparison.Ordinal) ? AlertSeverity.Critical : AlertSeverity.Warning;
        return name is "critical" or "warning";
    }

    /// <summary>
    /// The documented defaults (alerts.md): backlog down more than 10% in a month; backlog ratio below 6 months;
    /// book-to-bill below 1 for 3 months; largest customer above 25% of backlog; any overdue backlog; receivables
    /// over 90 days above 10% of receivables; GRR below 0.9 — each for every currency.
    /// </summary>
    public static IReadOnlyList<AlertRule> Defaults { get; } =
    [
        new("Backlog down more than 10% in a month", BacklogChange, EachCurrency, AlertOperator.Less, -0.10m, 1, AlertSeverity.Critical),
        new("Backlog ratio below 6 months", "backlogRatio", EachCurrency, AlertOperator.Less, 6m, 1, AlertSeverity.Warning),
        new("Book-to-bill below 1 for 3 months", "bookToBill", EachCurrency, AlertOperator.Less, 1m, 3, AlertSeverity.Warning),
        new("Largest customer above 25% of backlog", "largestShare", EachCurrency, AlertOperator.Greater, 0.25m, 1, AlertSeverity.Warning),
        new("Overdue backlog", "overdueBacklog", EachCurrency, AlertOperator.Greater, 0m, 1, AlertSeverity.Warning),
        new("Receivables over 90 days above 10% of receivables", "receivablesOver90Share", EachCurrency, AlertOperator.Greater, 0.10m, 1, AlertSeverity.Warning),
        new("GRR below 0.9", "grr", EachCurrency, AlertOperator.Less, 0.9m, 1, AlertSeverity.Critical),
    ];
}

/// <summary>
/// The figures of one closed month as alert rules see them: a figure's value by name and currency (an ISO code, or
/// <see cref="AlertRule.Consolidated"/>), null when it is n/a — with why.
/// </summary>
public interface IMonthFigures
{
    Period Period { get; }

    /// <summary>The currencies the month has figures in, in order.</summary>
    IReadOnlyList<string> Currencies { get; }

    /// <summary>The value, or null with <paramref name="whyNotAvailable"/> saying why it is n/a.</summary>
    decimal? Value(string figure, string currency, out string? whyNotAvailable);
}

/// <summary>One rule evaluated for one currency of a closed month version.</summary>
/// <param name="Actual">This month's value; null ("n/a") when the figure is n/a (then the alert does not fire and the note says why).</param>
public sealed record AlertResult(string Id, AlertRule Rule, string Currency, decimal? Actual, bool Fired, string Note)
{
    /// <summary>The id receivers drop repeats by: <c>{period}|v{version}|{name}|{currency}</c>.</summary>
    public static string IdOf(Period period, int version, string name, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{period}|v{version}|{name}|{currency}");
}

/// <summary>Evaluates alert rules for one closed month version (alerts.md, "Evaluation and delivery").</summary>
public static class AlertEvaluator
{
    /// <summary>
    /// Every rule for every currency it covers, critical first, then in rule order. <paramref name="months"/> is the
    /// month evaluated followed by the closed months before it, newest first (a gap ends the list).
    /// </summary>
    public static IReadOnlyList<AlertResult> Evaluate(IReadOnlyList<AlertRule> rules, IReadOnlyList<IMonthFigures> months, int version)
    {
        ArgumentOutOfRangeException.ThrowIfZero(months.Count);
        var month = months[0];
        var results = new List<(int Order, AlertResult Result)>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var currencies = rule.Currency == AlertRule.EachCurrency ? month.Currencies : [rule.Currency];
            foreach (var currency in currencies)
            {
                results.Add((i, Evaluate(rule, currency, months, version)));
            }
        }

        return results
            .OrderBy(r => r.Result.Rule.Severity == AlertSeverity.Critical ? 0 : 1)
            .ThenBy(r => r.Order)
            .Select(r => r.Result)
            .ToList();
    }

    private static AlertResult Evaluate(AlertRule rule, string currency, IReadOnlyList<IMonthFigures> months, int version)
    {
        var month = months[0];
        var id = AlertResult.IdOf(month.Period, version, rule.Name, currency);
        var actual = month.Value(rule.Figure, currency, out var why);
        if (actual is not { } value)
        {
            return new AlertResult(id, rule, currency, null, false, $"n/a: {why}");
        }

        var comparison = $"{Text(value)} {AlertRule.SymbolOf(rule.Operator)} {Text(rule.Threshold)}";
        if (!rule.Matches(value))
        {
            return new AlertResult(id, rule, currency, value, false, $"not {comparison}");
        }

        if (rule.ForMonths == 1)
        {
            return new AlertResult(id, rule, currency, value, true, comparison);
        }

        var expected = month.Period;
        for (var k = 1; k < rule.ForMonths; k++)
        {
            expected = expected.Previous;
            if (k >= months.Count || months[k].Period != expected)
            {
                return new AlertResult(id, rule, currency, value, false, $"{comparison} this month, but {rule.ForMonths} consecutive closed months are needed and {expected} is not closed");
            }

            var earlier = months[k].Value(rule.Figure, currency, out var earlierWhy);
            if (earlier is not { } before)
            {
                return new AlertResult(id, rule, currency, value, false, $"{comparison} this month, but {expected} is n/a: {earlierWhy}");
            }

            if (!rule.Matches(before))
            {
                return new AlertResult(id, rule, currency, value, false, $"{comparison} this month, but not in {expected} ({Text(before)})");
            }
        }

        return new AlertResult(id, rule, currency, value, true, $"{comparison} for {rule.ForMonths} months in a row");
    }

    /// <summary>A value as the notes write it: invariant, without trailing zeros.</summary>
    public static string Text(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
