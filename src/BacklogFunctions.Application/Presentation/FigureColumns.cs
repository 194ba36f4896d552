using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>A money figure as it is named in every output (JSON, CSV, table): the names of metrics.md.</summary>
public sealed record FigureColumn(string Name, string Label, Func<Figures, decimal> Value, bool IsBilling = false);

public static class FigureColumns
{
    public static readonly IReadOnlyList<FigureColumn> All =
    [
        new("tcv", "TCV", f => f.Tcv),
        new("recognizedToDate", "Recognized to date", f => f.RecognizedToDate),
        new("billedToDate", "Billed to date", f => f.BilledToDate, IsBilling: true),
        new("collectedToDate", "Collected to date", f => f.CollectedToDate, IsBilling: true),
        new("openingBacklog", "Opening backlog", f => f.OpeningBacklog),
        new("backlogPriorPeriodAdjustment", "Backlog prior-period adjustment", f => f.BacklogPriorPeriodAdjustment),
        new("bookings", "Bookings", f => f.Bookings),
        new("expansions", "Expansions", f => f.Expansions),
        new("contractions", "Contractions", f => f.Contractions),
        new("cancellations", "Cancellations", f => f.Cancellations),
        new("revenue", "Revenue", f => f.Revenue),
        new("backlog", "Backlog (RPO)", f => f.Backlog),
        new("revenueTtm", "Revenue (TTM)", f => f.RevenueTtm),
        new("billings", "Billings", f => f.Billings, IsBilling: true),
        new("collections", "Collections", f => f.Collections, IsBilling: true),
        new("openingNetContractPosition", "Opening net contract position", f => f.OpeningNetContractPosition, IsBilling: true),
        new("netContractPositionPriorPeriodAdjustment", "Net contract position prior-period adjustment", f => f.NetContractPositionPriorPeriodAdjustment, IsBilling: true),
        new("netContractPosition", "Net contract position", f => f.NetContractPosition, IsBilling: true),
        new("deferredRevenue", "Deferred revenue", f => f.DeferredRevenue, IsBilling: true),
        new("unbilledReceivable", "Unbilled receivable", f => f.UnbilledReceivable, IsBilling: true),
        new("rpoCurrent", "RPO current (12 months)", f => f.RpoCurrent),
        new("rpoNonCurrent", "RPO non-current", f => f.RpoNonCurrent),
        new("rpo0To3Months", "RPO 0-3 months", f => f.Rpo0To3Months),
        new("rpo3To6Months", "RPO 3-6 months", f => f.Rpo3To6Months),
        new("rpo6To12Months", "RPO 6-12 months", f => f.Rpo6To12Months),
        new("rpo12To24Months", "RPO 12-24 months", f => f.Rpo12To24Months),
        new("rpoOver24Months", "RPO over 24 months", f => f.RpoOver24Months),
    ];

    /// <summary>"n/a" when the ratio has no meaningful denominator.</summary>
    public static string FormatRatio(decimal? ratio) =>
        ratio is { } r ? r.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
