using BacklogFunctions.Application.Close;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Consolidation;

/// <summary>
/// The group figures of a close (consolidation.md): with a reporting currency set, every closed version carries its
/// consolidated view — or the rates it lacks — and the rates it used. The rates are those stored when the close
/// runs; a month opens at the closing rates its previous month's latest version recorded, so the consolidated
/// roll-forwards of consecutive months chain even when a rate was superseded in between. Later rates change a
/// closed version only through a restatement.
/// </summary>
public sealed class GroupFigures(IFxRateStore store, ISnapshotQueries snapshots, CloseSettings settings)
{
    /// <summary>The name of the consolidated figures among a restatement's differences (in place of a contract id).</summary>
    public const string DifferencesKey = "(consolidated)";

    /// <summary>Every stored rate into the reporting currency; null without a reporting currency (no consolidation).</summary>
    public async Task<FxRates?> RatesAsync(CancellationToken cancellationToken)
    {
        if (settings.ReportingCurrency is not { } reporting)
        {
            return null;
        }

        var stored = await store.ReadAsync(reporting, null, null, cancellationToken).ConfigureAwait(false);
        return new FxRates(reporting, stored.Select(s => s.Rate));
    }

    /// <summary>The closing rates the version <paramref name="previous"/> recorded, when it has a consolidated view in the same reporting currency.</summary>
    public async Task<IReadOnlyDictionary<Currency, decimal>?> OpeningRatesAsync(ClosedPeriod? previous, CancellationToken cancellationToken)
    {
        if (previous is null || settings.ReportingCurrency is null)
        {
            return null;
        }

        var stored = await snapshots.ReadSnapshotDocumentAsync(previous.Period, previous.Version, cancellationToken).ConfigureAwait(false);
        return ClosingRatesOf(stored?.Document.Consolidated?.ToConsolidated(), settings.ReportingCurrency);
    }

    /// <summary>The snapshot with its consolidated view; unchanged without rates (no reporting currency).</summary>
    public static Snapshot With(Snapshot snapshot, FxRates? rates, IReadOnlyDictionary<Currency, decimal>? openingRates) =>
        rates is null ? snapshot : snapshot with { Consolidated = Consolidator.Of(snapshot, rates, openingRates) };

    /// <summary>The closing rates of a consolidated view in <paramref name="reporting"/>: where the next month opens.</summary>
    public static IReadOnlyDictionary<Currency, decimal>? ClosingRatesOf(Consolidated? consolidated, Currency? reporting) =>
        consolidated?.View is { } view && view.Currency == reporting ? view.Rates.ToDictionary(r => r.Currency, r => r.Closing) : null;

    /// <summary>
    /// What a restatement changed in the group figures, as differences of <see cref="DifferencesKey"/>: every
    /// consolidated figure and both FX effects (a view that appears or disappears compares with zeros).
    /// </summary>
    public static IReadOnlyList<FigureDifference> Differences(Consolidated? before, Consolidated? after)
    {
        if ((after ?? before)?.Currency is not { } currency || (before?.View is null && after?.View is null))
        {
            return [];
        }

        var differences = new List<FigureDifference>();
        var was = before?.View;
        var @is = after?.View;
        var named = Presentation.FigureColumns.All
            .Select(c => (c.Name, Before: was is null ? 0m : c.Value(was.Figures), After: @is is null ? 0m : c.Value(@is.Figures)))
            .Append(("fxEffectBacklog", was?.FxEffectBacklog ?? 0m, @is?.FxEffectBacklog ?? 0m))
            .Append(("fxEffectNetContractPosition", was?.FxEffectNetContractPosition ?? 0m, @is?.FxEffectNetContractPosition ?? 0m))
            .OrderBy(d => d.Item1, StringComparer.Ordinal);
        foreach (var (name, old, now) in named)
        {
            if (old != now)
            {
                differences.Add(new FigureDifference(DifferencesKey, currency.Code, name, old, now));
            }
        }

        return differences;
    }
}
