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

    // The forward view (forward.md), balances as of the snapshot day, per contract then summed.

    /// <summary>TCV − billed to date.</summary>
    public decimal NotYetBilled { get; init; }

    /// <summary>Billed to date − recognized to date. Backlog = not yet billed + billed not earned.</summary>
    public decimal BilledNotEarned { get; init; }

    /// <summary>Billed to date − collected to date = Σ open invoice balances − unapplied credits.</summary>
    public decimal Receivables { get; init; }

    /// <summary>Payments and credit notes beyond the invoices they could settle (negative after a refund beyond what was paid).</summary>
    public decimal UnappliedCredits { get; init; }

    // Open invoice balances by days past their due date.
    public decimal AgingCurrent { get; init; }
    public decimal AgingDays1To30 { get; init; }
    public decimal AgingDays31To60 { get; init; }
    public decimal AgingDays61To90 { get; init; }
    public decimal AgingOver90 { get; init; }

    /// <summary>Billing the plans called for by the snapshot day that has not been invoiced.</summary>
    public decimal OverdueBilling { get; init; }

    /// <summary>Σ billings forecast: the plans' installments after the snapshot day still to bill.</summary>
    public decimal ForecastBilling { get; init; }

    /// <summary>Not yet billed that no plan schedules (negative when billed beyond the contract value).</summary>
    public decimal UnscheduledBilling { get; init; }

    /// <summary>Backlog of deliveries and milestones whose expected date has passed.</summary>
    public decimal OverdueBacklog { get; init; }

    /// <summary>Annual recurring revenue of the ratable lines in service on the snapshot day.</summary>
    public decimal Arr { get; init; }

    /// <summary>ARR on the same day twelve months earlier, as known then (the base of GRR and NRR).</summary>
    public decimal ArrYearEarlier { get; init; }

    /// <summary>Revenue earned on the deliveries and milestones completed in the period (the weight of the lead time).</summary>
    public decimal CompletionRevenue { get; init; }

    /// <summary>Σ of that revenue × days from the contract's signing to the completion (lead time = this ÷ completion revenue).</summary>
    public decimal CompletionRevenueDays { get; init; }

    /// <summary>Months of revenue the backlog covers; null ("n/a") when the period's revenue is zero or negative.</summary>
    public decimal? BacklogRatio => Ratio(Backlog, Revenue);

    /// <summary>Backlog over the trailing twelve months' revenue; null ("n/a") on a zero or negative denominator.</summary>
    public decimal? BacklogRatioTtm => Ratio(Backlog, RevenueTtm);

    /// <summary>(bookings + expansions − contractions) ÷ billings; null ("n/a") on a zero or negative denominator.</summary>
    public decimal? BookToBill => Ratio(Bookings + Expansions - Contractions, Billings);

    /// <summary>Revenue ÷ opening backlog.</summary>
    public decimal? BacklogConversion => Ratio(Revenue, OpeningBacklog);

    /// <summary>Cancellations ÷ opening backlog.</summary>
    public decimal? CancellationRate => Ratio(Cancellations, OpeningBacklog);

    /// <summary>Days from signing to completion, weighted by the revenue earned on completion, one decimal; null when nothing was completed.</summary>
    public decimal? LeadTimeDays => CompletionRevenue > 0m ? Math.Round(CompletionRevenueDays / CompletionRevenue, 1, MidpointRounding.AwayFromZero) : null;

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
        NotYetBilled = left.NotYetBilled + (sign * right.NotYetBilled),
        BilledNotEarned = left.BilledNotEarned + (sign * right.BilledNotEarned),
        Receivables = left.Receivables + (sign * right.Receivables),
        UnappliedCredits = left.UnappliedCredits + (sign * right.UnappliedCredits),
        AgingCurrent = left.AgingCurrent + (sign * right.AgingCurrent),
        AgingDays1To30 = left.AgingDays1To30 + (sign * right.AgingDays1To30),
        AgingDays31To60 = left.AgingDays31To60 + (sign * right.AgingDays31To60),
        AgingDays61To90 = left.AgingDays61To90 + (sign * right.AgingDays61To90),
        AgingOver90 = left.AgingOver90 + (sign * right.AgingOver90),
        OverdueBilling = left.OverdueBilling + (sign * right.OverdueBilling),
        ForecastBilling = left.ForecastBilling + (sign * right.ForecastBilling),
        UnscheduledBilling = left.UnscheduledBilling + (sign * right.UnscheduledBilling),
        OverdueBacklog = left.OverdueBacklog + (sign * right.OverdueBacklog),
        Arr = left.Arr + (sign * right.Arr),
        ArrYearEarlier = left.ArrYearEarlier + (sign * right.ArrYearEarlier),
        CompletionRevenue = left.CompletionRevenue + (sign * right.CompletionRevenue),
        CompletionRevenueDays = left.CompletionRevenueDays + (sign * right.CompletionRevenueDays),
    };
}
