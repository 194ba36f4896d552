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
/// the period's last day and flows over the period. Figures in one instance share one currency. Immutable: a
/// total is the sum (<c>+</c>) of its parts, a change is a copy (<c>with</c>).
/// </summary>
public sealed record Figures
{
    /// <summary>Nothing: the start of every sum.</summary>
    public static Figures Zero { get; } = new();

    // Balances as of the snapshot day.
    public decimal Tcv { get; init; }
    public decimal RecognizedToDate { get; init; }
    public decimal BilledToDate { get; init; }
    public decimal CollectedToDate { get; init; }
    public decimal Backlog { get; init; }
    public decimal DeferredRevenue { get; init; }
    public decimal UnbilledReceivable { get; init; }

    /// <summary>Deferred revenue − unbilled receivable (contract liability net of contract asset).</summary>
    public decimal NetContractPosition { get; init; }

    // Opening balances (as of the day before the period; the stored closing when that period is locked).
    public decimal OpeningBacklog { get; init; }
    public decimal OpeningNetContractPosition { get; init; }

    /// <summary>
    /// What events that arrived after the previous period was locked changed in its closing backlog: their own
    /// line in the roll-forward of the first open period (zero when the previous period is not locked).
    /// </summary>
    public decimal BacklogPriorPeriodAdjustment { get; init; }

    /// <summary>The same for the net contract position.</summary>
    public decimal NetContractPositionPriorPeriodAdjustment { get; init; }

    // Flows over the period.
    public decimal Bookings { get; init; }
    public decimal Expansions { get; init; }
    public decimal Contractions { get; init; }
    public decimal Cancellations { get; init; }
    public decimal Revenue { get; init; }
    public decimal Billings { get; init; }
    public decimal Collections { get; init; }

    /// <summary>Revenue of the twelve months ending on the snapshot day.</summary>
    public decimal RevenueTtm { get; init; }

    // When the backlog is expected to be recognized.
    public decimal RpoCurrent { get; init; }
    public decimal RpoNonCurrent { get; init; }
    public decimal Rpo0To3Months { get; init; }
    public decimal Rpo3To6Months { get; init; }
    public decimal Rpo6To12Months { get; init; }
    public decimal Rpo12To24Months { get; init; }
    public decimal RpoOver24Months { get; init; }

    /// <summary>
    /// The flow that moves the net contract position: billings under the billed basis, collections under the
    /// collected basis.
    /// </summary>
    public decimal ContractPositionInflow { get; init; }

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

    public static Figures operator +(Figures left, Figures right) => Combine(left, right, 1m);

    public static Figures operator -(Figures left, Figures right) => Combine(left, right, -1m);

    /// <summary>The sum of two figures (the operator <c>+</c>).</summary>
    public static Figures Add(Figures left, Figures right) => Combine(left, right, 1m);

    /// <summary>The difference of two figures (the operator <c>-</c>).</summary>
    public static Figures Subtract(Figures left, Figures right) => Combine(left, right, -1m);

    private static Figures Combine(Figures left, Figures right, decimal sign) => new()
    {
        Tcv = left.Tcv + (sign * right.Tcv),
        RecognizedToDate = left.RecognizedToDate + (sign * right.RecognizedToDate),
        BilledToDate = left.BilledToDate + (sign * right.BilledToDate),
        CollectedToDate = left.CollectedToDate + (sign * right.CollectedToDate),
        Backlog = left.Backlog + (sign * right.Backlog),
        DeferredRevenue = left.DeferredRevenue + (sign * right.DeferredRevenue),
        UnbilledReceivable = left.UnbilledReceivable + (sign * right.UnbilledReceivable),
        NetContractPosition = left.NetContractPosition + (sign * right.NetContractPosition),
        OpeningBacklog = left.OpeningBacklog + (sign * right.OpeningBacklog),
        OpeningNetContractPosition = left.OpeningNetContractPosition + (sign * right.OpeningNetContractPosition),
        BacklogPriorPeriodAdjustment = left.BacklogPriorPeriodAdjustment + (sign * right.BacklogPriorPeriodAdjustment),
        NetContractPositionPriorPeriodAdjustment = left.NetContractPositionPriorPeriodAdjustment + (sign * right.NetContractPositionPriorPeriodAdjustment),
        Bookings = left.Bookings + (sign * right.Bookings),
        Expansions = left.Expansions + (sign * right.Expansions),
        Contractions = left.Contractions + (sign * right.Contractions),
        Cancellations = left.Cancellations + (sign * right.Cancellations),
        Revenue = left.Revenue + (sign * right.Revenue),
        Billings = left.Billings + (sign * right.Billings),
        Collections = left.Collections + (sign * right.Collections),
        RevenueTtm = left.RevenueTtm + (sign * right.RevenueTtm),
        RpoCurrent = left.RpoCurrent + (sign * right.RpoCurrent),
        RpoNonCurrent = left.RpoNonCurrent + (sign * right.RpoNonCurrent),
        Rpo0To3Months = left.Rpo0To3Months + (sign * right.Rpo0To3Months),
        Rpo3To6Months = left.Rpo3To6Months + (sign * right.Rpo3To6Months),
        Rpo6To12Months = left.Rpo6To12Months + (sign * right.Rpo6To12Months),
        Rpo12To24Months = left.Rpo12To24Months + (sign * right.Rpo12To24Months),
        RpoOver24Months = left.RpoOver24Months + (sign * right.RpoOver24Months),
        ContractPositionInflow = left.ContractPositionInflow + (sign * right.ContractPositionInflow),
    };
}
