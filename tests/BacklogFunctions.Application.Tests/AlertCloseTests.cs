using System.Text.Json;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Tests;

/// <summary>
/// Targets and alerts at the close (alerts.md, "Evaluation and delivery"): every closed version stores plan against
/// actual and every rule evaluated — equal to the rules applied to the engine's own figures — and hands each fired
/// alert over once; a restatement evaluates again for its version and keeps the earlier one.
/// </summary>
public sealed class AlertCloseTests
{
    private static readonly DateTimeOffset March2026 = new(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
    private static readonly Period January = new(2026, 1);

    private static string Signed(string contract, string id, string signed, string amount, string occurred = "2026-01-05T10:00:00Z") => $$$"""
        {"id":"{{{id}}}","type":"contract.signed","source":"billing-a","occurredAt":"{{{occurred}}}","contractId":"{{{contract}}}",
         "data":{"signedDate":"{{{signed}}}","currency":"EUR","customer":{"id":"CUST-{{{contract}}}","name":"Customer {{{contract}}}"},
                 "lines":[{"lineId":"L1","amount":"{{{amount}}}","recognition":"ratable","serviceStart":"2026-02-01","serviceEnd":"2027-01-31"}]}}
        """.ReplaceLineEndings(string.Empty);

    [Fact]
    public async Task Every_closed_month_stores_every_rule_evaluated_on_the_engines_figures_and_hands_over_the_fired_ones()
    {
        var lines = UseCases.Sample();
        var world = new UseCases(March2026);
        await world.IngestAsync(lines);

        var closed = (await world.Closer.CloseDueAsync(CancellationToken.None)).Closed;

        var offline = UseCases.Offline(lines);
        var calculator = new SnapshotCalculator(UseCases.Options) { WithForecasts = true };
        var reference = new List<IMonthFigures>();
        var fired = new List<string>();
        foreach (var month in closed)
        {
            reference.Insert(0, AlertFigures.Of(month.Period, calculator.ForPeriod(offline, month.Period)));
            var expected = AlertEvaluator.Evaluate(AlertRule.Defaults, reference, 1);
            var stored = (await world.DocumentAsync(month.Period)).Alerts!;

            Assert.Equal(expected.Select(Row), stored.Select(Row));
            Assert.Equal(AlertRule.Defaults.Count * (await world.DocumentAsync(month.Period)).Totals.Count, stored.Count);
            fired.AddRange(stored.Where(a => a.Fired).Select(a => a.Id));
        }

        Assert.NotEmpty(fired);
        Assert.Equal(fired.Order(StringComparer.Ordinal), world.Outbox.Sent.Select(n => n.Id).Order(StringComparer.Ordinal));
        var notice = world.Outbox.Sent.First();
        using var body = JsonDocument.Parse(notice.Body);
        Assert.Equal(notice.Id, body.RootElement.GetProperty("id").GetString());
        Assert.Equal(notice.Id.Split('|')[0], body.RootElement.GetProperty("period").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("version").GetInt32());
        Assert.True(body.RootElement.GetProperty("fired").GetBoolean());
        Assert.Equal(
            ["period", "version", "id", "name", "figure", "currency", "operator", "threshold", "actual", "fired", "severity", "note", "forMonths"],
            body.RootElement.EnumerateObject().Select(p => p.Name));
    }

    private static (string, bool, decimal?, string) Row(AlertResult a) => (a.Id, a.Fired, a.Actual, a.Note);

    [Fact]
    public async Task The_latest_targets_before_the_close_are_compared_and_later_ones_wait_for_a_restatement()
    {
        var world = new UseCases(new DateTimeOffset(2026, 2, 2, 6, 0, 0, TimeSpan.Zero));
        await world.IngestAsync([Signed("C-1", "s-1", "2026-01-05", "1200.00")]);
        await world.Targets.AppendAsync([new Target("2026-01", Currency.EUR, TargetFigure.Bookings, 1000m), new Target("2026-01", Currency.EUR, TargetFigure.Backlog, 2400m), new Target("2026-02", Currency.EUR, TargetFigure.Revenue, 100m)], March2026, CancellationToken.None);

        await world.Closer.CloseDueAsync(CancellationToken.None);
        await world.Targets.AppendAsync([new Target("2026-01", Currency.EUR, TargetFigure.Bookings, 1500m)], March2026, CancellationToken.None);
        var v1 = await world.DocumentAsync(January);

        Assert.Equal(1, v1.TargetsVersion);
        Assert.Equal(
            [(TargetFigure.Bookings, 1000m, (decimal?)1200m, (decimal?)200m, (decimal?)0.2m), (TargetFigure.Backlog, 2400m, 1200m, -1200m, -0.5m)],
            v1.Targets.Select(t => (t.Figure, t.Target, t.Actual, t.Variance, t.VariancePct)));

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.Closer.RestateAsync(January, CancellationToken.None);
        var v2 = await world.DocumentAsync(January, 2);

        Assert.Equal(2, v2.TargetsVersion);
        Assert.Equal([(1500m, (decimal?)-300m, (decimal?)-0.2m)], v2.Targets.Select(t => (t.Target, t.Variance, t.VariancePct)));
        Assert.Equal(1, (await world.DocumentAsync(January)).TargetsVersion);
    }

    [Fact]
    public async Task A_restatement_that_clears_a_breach_records_the_alert_as_not_fired_and_keeps_version_1()
    {
        AlertRule[] rules = [new("EUR backlog below 5000", "backlog", "EUR", AlertOperator.Less, 5000m, 1, AlertSeverity.Critical)];
        var world = new UseCases(new DateTimeOffset(2026, 2, 2, 6, 0, 0, TimeSpan.Zero), rules: rules);
        await world.IngestAsync([Signed("C-1", "s-1", "2026-01-05", "1200.00")]);
        await world.Closer.CloseDueAsync(CancellationToken.None);

        await world.IngestAsync([Signed("C-2", "s-2", "2026-01-20", "12000.00", occurred: "2026-02-10T09:00:00Z")]);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.Closer.RestateAsync(January, CancellationToken.None);

        var v1 = Assert.Single((await world.DocumentAsync(January, 1)).Alerts!);
        var v2 = Assert.Single((await world.DocumentAsync(January, 2)).Alerts!);
        Assert.Equal(("2026-01|v1|EUR backlog below 5000|EUR", true, (decimal?)1200m), (v1.Id, v1.Fired, v1.Actual));
        Assert.Equal(("2026-01|v2|EUR backlog below 5000|EUR", false, (decimal?)13200m, "not 13200 < 5000"), (v2.Id, v2.Fired, v2.Actual, v2.Note));
        Assert.Equal(["2026-01|v1|EUR backlog below 5000|EUR"], world.Outbox.Sent.Select(n => n.Id));
    }

    [Fact]
    public async Task A_rule_on_a_targets_variance_fires_below_plan_and_is_na_without_a_target()
    {
        AlertRule[] rules =
        [
            new("Bookings 10% below plan", AlertRule.TargetVariancePrefix + "bookings", "EUR", AlertOperator.Less, -0.1m, 1, AlertSeverity.Warning),
            new("Revenue 10% below plan", AlertRule.TargetVariancePrefix + "revenue", "EUR", AlertOperator.Less, -0.1m, 1, AlertSeverity.Warning),
            new("Group bookings", "bookings", AlertRule.Consolidated, AlertOperator.Greater, 0m, 1, AlertSeverity.Warning),
        ];
        var world = new UseCases(new DateTimeOffset(2026, 2, 2, 6, 0, 0, TimeSpan.Zero), rules: rules);
        await world.IngestAsync([Signed("C-1", "s-1", "2026-01-05", "1200.00")]);
        await world.Targets.AppendAsync([new Target("2026-01", Currency.EUR, TargetFigure.Bookings, 2000m)], March2026, CancellationToken.None);

        await world.Closer.CloseDueAsync(CancellationToken.None);

        var alerts = (await world.DocumentAsync(January)).Alerts!;
        Assert.Equal((true, (decimal?)-0.4m), (alerts[0].Fired, alerts[0].Actual));
        Assert.Equal((false, (decimal?)null, "n/a: there is no 2026-01 target for revenue in EUR"), (alerts[1].Fired, alerts[1].Actual, alerts[1].Note));
        Assert.Equal((false, "n/a: no reporting currency is set, so there are no consolidated figures"), (alerts[2].Fired, alerts[2].Note));
    }
}
