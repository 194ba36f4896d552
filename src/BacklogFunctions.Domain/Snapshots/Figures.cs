namespace BacklogFunctions.Domain.Snapshots;

/// <summary>Which balance deferred revenue and the contract asset are measured against.</summary>
public enum DeferredBasis
{
    /// <summary>Invoiced amounts (the default): deferred = billed − recognized.</summary>
    Billed,

    /// <summary>Cash received: deferred = collected − recognized.</summary>
    Collected,
}

/// <summary>The policy choices of metrics.md, with their defaults.</summary>
public sealed record SnapshotOptions
{
    public static readonly SnapshotOptions Default = new();

    public Recognition.ProrationPolicy Proration { get; init; } = Recognition.ProrationPolicy.Daily;

    public DeferredBasis DeferredBasis { get; init; } = DeferredBasis.Billed;
}

/// <summary>
/// The additive money figures of one contract, line, segment or currency total for one period: balances as of
/// the period's last day and flows over the period. Figures in one instance share one currency.
/// </summary>
public sealed class Figures
{
    // Balances as of the snapshot day.
    public decimal Tcv { get; set; }
    public decimal RecognizedToDate { get; set; }
    public decimal BilledToDate { get; set; }
    public decimal CollectedToDate { get; set; }
    public decimal Backlog { get; set; }
    public decimal DeferredRevenue { get; set; }
    public decimal UnbilledReceivable { get; set; }

    /// <summary>Deferred revenue − unbilled receivable (contract liability net of contract asset).</summary>
    public decimal NetContractPosition { get; set; }

    // Opening balances (as of the day before the period; the stored closing when that period is locked).
    public decimal OpeningBacklog { get; set; }
    public decimal OpeningNetContractPosition { get; set; }

    /// <summary>
    /// What events that arrived after the previous period was locked changed in its closing backlog: their own
    /// line in the roll-forward of the first open period (zero when the previous period is not locked).
    /// </summary>
    public decimal BacklogPriorPeriodAdjustment { get; set; }

    /// <summary>The same for the net contract position.</summary>
    public decimal NetContractPositionPriorPeriodAdjustment { get; set; }

    // Flows over the period.
    public decimal Bookings { get; set; }
    public decimal Expansions { get; set; }
    public decimal Contractions { get; set; }
    public decimal Cancellations { get; set; }
    public decimal Revenue { get; set; }
    public decimal Billings { get; set; }
    public decimal Collections { get; set; }

    /// <summary>Revenue of the twelve months ending on the snapshot day.</summary>
    public decimal RevenueTtm { get; set; }

    // When the backlog is expected to be recognized.
    public decimal RpoCurrent { get; set; }
    public decimal RpoNonCurrent { get; set; }
    public decimal Rpo0To3Months { get; set; }
    public decimal Rpo3To6Months { get; set; }
    public decimal Rpo6To12Months { get; set; }
    public decimal Rpo12To24Months { get; set; }
    public decimal RpoOver24Months { get; set; }

    /// <summary>
    /// The flow that moves the net contract position: billings under the billed basis, collections under the
    /// collected basis.
    /// </summary>
    public decimal ContractPositionInflow { get; set; }

    /// <summary>Months of revenue the backlog covers; null ("n/a") when the period's revenue is zero or negative.</summary>
    public decimal? BacklogRatio => Ratio(Backlog, Revenue);

    /// <summary>Backlog over the trailing twelve months' revenue; null ("n/a") on a zero or negative denominator.</summary>
    public decimal? BacklogRatioTtm => Ratio(Backlog, RevenueTtm);

    /// <summary>opening + prior-period adjustments + bookings + expansions − contractions − cancellations − revenue − closing; zero when it ties.</summary>
    public decimal BacklogRollForwardDifference =>
        OpeningBacklog + BacklogPriorPeriodAdjustment + Bookings + Expansions - Contractions - Cancellations - Revenue - Backlog;

    /// <summary>opening + prior-period adjustments + billings (or collections) − revenue − closing; zero when it ties.</summary>
    public decimal NetContractPositionRollForwardDifference =>
        OpeningNetContractPosition + NetContractPositionPriorPeriodAdjustment + ContractPositionInflow - Revenue - NetContractPosition;

    /// <summary>Nothing at all: no contract value, revenue, billing, collection or opening balance.</summary>
    public bool IsZero =>
        Tcv == 0m && RecognizedToDate == 0m && BilledToDate == 0m && CollectedToDate == 0m && Revenue == 0m && RevenueTtm == 0m &&
        Billings == 0m && Collections == 0m && OpeningBacklog == 0m && OpeningNetContractPosition == 0m &&
        BacklogPriorPeriodAdjustment == 0m && NetContractPositionPriorPeriodAdjustment == 0m && Cancellations == 0m;

    public static decimal? Ratio(decimal numerator, decimal denominator) =>
        denominator > 0m ? Math.Round(numerator / denominator, 4, MidpointRounding.AwayFromZero) : null;

    public void Add(Figures other) => Accumulate(other, 1m);

    public void Subtract(Figures other) => Accumulate(other, -1m);

    private void Accumulate(Figures other, decimal sign)
    {
        Tcv += sign * other.Tcv;
        RecognizedToDate += sign * other.RecognizedToDate;
        BilledToDate += sign * other.BilledToDate;
        CollectedToDate += sign * other.CollectedToDate;
        Backlog += sign * other.Backlog;
        DeferredRevenue += sign * other.DeferredRevenue;
        UnbilledReceivable += sign * other.UnbilledReceivable;
        NetContractPosition += sign * other.NetContractPosition;
        OpeningBacklog += sign * other.OpeningBacklog;
        OpeningNetContractPosition += sign * other.OpeningNetContractPosition;
        BacklogPriorPeriodAdjustment += sign * other.BacklogPriorPeriodAdjustment;
        NetContractPositionPriorPeriodAdjustment += sign * other.NetContractPositionPriorPeriodAdjustment;
        Bookings += sign * other.Bookings;
        Expansions += sign * other.Expansions;
        Contractions += sign * other.Contractions;
        Cancellations += sign * other.Cancellations;
        Revenue += sign * other.Revenue;
        Billings += sign * other.Billings;
        Collections += sign * other.Collections;
        RevenueTtm += sign * other.RevenueTtm;
        RpoCurrent += sign * other.RpoCurrent;
        RpoNonCurrent += sign * other.RpoNonCurrent;
        Rpo0To3Months += sign * other.Rpo0To3Months;
        Rpo3To6Months += sign * other.Rpo3To6Months;
        Rpo6To12Months += sign * other.Rpo6To12Months;
        Rpo12To24Months += sign * other.Rpo12To24Months;
        RpoOver24Months += sign * other.RpoOver24Months;
        ContractPositionInflow += sign * other.ContractPositionInflow;
    }
}
