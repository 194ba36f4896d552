using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>A money figure as it is named in every output (JSON, CSV, table, stored rows): the names of metrics.md.</summary>
/// <param name="Name">The figure's name in every output.</param>
/// <param name="Label">Its label in tables and the board pack.</param>
/// <param name="Value">Reads it from figures.</param>
/// <param name="With">Figures like the given ones with this figure set (figures are immutable).</param>
/// <param name="IsBilling">A figure of the contract as a whole (billing, the forward view), never of its lines.</param>
/// <param name="Group">In JSON documents, the object the figure is a member of (<c>receivablesAging</c>); null when it stands alone.</param>
/// <param name="Member">Its member name in that object.</param>
public sealed record FigureColumn(
    string Name,
    string Label,
    Func<Figures, decimal> Value,
    Func<Figures, decimal, Figures> With,
    bool IsBilling = false,
    string? Group = null,
    string? Member = null);

public static class FigureColumns
{
    /// <summary>The JSON object of the open invoice balances by age (forward.md).</summary>
    public const string ReceivablesAging = "receivablesAging";

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
        new("usageBeyondCommitments", "Usage beyond commitments", f => f.UsageBeyondCommitments, (f, v) => f with { UsageBeyondCommitments = v }),
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
        new("notYetBilled", "Not yet billed", f => f.NotYetBilled, (f, v) => f with { NotYetBilled = v }, IsBilling: true),
        new("billedNotEarned", "Billed not earned", f => f.BilledNotEarned, (f, v) => f with { BilledNotEarned = v }, IsBilling: true),
        new("receivables", "Receivables", f => f.Receivables, (f, v) => f with { Receivables = v }, IsBilling: true),
        new("unappliedCredits", "Unapplied credits", f => f.UnappliedCredits, (f, v) => f with { UnappliedCredits = v }, IsBilling: true),
        new("receivablesCurrent", "Receivables current", f => f.AgingCurrent, (f, v) => f with { AgingCurrent = v }, IsBilling: true, Group: ReceivablesAging, Member: "current"),
        new("receivablesDays1To30", "Receivables 1-30 days", f => f.AgingDays1To30, (f, v) => f with { AgingDays1To30 = v }, IsBilling: true, Group: ReceivablesAging, Member: "days1To30"),
        new("receivablesDays31To60", "Receivables 31-60 days", f => f.AgingDays31To60, (f, v) => f with { AgingDays31To60 = v }, IsBilling: true, Group: ReceivablesAging, Member: "days31To60"),
        new("receivablesDays61To90", "Receivables 61-90 days", f => f.AgingDays61To90, (f, v) => f with { AgingDays61To90 = v }, IsBilling: true, Group: ReceivablesAging, Member: "days61To90"),
        new("receivablesOver90", "Receivables over 90 days", f => f.AgingOver90, (f, v) => f with { AgingOver90 = v }, IsBilling: true, Group: ReceivablesAging, Member: "over90"),
        new("overdueBilling", "Overdue billing", f => f.OverdueBilling, (f, v) => f with { OverdueBilling = v }, IsBilling: true),
        new("forecastBilling", "Billings forecast", f => f.ForecastBilling, (f, v) => f with { ForecastBilling = v }, IsBilling: true),
        new("unscheduledBilling", "Unscheduled billing", f => f.UnscheduledBilling, (f, v) => f with { UnscheduledBilling = v }, IsBilling: true),
        new("overdueBacklog", "Overdue backlog", f => f.OverdueBacklog, (f, v) => f with { OverdueBacklog = v }, IsBilling: true),
        new("arr", "ARR", f => f.Arr, (f, v) => f with { Arr = v }, IsBilling: true),
        new("arrYearEarlier", "ARR a year earlier", f => f.ArrYearEarlier, (f, v) => f with { ArrYearEarlier = v }, IsBilling: true),
        new("completionRevenue", "Revenue on completion", f => f.CompletionRevenue, (f, v) => f with { CompletionRevenue = v }, IsBilling: true),
        new("completionRevenueDays", "Revenue on completion × days from signing", f => f.CompletionRevenueDays, (f, v) => f with { CompletionRevenueDays = v }, IsBilling: true),
    ];

    /// <summary>A figure by its name.</summary>
    public static FigureColumn Named(string name) =>
        All.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"no figure is named '{name}'", nameof(name));

    /// <summary>What outputs write for a value that is not available.</summary>
    public const string NotAvailable = "n/a";

    /// <summary>"n/a" when the ratio has no meaningful denominator.</summary>
    public static string FormatRatio(decimal? ratio) =>
        ratio is { } r ? r.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A KPI ratio as the JSON documents carry it: four decimals, or "n/a".</summary>
    public static string FormatKpi(decimal? ratio) =>
        ratio is { } r ? r.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Days with one decimal, or "n/a".</summary>
    public static string FormatDays(decimal? days) =>
        days is { } d ? d.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Reads what <see cref="FormatKpi"/> or <see cref="FormatDays"/> wrote.</summary>
    public static decimal? ParseRatio(string? text) =>
        text is null or "n/a" ? null : decimal.Parse(text, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture);
}
