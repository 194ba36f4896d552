using System.Globalization;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;
using CsCheck;

namespace BacklogFunctions.Domain.Tests.Alerts;

/// <summary>The rules of alerts.md ("Alert rules"): operators, streaks over consecutive closed months, n/a, currencies.</summary>
public class AlertEvaluatorTests
{
    private static readonly Period November = new(2026, 11);

    /// <summary>A month's figures from a table: (figure, currency) → value, null for n/a.</summary>
    private sealed class Month(Period period, Dictionary<(string, string), decimal?> values, params string[] currencies) : IMonthFigures
    {
        public Period Period => period;

        public IReadOnlyList<string> Currencies => currencies;

        public decimal? Value(string figure, string currency, out string? whyNotAvailable)
        {
            var found = values.TryGetValue((figure, currency), out var value);
            whyNotAvailable = value is null ? found ? $"{figure} has a zero denominator" : $"no {currency} figures" : null;
            return value;
        }
    }

    private static Month M(Period period, decimal? value, string figure = "bookToBill", string currency = "EUR") =>
        new(period, new() { [(figure, currency)] = value }, currency);

    private static AlertRule Rule(string op, decimal threshold, int forMonths = 1, string currency = "EUR", string figure = "bookToBill", AlertSeverity severity = AlertSeverity.Warning)
    {
        Assert.True(AlertRule.TryParseOperator(op, out var @operator));
        return new AlertRule("rule " + op, figure, currency, @operator, threshold, forMonths, severity);
    }

    [Theory]
    [InlineData("<", "0.99", true)]
    [InlineData("<", "1", false)]
    [InlineData("<", "1.01", false)]
    [InlineData("<=", "0.99", true)]
    [InlineData("<=", "1", true)]
    [InlineData("<=", "1.01", false)]
    [InlineData(">", "0.99", false)]
    [InlineData(">", "1", false)]
    [InlineData(">", "1.01", true)]
    [InlineData(">=", "0.99", false)]
    [InlineData(">=", "1", true)]
    [InlineData(">=", "1.01", true)]
    public void Every_operator_compares_the_actual_with_the_threshold(string op, string actual, bool fires)
    {
        var value = decimal.Parse(actual, CultureInfo.InvariantCulture);

        var result = Assert.Single(AlertEvaluator.Evaluate([Rule(op, 1m)], [M(November, value)], 1));

        Assert.Equal(fires, result.Fired);
        Assert.Equal(value, result.Actual);
        Assert.Equal(fires ? $"{actual} {op} 1" : $"not {actual} {op} 1", result.Note);
    }

    [Theory]
    [InlineData("<")]
    [InlineData("<=")]
    [InlineData(">")]
    [InlineData(">=")]
    public void A_figure_that_is_na_never_fires_and_says_why(string op)
    {
        var result = Assert.Single(AlertEvaluator.Evaluate([Rule(op, 0m)], [M(November, null)], 1));

        Assert.False(result.Fired);
        Assert.Null(result.Actual);
        Assert.Equal("n/a: bookToBill has a zero denominator", result.Note);
    }

    [Fact]
    public void A_streak_fires_when_every_one_of_its_consecutive_closed_months_matches()
    {
        var months = new[] { M(November, 0.8m), M(November.Previous, 0.9m), M(November.Previous.Previous, 0.95m) };

        var result = Assert.Single(AlertEvaluator.Evaluate([Rule("<", 1m, forMonths: 3)], months, 2));

        Assert.True(result.Fired);
        Assert.Equal("0.8 < 1 for 3 months in a row", result.Note);
        Assert.Equal("2026-11|v2|rule <|EUR", result.Id);
    }

    [Theory]
    [InlineData(1, "but not in 2026-10 (1.2)")] // broken by the month before
    [InlineData(2, "but not in 2026-09 (1.2)")] // broken by the first month of the streak
    public void A_streak_broken_by_one_month_does_not_fire(int broken, string note)
    {
        var values = new decimal[] { 0.8m, 0.9m, 0.95m };
        values[broken] = 1.2m;
        var months = values.Select((v, i) => (IMonthFigures)M(November.AddMonths(-i), v)).ToList();

        var result = Assert.Single(AlertEvaluator.Evaluate([Rule("<", 1m, forMonths: 3)], months, 1));

        Assert.False(result.Fired);
        Assert.Contains(note, result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_streak_needs_its_months_closed_and_consecutive()
    {
        var tooFew = AlertEvaluator.Evaluate([Rule("<", 1m, forMonths: 3)], [M(November, 0.5m), M(November.Previous, 0.5m)], 1);
        var gap = AlertEvaluator.Evaluate([Rule("<", 1m, forMonths: 3)], [M(November, 0.5m), M(November.Previous, 0.5m), M(November.AddMonths(-3), 0.5m)], 1);
        var naBefore = AlertEvaluator.Evaluate([Rule("<", 1m, forMonths: 2)], [M(November, 0.5m), M(November.Previous, null)], 1);

        Assert.False(Assert.Single(tooFew).Fired);
        Assert.Contains("3 consecutive closed months are needed and 2026-09 is not closed", tooFew[0].Note, StringComparison.Ordinal);
        Assert.False(Assert.Single(gap).Fired);
        Assert.Contains("2026-09 is not closed", gap[0].Note, StringComparison.Ordinal);
        Assert.False(Assert.Single(naBefore).Fired);
        Assert.Contains("2026-10 is n/a", naBefore[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_currency_gets_its_own_result_and_consolidated_its_own()
    {
        var month = new Month(November, new()
        {
            [("backlog", "EUR")] = 10m,
            [("backlog", "JPY")] = 30m,
            [("backlog", AlertRule.Consolidated)] = 50m,
        }, "EUR", "JPY");

        var results = AlertEvaluator.Evaluate([Rule(">", 20m, figure: "backlog", currency: AlertRule.EachCurrency), Rule(">=", 50m, figure: "backlog", currency: AlertRule.Consolidated)], [month], 1);

        Assert.Equal(["EUR", "JPY", AlertRule.Consolidated], results.Select(r => r.Currency));
        Assert.Equal([false, true, true], results.Select(r => r.Fired));
        Assert.Equal("2026-11|v1|rule >=|consolidated", results[2].Id);
    }

    [Fact]
    public void A_currency_without_figures_is_na()
    {
        var result = Assert.Single(AlertEvaluator.Evaluate([Rule("<", 1m, currency: "GBP")], [M(November, 0.5m)], 1));

        Assert.False(result.Fired);
        Assert.Equal("n/a: no GBP figures", result.Note);
    }

    [Fact]
    public void Critical_results_come_first_then_the_rules_in_their_order()
    {
        var month = new Month(November, new() { [("a", "EUR")] = 1m, [("b", "EUR")] = 1m, [("c", "EUR")] = 1m }, "EUR");
        AlertRule Named(string name, AlertSeverity severity) => new(name, name, "EUR", AlertOperator.Greater, 0m, 1, severity);

        var results = AlertEvaluator.Evaluate([Named("a", AlertSeverity.Warning), Named("b", AlertSeverity.Critical), Named("c", AlertSeverity.Warning)], [month], 1);

        Assert.Equal(["b", "a", "c"], results.Select(r => r.Rule.Name));
    }

    [Fact]
    public void The_documented_defaults_are_seven_rules_for_every_currency()
    {
        Assert.Equal(7, AlertRule.Defaults.Count);
        Assert.All(AlertRule.Defaults, r => Assert.Equal(AlertRule.EachCurrency, r.Currency));
        Assert.Equal(3, AlertRule.Defaults.Single(r => r.Figure == "bookToBill").ForMonths);
        Assert.Equal(AlertRule.Defaults.Count, AlertRule.Defaults.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void A_rule_fires_exactly_when_each_month_of_its_streak_matches() =>
        Gen.Select(Gen.Int[1, 4], Gen.Decimal[-2m, 2m].Array[1, 5], Gen.Decimal[-2m, 2m], Gen.Int[0, 3].Select(i => new[] { "<", "<=", ">", ">=" }[i]))
            .Sample((forMonths, values, threshold, op) =>
            {
                var months = values.Select((v, i) => (IMonthFigures)M(November.AddMonths(-i), v)).ToList();
                var rule = Rule(op, threshold, forMonths);

                var result = Assert.Single(AlertEvaluator.Evaluate([rule], months, 1));

                var expected = values.Length >= forMonths && values.Take(forMonths).All(rule.Matches);
                Assert.Equal(expected, result.Fired);
                Assert.Equal(values[0], result.Actual);
            });
}
