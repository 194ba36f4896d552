using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Application.Telemetry;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Close;

/// <summary>What a close run did.</summary>
public sealed record CloseResult(IReadOnlyList<ClosedPeriod> Closed, Period? LastEnded);

/// <summary>
/// The month-end close: closes, in order, every month that has ended (in the reporting time zone) and is not
/// closed yet — so a missed run catches up and a first run backfills history from the earliest signing.
/// Closing a month computes its snapshot (opening from the locked previous month), writes every row, and only
/// then marks it closed as version 1. Re-running a finished close changes nothing; re-running one that
/// stopped half-way writes the same rows again and then marks it closed.
/// </summary>
public sealed class PeriodCloser(ContractHistories histories, ISnapshotStore snapshots, IReportRequests reports, TimeProvider clock, CloseSettings settings, BacklogTelemetry? telemetry = null, GroupFigures? group = null, PlanAndAlerts? alerts = null)
{
    public async Task<CloseResult> CloseDueAsync(CancellationToken cancellationToken)
    {
        var lastEnded = Period.Of(settings.Today(clock)).Previous;
        var (contracts, events) = await histories.LoadAsync(cancellationToken).ConfigureAwait(false);
        var signed = contracts.Where(c => c.Signing is not null).ToList();
        if (signed.Count == 0)
        {
            return new CloseResult([], lastEnded);
        }

        var closedList = await snapshots.ListClosedAsync(cancellationToken).ConfigureAwait(false);
        var closed = closedList.ToDictionary(c => c.Period);
        var first = Period.Of(signed.Min(c => c.Signing!.SignedDate));
        var calculator = new SnapshotCalculator(settings.Options) { WithForecasts = true };
        var done = new List<ClosedPeriod>();
        var rates = group is null ? null : await group.RatesAsync(cancellationToken).ConfigureAwait(false);
        var plan = alerts is null ? null : await alerts.TargetsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, LockedClosing>? lockedPrevious = null;
        IReadOnlyDictionary<Currency, decimal>? openingRates = null;
        for (var period = first; period <= lastEnded; period = period.Next)
        {
            if (closed.ContainsKey(period))
            {
                lockedPrevious = null;
                continue;
            }

            // The month just closed in this run is the locked opening of the next: no need to read it back.
            if (lockedPrevious is null && closed.TryGetValue(period.Previous, out var previous))
            {
                lockedPrevious = await snapshots.ReadLockedClosingsAsync(previous.Period, previous.Version, cancellationToken).ConfigureAwait(false);
                openingRates = group is null ? null : await group.OpeningRatesAsync(previous, cancellationToken).ConfigureAwait(false);
            }

            var (result, snapshot) = await CloseOneAsync(calculator, signed, events, period, lockedPrevious, rates, openingRates, plan, cancellationToken).ConfigureAwait(false);
            lockedPrevious = snapshot.Contracts.ToDictionary(c => c.ContractId, LockedClosing.Of, StringComparer.Ordinal);
            openingRates = GroupFigures.ClosingRatesOf(snapshot.Consolidated, settings.ReportingCurrency);
            closed[period] = result;
            done.Add(result);
        }

        return new CloseResult(done, lastEnded);
    }

    /// <summary>
    /// Restates a closed period: recomputes it with every event stored now (opening from the latest version of
    /// the month before, when that is closed) as version n+1, keeps every earlier version, and records which
    /// figures of which contracts changed. Null when the period is not closed.
    /// </summary>
    public async Task<(ClosedPeriod Closed, IReadOnlyList<FigureDifference> Differences)?> RestateAsync(Period period, CancellationToken cancellationToken)
    {
        var current = await snapshots.FindClosedAsync(period, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return null;
        }

        var (contracts, events) = await histories.LoadAsync(cancellationToken).ConfigureAwait(false);
        var signed = contracts.Where(c => c.Signing is not null).ToList();
        var calculator = new SnapshotCalculator(current.Options) { WithForecasts = true };
        var previous = await snapshots.FindClosedAsync(period.Previous, cancellationToken).ConfigureAwait(false);
        var snapshot = (previous is not null
            ? await AfterLockedAsync(calculator, signed, period, previous, cancellationToken).ConfigureAwait(false)
            : calculator.ForPeriod(signed, period)) with { Waterfalls = calculator.Waterfall(signed, period.LastDay) };
        if (group is not null)
        {
            var rates = await group.RatesAsync(cancellationToken).ConfigureAwait(false);
            snapshot = GroupFigures.With(snapshot, rates, await group.OpeningRatesAsync(previous, cancellationToken).ConfigureAwait(false));
        }

        var version = current.Version + 1;
        if (alerts is not null)
        {
            snapshot = await alerts.WithAsync(snapshot, version, await alerts.TargetsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        var before = await snapshots.ReadContractFiguresAsync(period, current.Version, cancellationToken).ConfigureAwait(false);
        var groupBefore = (await snapshots.ReadSnapshotDocumentAsync(period, current.Version, cancellationToken).ConfigureAwait(false))?.Document.Consolidated?.ToConsolidated();
        await snapshots.WriteAsync(snapshot, version, cancellationToken).ConfigureAwait(false);
        var after = await snapshots.ReadContractFiguresAsync(period, version, cancellationToken).ConfigureAwait(false);
        var differences = Compare(before, after).Concat(GroupFigures.Differences(groupBefore, snapshot.Consolidated)).ToList();
        await snapshots.WriteDifferencesAsync(period, version, differences, cancellationToken).ConfigureAwait(false);
        if (alerts is not null)
        {
            await alerts.NotifyAsync(snapshot, version, cancellationToken).ConfigureAwait(false);
        }

        var restated = new ClosedPeriod(period, version, clock.GetUtcNow(), snapshot.Contracts.Count, events, current.Options);
        await snapshots.MarkClosedAsync(restated, cancellationToken).ConfigureAwait(false);
        await reports.RequestAsync(restated, cancellationToken).ConfigureAwait(false);
        return (restated, differences);
    }

    /// <summary>Every figure that changed, by contract id and figure name; a contract missing on one side has zeros there.</summary>
    private static List<FigureDifference> Compare(IReadOnlyDictionary<string, ContractFigures> before, IReadOnlyDictionary<string, ContractFigures> after)
    {
        var differences = new List<FigureDifference>();
        foreach (var contractId in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(contractId);
            var now = after.GetValueOrDefault(contractId);
            var currency = (now ?? old)!.Currency.Code;
            foreach (var column in ColumnsByName)
            {
                var was = old is null ? 0m : column.Value(old.Figures);
                var @is = now is null ? 0m : column.Value(now.Figures);
                if (was != @is)
                {
                    differences.Add(new FigureDifference(contractId, currency, column.Name, was, @is));
                }
            }
        }

        return differences;
    }

    private static readonly IReadOnlyList<FigureColumn> ColumnsByName = [.. FigureColumns.All.OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>Closes one month (the close of every due month does this in order). Null when it is closed already.</summary>
    public async Task<ClosedPeriod?> CloseAsync(Period period, CancellationToken cancellationToken)
    {
        if (await snapshots.FindClosedAsync(period, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        // The locked opening is read while the events are scanned.
        var loading = histories.LoadAsync(cancellationToken);
        var previous = await snapshots.FindClosedAsync(period.Previous, cancellationToken).ConfigureAwait(false);
        var locked = previous is null ? null : await snapshots.ReadLockedClosingsAsync(previous.Period, previous.Version, cancellationToken).ConfigureAwait(false);
        var rates = group is null ? null : await group.RatesAsync(cancellationToken).ConfigureAwait(false);
        var openingRates = group is null ? null : await group.OpeningRatesAsync(previous, cancellationToken).ConfigureAwait(false);
        var plan = alerts is null ? null : await alerts.TargetsAsync(cancellationToken).ConfigureAwait(false);
        var (contracts, events) = await loading.ConfigureAwait(false);
        var (result, _) = await CloseOneAsync(new SnapshotCalculator(settings.Options) { WithForecasts = true }, contracts.Where(c => c.Signing is not null).ToList(), events, period, locked, rates, openingRates, plan, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Computes, writes every row, then marks closed, then hands over to reports — in that order.</summary>
    private async Task<(ClosedPeriod Result, Snapshot Snapshot)> CloseOneAsync(SnapshotCalculator calculator, IReadOnlyList<ContractHistory> signed, int events, Period period, IReadOnlyDictionary<string, LockedClosing>? lockedPrevious, FxRates? rates, IReadOnlyDictionary<Currency, decimal>? openingRates, TargetVersion? plan, CancellationToken cancellationToken)
    {
        using var span = BacklogTelemetry.Source.StartActivity("close month");
        span?.SetTag("backlog.period", period.ToString());
        var started = clock.GetTimestamp();
        var snapshot = GroupFigures.With(
            (lockedPrevious is not null
                ? calculator.ForPeriodAfterLocked(signed, period, id => lockedPrevious.GetValueOrDefault(id, LockedClosing.None))
                : calculator.ForPeriod(signed, period)) with { Waterfalls = calculator.Waterfall(signed, period.LastDay) },
            rates,
            openingRates);
        if (alerts is not null)
        {
            snapshot = await alerts.WithAsync(snapshot, 1, plan, cancellationToken).ConfigureAwait(false);
        }

        await snapshots.WriteAsync(snapshot, 1, cancellationToken).ConfigureAwait(false);
        if (alerts is not null)
        {
            await alerts.NotifyAsync(snapshot, 1, cancellationToken).ConfigureAwait(false);
        }

        var result = new ClosedPeriod(period, 1, clock.GetUtcNow(), snapshot.Contracts.Count, events, settings.Options);
        await snapshots.MarkClosedAsync(result, cancellationToken).ConfigureAwait(false);
        await reports.RequestAsync(result, cancellationToken).ConfigureAwait(false);
        telemetry?.MonthClosed(period, clock.GetElapsedTime(started));
        return (result, snapshot);
    }

    /// <summary>An unstored snapshot as of any day, from everything stored now.</summary>
    public async Task<Snapshot> SnapshotAsOfAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var (contracts, _) = await histories.LoadAsync(cancellationToken).ConfigureAwait(false);
        return new SnapshotCalculator(settings.Options).AsOf(contracts, asOf);
    }

    private async Task<Snapshot> AfterLockedAsync(SnapshotCalculator calculator, IReadOnlyList<ContractHistory> contracts, Period period, ClosedPeriod previous, CancellationToken cancellationToken)
    {
        var locked = await snapshots.ReadLockedClosingsAsync(previous.Period, previous.Version, cancellationToken).ConfigureAwait(false);
        return calculator.ForPeriodAfterLocked(contracts, period, id => locked.GetValueOrDefault(id, LockedClosing.None));
    }
}

/// <summary>The close's policies and calendar.</summary>
public sealed record CloseSettings(SnapshotOptions Options, TimeZoneInfo ReportingTimeZone)
{
    /// <summary>The first month of the fiscal year (1-12): the quarters and year the reports' to-date figures run over.</summary>
    public int FiscalYearStartMonth { get; init; } = 1;

    /// <summary>The currency the group figures are consolidated into; null: no consolidation (consolidation.md).</summary>
    public Currency? ReportingCurrency { get; init; }

    /// <summary>Today in the reporting time zone: a month has ended when its last day is before today there.</summary>
    public DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), ReportingTimeZone).DateTime);
}
