using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>A money figure as it is named in every output (JSON, CSV, table, stored rows): the names of metrics.md.</summary>
/// <param name="Name">The figure's name in every output.</param>
/// <param name="Label">Its label in tables and the board pack.</param>
/// <param name="Value">Reads it from figures.</param>
/// <param name="With">Figures like the given ones with this figure set (figures are immutable).</param>
/// <param name="IsBilling">A billing figure, which belongs to contracts, not lines.</param>
public sealed record FigureColumn(string Name, string Label, Func<Figures, decimal> Value, Func<Figures, decimal, Figures> With, bool IsBilling = false);

public static class FigureColumns
{
    public static readonly IReadOnlyList<FigureColumn> All =
    [
        new("tcv", "TCV", f => f.Tcv, (f, v) => f with { Tcv = v }),
        new("recognizedToDate", "Recognized to date", f => f.RecognizedToDate, (f, v) => f with { RecognizedToDate = v }),
        new("billedToDate", "Billed to date", f => f.BilledToDate, (f, v) => f with { BilledToDate = v }, IsBilling: true),
        new("collectedToDate", "Collected to date", f => f.CollectedToDate, (f, v) => f with { CollectedToDate = v }, IsBilling: true),
        new("openingBacklog", "Opening backlog", f => f.OpeningBacklog, (f, v) => f with { OpeningBacklog = v }),
        new("backlogPriorPeriodAdjustment", "Backlog prior-period adjustment", f => f.BacklogPriorPeriodAdjustment, (f, v) => f with { BacklogPriorPeriodAdjustment = v }),
        new("bookings", "Bookings", f => f.Bookings, (f, v) => f with { Bookings = v }),
        new("expansions", "Expansions", f => f.Expansions, (f, v) => f with { Expansions = v }),
        new("contractions", "Contractions", f => f.Contractions, (f, v) => f with { Contractions = v }),
        new("cancellations", "Cancellations", f => f.Cancellations, (f, v) => f with { Cancellations = v }),
        new("revenue", "Revenue", f => f.Revenue, (f, v) => f with { Revenue = v }),
        new("backlog", "Backlog (RPO)", f => f.Backlog, (f, v) => f with { Backlog = v }),
        new("revenueTtm", "Revenue (TTM)", f => f.RevenueTtm, (f, v) => f with { RevenueTtm = v }),
        new("billings", "Billings", f => f.Billings, (f, v) => f with { Billings = v }, IsBilling: true),
        new("collections", "Collections", f => f.Collections, (f, v) => f with { Collections = v }, IsBilling: true),
        new("openingNetContractPosition", "Opening net contract position", f => f.OpeningNetContractPosition, (f, v) => f with { OpeningNetContractPosition = v }, IsBilling: true),
        new("netContractPositionPriorPeriodAdjustment", "Net contract position prior-period adjustment", f => f.NetContractPositionPriorPeriodAdjustment, (f, v) => f with { NetContractPositionPriorPeriodAdjustment = v }, IsBilling: true),
        new("netContractPosition", "Net contract position", f => f.NetContractPosition, (f, v) => f with { NetContractPosition = v }, IsBilling: true),
        new("deferredRevenue", "Deferred revenue", f => f.DeferredRevenue, (f, v) => f with { DeferredRevenue = v }, IsBilling: true),
        new("unbilledReceivable", "Unbilled receivable", f => f.UnbilledReceivable, (f, v) => f with { UnbilledReceivable = v }, IsBilling: true),
        new("rpoCurrent", "RPO current (12 months)", f => f.RpoCurrent, (f, v) => f with { RpoCurrent = v }),
        new("rpoNonCurrent", "RPO non-current", f => f.RpoNonCurrent, (f, v) => f with { RpoNonCurrent = v }),
        new("rpo0To3Months", "RPO 0-3 months", f => f.Rpo0To3Months, (f, v) => f with { Rpo0To3Months = v }),
        new("rpo3To6Months", "RPO 3-6 months", f => f.Rpo3To6Months, (f, v) => f with { Rpo3To6Months = v }),
        new("rpo6To12Months", "RPO 6-12 months", f => f.Rpo6To12Months, (f, v) => f with { Rpo6To12Months = v }),
        new("rpo12To24Months", "RPO 12-24 months", f => f.Rpo12To24Months, (f, v) => f with { Rpo12To24Months = v }),
        new("rpoOver24Months", "RPO over 24 months", f => f.RpoOver24Months, (f, v) => f with { RpoOver24Months = v }),
    ];

    /// <summary>"n/a" when the ratio has no meaningful denominator.</summary>
    public static string FormatRatio(decimal? ratio) =>
        ratio is { } r ? r.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
