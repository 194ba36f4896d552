using BacklogFunctions.Application.Close;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Alerts;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Alerts;

/// <summary>The alert rules every close evaluates: the configured ones, and the documented defaults unless turned off.</summary>
public sealed record AlertSettings(IReadOnlyList<AlertRule> Rules)
{
    public static AlertSettings Defaults { get; } = new(AlertRule.Defaults);
}

/// <summary>
/// Plan against actual and alerts at every close and restatement (alerts.md): the version produced is compared with
/// the latest target version uploaded before the close ran, every rule is evaluated for it (over the closed months
/// before it for streaks), and both are stored in its snapshot document. Fired alerts are handed to the outbox
/// before the version is marked closed, so a close that stops half-way hands them over again when it is repeated
/// (receivers drop repeats by id).
/// </summary>
public sealed class PlanAndAlerts(ITargetStore targets, ISnapshotQueries snapshots, AlertSettings settings, IAlertOutbox? outbox = null)
{
    /// <summary>The latest target version: read once per close run.</summary>
    public Task<TargetVersion?> TargetsAsync(CancellationToken cancellationToken) => targets.ReadAsync(null, cancellationToken);

    /// <summary>The month's snapshot with its targets and every rule evaluated for <paramref name="version"/>.</summary>
    public async Task<Snapshot> WithAsync(Snapshot snapshot, int version, TargetVersion? plan, CancellationToken cancellationToken)
    {
        var period = snapshot.Period ?? throw new ArgumentException("alerts are evaluated for a month's snapshot", nameof(snapshot));
        var planned = snapshot with
        {
            TargetsVersion = plan?.Version,
            Targets = plan is null ? [] : PlanVersusActual.Of(plan.Targets, period.ToString(), snapshot.Totals, snapshot.Consolidated),
        };

        var months = new List<IMonthFigures> { AlertFigures.Of(period, planned) };
        var lookBack = settings.Rules.Count == 0 ? 0 : settings.Rules.Max(r => r.ForMonths) - 1;
        for (var earlier = period.Previous; months.Count <= lookBack; earlier = earlier.Previous)
        {
            if (await snapshots.FindClosedAsync(earlier, cancellationToken).ConfigureAwait(false) is not { } closed
                || await snapshots.ReadSnapshotDocumentAsync(closed.Period, closed.Version, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                break;
            }

            months.Add(AlertFigures.Of(earlier, stored.Document.ToSnapshot()));
        }

        return planned with { Alerts = AlertEvaluator.Evaluate(settings.Rules, months, version) };
    }

    /// <summary>Hands every fired alert of the version over for delivery.</summary>
    public Task NotifyAsync(Snapshot snapshot, int version, CancellationToken cancellationToken)
    {
        // Only the alerts are written as documents: the rest of the snapshot is not needed to deliver them.
        var alerts = (snapshot.Alerts ?? []).Select(a => AlertDocument.From(a, snapshot.Consolidated?.Currency));
        var notices = AlertDocument.Notices(snapshot.PeriodName!, version, alerts);
        return notices.Count == 0 || outbox is null ? Task.CompletedTask : outbox.SendAsync(notices, cancellationToken);
    }

    /// <summary>
    /// Plan against actual of a quarter or fiscal year built from its closed months, with the target version its
    /// last month's version was compared with (none: no targets).
    /// </summary>
    public static IReadOnlyList<TargetResult> ForSpan(Snapshot span, TargetVersion? plan) =>
        plan is null || span.PeriodName is not { } name ? [] : PlanVersusActual.Of(plan.Targets, name, span.Totals, span.Consolidated);
}
