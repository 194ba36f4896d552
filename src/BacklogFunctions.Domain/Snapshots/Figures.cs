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

    /// <summary>Fraction digits a progress line's ratio is rounded to before use (0-10); null (the default) for the exact ratio.</summary>
    public int? ProgressDecimals { get; init; }
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

    // Backing fields, so that a sum owned by one builder can grow in place (AddInPlace) instead of allocating.
    private decimal _tcv;
    private decimal _recognizedToDate;
    private decimal _billedToDate;
    private decimal _collectedToDate;
    private decimal _backlog;
    private decimal _deferredRevenue;
    private decimal _unbilledReceivable;
    private decimal _netContractPosition;
    private decimal _openingBacklog;
    private decimal _openingNetContractPosition;
    private decimal _backlogPriorPeriodAdjustment;
    private decimal _netContractPositionPriorPeriodAdjustment;
    private decimal _bookings;
    private decimal _expansions;
    private decimal _contractions;
    private decimal _cancellations;
    private decimal _usageBeyondCommitments;
    private decimal _revenue;
    private decimal _billings;
    private decimal _collections;
    private decimal _revenueTtm;
    private decimal _rpoCurrent;
    private decimal _rpoNonCurrent;
    private decimal _rpo0To3Months;
    private decimal _rpo3To6Months;
    private decimal _rpo6To12Months;
    private decimal _rpo12To24Months;
    private decimal _rpoOver24Months;
    private decimal _contractPositionInflow;
    private decimal _notYetBilled;
    private decimal _billedNotEarned;
    private decimal _receivables;
    private decimal _unappliedCredits;
    private decimal _agingCurrent;
    private decimal _agingDays1To30;
    private decimal _agingDays31To60;
    private decimal _agingDays61To90;
    private decimal _agingOver90;
    private decimal _overdueBilling;
    private decimal _forecastBilling;
    private decimal _unscheduledBilling;
    private decimal _overdueBacklog;
    private decimal _arr;
    private decimal _arrYearEarlier;
    private decimal _completionRevenue;
    private decimal _completionRevenueDays;


    // Balances as of the snapshot day.
    public decimal Tcv { get => _tcv; init => _tcv = value; }
    public decimal RecognizedToDate { get => _recognizedToDate; init => _recognizedToDate = value; }
    public decimal BilledToDate { get => _billedToDate; init => _billedToDate = value; }
    public decimal CollectedToDate { get => _collectedToDate; init => _collectedToDate = value; }
    public decimal Backlog { get => _backlog; init => _backlog = value; }
    public decimal DeferredRevenue { get => _deferredRevenue; init => _deferredRevenue = value; }
    public decimal UnbilledReceivable { get => _unbilledReceivable; init => _unbilledReceivable = value; }

    /// <summary>Deferred revenue − unbilled receivable (contract liability net of contract asset).</summary>
    public decimal NetContractPosition { get => _netContractPosition; init => _netContractPosition = value; }

    // Opening balances (as of the day before the period; the stored closing when that period is locked).
    public decimal OpeningBacklog { get => _openingBacklog; init => _openingBacklog = value; }
    public decimal OpeningNetContractPosition { get => _openingNetContractPosition; init => _openingNetContractPosition = value; }

    /// <summary>
    /// What events that arrived after the previous period was locked changed in its closing backlog: their own
    /// line in the roll-forward of the first open period (zero when the previous period is not locked).
    /// </summary>
    public decimal BacklogPriorPeriodAdjustment { get => _backlogPriorPeriodAdjustment; init => _backlogPriorPeriodAdjustment = value; }

    /// <summary>The same for the net contract position.</summary>
    public decimal NetContractPositionPriorPeriodAdjustment { get => _netContractPositionPriorPeriodAdjustment; init => _netContractPositionPriorPeriodAdjustment = value; }

    // Flows over the period.
    public decimal Bookings { get => _bookings; init => _bookings = value; }
    public decimal Expansions { get => _expansions; init => _expansions = value; }
    public decimal Contractions { get => _contractions; init => _contractions = value; }
    public decimal Cancellations { get => _cancellations; init => _cancellations = value; }

    /// <summary>Revenue of usage lines earned above a commitment, or on a usage line without one: it never was backlog.</summary>
    public decimal UsageBeyondCommitments { get => _usageBeyondCommitments; init => _usageBeyondCommitments = value; }
    public decimal Revenue { get => _revenue; init => _revenue = value; }
    public decimal Billings { get => _billings; init => _billings = value; }
    public decimal Collections { get => _collections; init => _collections = value; }

    /// <summary>Revenue of the twelve months ending on the snapshot day.</summary>
    public decimal RevenueTtm { get => _revenueTtm; init => _revenueTtm = value; }

    // When the backlog is expected to be recognized.
    public decimal RpoCurrent { get => _rpoCurrent; init => _rpoCurrent = value; }
    public decimal RpoNonCurrent { get => _rpoNonCurrent; init => _rpoNonCurrent = value; }
    public decimal Rpo0To3Months { get => _rpo0To3Months; init => _rpo0To3Months = value; }
    public decimal Rpo3To6Months { get => _rpo3To6Months; init => _rpo3To6Months = value; }
    public decimal Rpo6To12Months { get => _rpo6To12Months; init => _rpo6To12Months = value; }
    public decimal Rpo12To24Months { get => _rpo12To24Months; init => _rpo12To24Months = value; }
    public decimal RpoOver24Months { get => _rpoOver24Months; init => _rpoOver24Months = value; }

    /// <summary>
    /// The flow that moves the net contract position: billings under the billed basis, collections under the
    /// collected basis.
    /// </summary>
    public decimal ContractPositionInflow { get => _contractPositionInflow; init => _contractPositionInflow = value; }

    // The forward view (forward.md), balances as of the snapshot day, per contract then summed.

    /// <summary>TCV − billed to date.</summary>
    public decimal NotYetBilled { get => _notYetBilled; init => _notYetBilled = value; }

    /// <summary>Billed to date − recognized to date. Backlog = not yet billed + billed not earned.</summary>
    public decimal BilledNotEarned { get => _billedNotEarned; init => _billedNotEarned = value; }

    /// <summary>Billed to date − collected to date = Σ open invoice balances − unapplied credits.</summary>
    public decimal Receivables { get => _receivables; init => _receivables = value; }

    /// <summary>Payments and credit notes beyond the invoices they could settle (negative after a refund beyond what was paid).</summary>
    public decimal UnappliedCredits { get => _unappliedCredits; init => _unappliedCredits = value; }

    // Open invoice balances by days past their due date.
    public decimal AgingCurrent { get => _agingCurrent; init => _agingCurrent = value; }
    public decimal AgingDays1To30 { get => _agingDays1To30; init => _agingDays1To30 = value; }
    public decimal AgingDays31To60 { get => _agingDays31To60; init => _agingDays31To60 = value; }
    public decimal AgingDays61To90 { get => _agingDays61To90; init => _agingDays61To90 = value; }
    public decimal AgingOver90 { get => _agingOver90; init => _agingOver90 = value; }

    /// <summary>Billing the plans called for by the snapshot day that has not been invoiced.</summary>
    public decimal OverdueBilling { get => _overdueBilling; init => _overdueBilling = value; }

    /// <summary>Σ billings forecast: the plans' installments after the snapshot day still to bill.</summary>
    public decimal ForecastBilling { get => _forecastBilling; init => _forecastBilling = value; }

    /// <summary>Not yet billed that no plan schedules (negative when billed beyond the contract value).</summary>
    public decimal UnscheduledBilling { get => _unscheduledBilling; init => _unscheduledBilling = value; }

    /// <summary>Backlog of deliveries and milestones whose expected date has passed.</summary>
    public decimal OverdueBacklog { get => _overdueBacklog; init => _overdueBacklog = value; }

    /// <summary>Annual recurring revenue of the ratable lines in service on the snapshot day.</summary>
    public decimal Arr { get => _arr; init => _arr = value; }

    /// <summary>ARR on the same day twelve months earlier, as known then (the base of GRR and NRR).</summary>
    public decimal ArrYearEarlier { get => _arrYearEarlier; init => _arrYearEarlier = value; }

    /// <summary>Revenue earned on the deliveries and milestones completed in the period (the weight of the lead time).</summary>
    public decimal CompletionRevenue { get => _completionRevenue; init => _completionRevenue = value; }

    /// <summary>Σ of that revenue × days from the contract's signing to the completion (lead time = this ÷ completion revenue).</summary>
    public decimal CompletionRevenueDays { get => _completionRevenueDays; init => _completionRevenueDays = value; }

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

    /// <summary>opening + prior-period adjustments + bookings + expansions − contractions − cancellations − revenue + usage beyond commitments − closing; zero when it ties.</summary>
    public decimal BacklogRollForwardDifference =>
        OpeningBacklog + BacklogPriorPeriodAdjustment + Bookings + Expansions - Contractions - Cancellations - Revenue + UsageBeyondCommitments - Backlog;

    /// <summary>opening + prior-period adjustments + billings (or collections) − revenue − closing; zero when it ties.</summary>
    public decimal NetContractPositionRollForwardDifference =>
        OpeningNetContractPosition + NetContractPositionPriorPeriodAdjustment + ContractPositionInflow - Revenue - NetContractPosition;

    /// <summary>Nothing at all: no contract value, revenue, billing, collection or opening balance.</summary>
    public bool IsZero =>
        Tcv == 0m && RecognizedToDate == 0m && BilledToDate == 0m && CollectedToDate == 0m && Revenue == 0m && RevenueTtm == 0m &&
        Billings == 0m && Collections == 0m && OpeningBacklog == 0m && OpeningNetContractPosition == 0m &&
        BacklogPriorPeriodAdjustment == 0m && NetContractPositionPriorPeriodAdjustment == 0m && Cancellations == 0m && UsageBeyondCommitments == 0m;

    public static decimal? Ratio(decimal numerator, decimal denominator) =>
        denominator > 0m ? Math.Round(numerator / denominator, 4, MidpointRounding.AwayFromZero) : null;

    public static Figures operator +(Figures left, Figures right) => Sum(left, right);

    public static Figures operator -(Figures left, Figures right) => Difference(left, right);

    /// <summary>The sum of two figures (the operator <c>+</c>).</summary>
    public static Figures Add(Figures left, Figures right) => Sum(left, right);

    /// <summary>The difference of two figures (the operator <c>-</c>).</summary>
    public static Figures Subtract(Figures left, Figures right) => Difference(left, right);

    /// <summary>
    /// Every figure converted by its kind: <paramref name="balance"/> for the balances as of the snapshot day (TTM
    /// revenue and ARR a year earlier among them), <paramref name="opening"/> for the opening balances,
    /// <paramref name="flow"/> for the flows over the period (consolidation.md translates each kind at its rate).
    /// </summary>
    public Figures Convert(Func<decimal, decimal> balance, Func<decimal, decimal> opening, Func<decimal, decimal> flow) => new()
    {
        Tcv = balance(Tcv),
        RecognizedToDate = balance(RecognizedToDate),
        BilledToDate = balance(BilledToDate),
        CollectedToDate = balance(CollectedToDate),
        Backlog = balance(Backlog),
        DeferredRevenue = balance(DeferredRevenue),
        UnbilledReceivable = balance(UnbilledReceivable),
        NetContractPosition = balance(NetContractPosition),
        OpeningBacklog = opening(OpeningBacklog),
        OpeningNetContractPosition = opening(OpeningNetContractPosition),
        BacklogPriorPeriodAdjustment = flow(BacklogPriorPeriodAdjustment),
        NetContractPositionPriorPeriodAdjustment = flow(NetContractPositionPriorPeriodAdjustment),
        Bookings = flow(Bookings),
        Expansions = flow(Expansions),
        Contractions = flow(Contractions),
        Cancellations = flow(Cancellations),
        UsageBeyondCommitments = flow(UsageBeyondCommitments),
        Revenue = flow(Revenue),
        Billings = flow(Billings),
        Collections = flow(Collections),
        RevenueTtm = balance(RevenueTtm),
        RpoCurrent = balance(RpoCurrent),
        RpoNonCurrent = balance(RpoNonCurrent),
        Rpo0To3Months = balance(Rpo0To3Months),
        Rpo3To6Months = balance(Rpo3To6Months),
        Rpo6To12Months = balance(Rpo6To12Months),
        Rpo12To24Months = balance(Rpo12To24Months),
        RpoOver24Months = balance(RpoOver24Months),
        ContractPositionInflow = flow(ContractPositionInflow),
        NotYetBilled = balance(NotYetBilled),
        BilledNotEarned = balance(BilledNotEarned),
        Receivables = balance(Receivables),
        UnappliedCredits = balance(UnappliedCredits),
        AgingCurrent = balance(AgingCurrent),
        AgingDays1To30 = balance(AgingDays1To30),
        AgingDays31To60 = balance(AgingDays31To60),
        AgingDays61To90 = balance(AgingDays61To90),
        AgingOver90 = balance(AgingOver90),
        OverdueBilling = balance(OverdueBilling),
        ForecastBilling = balance(ForecastBilling),
        UnscheduledBilling = balance(UnscheduledBilling),
        OverdueBacklog = balance(OverdueBacklog),
        Arr = balance(Arr),
        ArrYearEarlier = balance(ArrYearEarlier),
        CompletionRevenue = flow(CompletionRevenue),
        CompletionRevenueDays = flow(CompletionRevenueDays),
    };

    /// <summary>
    /// Adds <paramref name="other"/> to these figures in place: only for a sum that one builder owns and has not
    /// handed out yet (every published figure stays immutable).
    /// </summary>
    internal void AddInPlace(Figures other)
    {
        _tcv += other._tcv;
        _recognizedToDate += other._recognizedToDate;
        _billedToDate += other._billedToDate;
        _collectedToDate += other._collectedToDate;
        _backlog += other._backlog;
        _deferredRevenue += other._deferredRevenue;
        _unbilledReceivable += other._unbilledReceivable;
        _netContractPosition += other._netContractPosition;
        _openingBacklog += other._openingBacklog;
        _openingNetContractPosition += other._openingNetContractPosition;
        _backlogPriorPeriodAdjustment += other._backlogPriorPeriodAdjustment;
        _netContractPositionPriorPeriodAdjustment += other._netContractPositionPriorPeriodAdjustment;
        _bookings += other._bookings;
        _expansions += other._expansions;
        _contractions += other._contractions;
        _cancellations += other._cancellations;
        _usageBeyondCommitments += other._usageBeyondCommitments;
        _revenue += other._revenue;
        _billings += other._billings;
        _collections += other._collections;
        _revenueTtm += other._revenueTtm;
        _rpoCurrent += other._rpoCurrent;
        _rpoNonCurrent += other._rpoNonCurrent;
        _rpo0To3Months += other._rpo0To3Months;
        _rpo3To6Months += other._rpo3To6Months;
        _rpo6To12Months += other._rpo6To12Months;
        _rpo12To24Months += other._rpo12To24Months;
        _rpoOver24Months += other._rpoOver24Months;
        _contractPositionInflow += other._contractPositionInflow;
        _notYetBilled += other._notYetBilled;
        _billedNotEarned += other._billedNotEarned;
        _receivables += other._receivables;
        _unappliedCredits += other._unappliedCredits;
        _agingCurrent += other._agingCurrent;
        _agingDays1To30 += other._agingDays1To30;
        _agingDays31To60 += other._agingDays31To60;
        _agingDays61To90 += other._agingDays61To90;
        _agingOver90 += other._agingOver90;
        _overdueBilling += other._overdueBilling;
        _forecastBilling += other._forecastBilling;
        _unscheduledBilling += other._unscheduledBilling;
        _overdueBacklog += other._overdueBacklog;
        _arr += other._arr;
        _arrYearEarlier += other._arrYearEarlier;
        _completionRevenue += other._completionRevenue;
        _completionRevenueDays += other._completionRevenueDays;
    }

    private static Figures Sum(Figures left, Figures right) => new()
    {
        Tcv = left.Tcv + right.Tcv,
        RecognizedToDate = left.RecognizedToDate + right.RecognizedToDate,
        BilledToDate = left.BilledToDate + right.BilledToDate,
        CollectedToDate = left.CollectedToDate + right.CollectedToDate,
        Backlog = left.Backlog + right.Backlog,
        DeferredRevenue = left.DeferredRevenue + right.DeferredRevenue,
        UnbilledReceivable = left.UnbilledReceivable + right.UnbilledReceivable,
        NetContractPosition = left.NetContractPosition + right.NetContractPosition,
        OpeningBacklog = left.OpeningBacklog + right.OpeningBacklog,
        OpeningNetContractPosition = left.OpeningNetContractPosition + right.OpeningNetContractPosition,
        BacklogPriorPeriodAdjustment = left.BacklogPriorPeriodAdjustment + right.BacklogPriorPeriodAdjustment,
        NetContractPositionPriorPeriodAdjustment = left.NetContractPositionPriorPeriodAdjustment + right.NetContractPositionPriorPeriodAdjustment,
        Bookings = left.Bookings + right.Bookings,
        Expansions = left.Expansions + right.Expansions,
        Contractions = left.Contractions + right.Contractions,
        Cancellations = left.Cancellations + right.Cancellations,
        UsageBeyondCommitments = left.UsageBeyondCommitments + right.UsageBeyondCommitments,
        Revenue = left.Revenue + right.Revenue,
        Billings = left.Billings + right.Billings,
        Collections = left.Collections + right.Collections,
        RevenueTtm = left.RevenueTtm + right.RevenueTtm,
        RpoCurrent = left.RpoCurrent + right.RpoCurrent,
        RpoNonCurrent = left.RpoNonCurrent + right.RpoNonCurrent,
        Rpo0To3Months = left.Rpo0To3Months + right.Rpo0To3Months,
        Rpo3To6Months = left.Rpo3To6Months + right.Rpo3To6Months,
        Rpo6To12Months = left.Rpo6To12Months + right.Rpo6To12Months,
        Rpo12To24Months = left.Rpo12To24Months + right.Rpo12To24Months,
        RpoOver24Months = left.RpoOver24Months + right.RpoOver24Months,
        ContractPositionInflow = left.ContractPositionInflow + right.ContractPositionInflow,
        NotYetBilled = left.NotYetBilled + right.NotYetBilled,
        BilledNotEarned = left.BilledNotEarned + right.BilledNotEarned,
        Receivables = left.Receivables + right.Receivables,
        UnappliedCredits = left.UnappliedCredits + right.UnappliedCredits,
        AgingCurrent = left.AgingCurrent + right.AgingCurrent,
        AgingDays1To30 = left.AgingDays1To30 + right.AgingDays1To30,
        AgingDays31To60 = left.AgingDays31To60 + right.AgingDays31To60,
        AgingDays61To90 = left.AgingDays61To90 + right.AgingDays61To90,
        AgingOver90 = left.AgingOver90 + right.AgingOver90,
        OverdueBilling = left.OverdueBilling + right.OverdueBilling,
        ForecastBilling = left.ForecastBilling + right.ForecastBilling,
        UnscheduledBilling = left.UnscheduledBilling + right.UnscheduledBilling,
        OverdueBacklog = left.OverdueBacklog + right.OverdueBacklog,
        Arr = left.Arr + right.Arr,
        ArrYearEarlier = left.ArrYearEarlier + right.ArrYearEarlier,
        CompletionRevenue = left.CompletionRevenue + right.CompletionRevenue,
        CompletionRevenueDays = left.CompletionRevenueDays + right.CompletionRevenueDays,
    };

    private static Figures Difference(Figures left, Figures right) => new()
    {
        Tcv = left.Tcv - right.Tcv,
        RecognizedToDate = left.RecognizedToDate - right.RecognizedToDate,
        BilledToDate = left.BilledToDate - right.BilledToDate,
        CollectedToDate = left.CollectedToDate - right.CollectedToDate,
        Backlog = left.Backlog - right.Backlog,
        DeferredRevenue = left.DeferredRevenue - right.DeferredRevenue,
        UnbilledReceivable = left.UnbilledReceivable - right.UnbilledReceivable,
        NetContractPosition = left.NetContractPosition - right.NetContractPosition,
        OpeningBacklog = left.OpeningBacklog - right.OpeningBacklog,
        OpeningNetContractPosition = left.OpeningNetContractPosition - right.OpeningNetContractPosition,
        BacklogPriorPeriodAdjustment = left.BacklogPriorPeriodAdjustment - right.BacklogPriorPeriodAdjustment,
        NetContractPositionPriorPeriodAdjustment = left.NetContractPositionPriorPeriodAdjustment - right.NetContractPositionPriorPeriodAdjustment,
        Bookings = left.Bookings - right.Bookings,
        Expansions = left.Expansions - right.Expansions,
        Contractions = left.Contractions - right.Contractions,
        Cancellations = left.Cancellations - right.Cancellations,
        UsageBeyondCommitments = left.UsageBeyondCommitments - right.UsageBeyondCommitments,
        Revenue = left.Revenue - right.Revenue,
        Billings = left.Billings - right.Billings,
        Collections = left.Collections - right.Collections,
        RevenueTtm = left.RevenueTtm - right.RevenueTtm,
        RpoCurrent = left.RpoCurrent - right.RpoCurrent,
        RpoNonCurrent = left.RpoNonCurrent - right.RpoNonCurrent,
        Rpo0To3Months = left.Rpo0To3Months - right.Rpo0To3Months,
        Rpo3To6Months = left.Rpo3To6Months - right.Rpo3To6Months,
        Rpo6To12Months = left.Rpo6To12Months - right.Rpo6To12Months,
        Rpo12To24Months = left.Rpo12To24Months - right.Rpo12To24Months,
        RpoOver24Months = left.RpoOver24Months - right.RpoOver24Months,
        ContractPositionInflow = left.ContractPositionInflow - right.ContractPositionInflow,
        NotYetBilled = left.NotYetBilled - right.NotYetBilled,
        BilledNotEarned = left.BilledNotEarned - right.BilledNotEarned,
        Receivables = left.Receivables - right.Receivables,
        UnappliedCredits = left.UnappliedCredits - right.UnappliedCredits,
        AgingCurrent = left.AgingCurrent - right.AgingCurrent,
        AgingDays1To30 = left.AgingDays1To30 - right.AgingDays1To30,
        AgingDays31To60 = left.AgingDays31To60 - right.AgingDays31To60,
        AgingDays61To90 = left.AgingDays61To90 - right.AgingDays61To90,
        AgingOver90 = left.AgingOver90 - right.AgingOver90,
        OverdueBilling = left.OverdueBilling - right.OverdueBilling,
        ForecastBilling = left.ForecastBilling - right.ForecastBilling,
        UnscheduledBilling = left.UnscheduledBilling - right.UnscheduledBilling,
        OverdueBacklog = left.OverdueBacklog - right.OverdueBacklog,
        Arr = left.Arr - right.Arr,
        ArrYearEarlier = left.ArrYearEarlier - right.ArrYearEarlier,
        CompletionRevenue = left.CompletionRevenue - right.CompletionRevenue,
        CompletionRevenueDays = left.CompletionRevenueDays - right.CompletionRevenueDays,
    };
}
