using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Snapshots;

/// <summary>
/// Computes snapshots from contract histories. Every balance is an as-of figure (events known on that day);
/// every flow is the difference of two as-of figures, so both roll-forwards tie by construction.
/// </summary>
public sealed class SnapshotCalculator(SnapshotOptions options)
{
    private static readonly int[] RpoHorizonMonths = [3, 6, 12, 24];

    public SnapshotOptions Options { get; } = options;

    /// <summary>Whether each contract also gets its forecasts and open invoices (<see cref="ContractSnapshot.Forward"/>): what a close stores.</summary>
    public bool WithForecasts { get; init; }

    /// <summary>The snapshot of period <paramref name="period"/>: balances on its last day, flows over the month.</summary>
    public Snapshot ForPeriod(IEnumerable<ContractHistory> contracts, Period period, bool includeContracts = true) =>
        AsOf(contracts, period.LastDay, includeContracts) with { Period = period };

    /// <summary>
    /// The snapshot of <paramref name="period"/> when the previous period is closed and locked: each contract opens
    /// from its stored closing (<see cref="LockedClosing.None"/> when the locked period did not know it), and what
    /// late events changed in that closing is a prior-period adjustment of this period.
    /// </summary>
    public Snapshot ForPeriodAfterLocked(IEnumerable<ContractHistory> contracts, Period period, Func<string, LockedClosing> lockedPrevious, bool includeContracts = true)
    {
        var asOf = period.LastDay;
        var opening = period.Previous.LastDay;
        var builder = new SnapshotBuilder(asOf, opening, Options, includeContracts);
        foreach (var history in contracts)
        {
            if (history.Signing is null)
            {
                continue;
            }

            var fresh = Contract(history.At(asOf, Options.Proration, Options.ProgressDecimals), history.At(opening, Options.Proration, Options.ProgressDecimals), history.At(asOf.AddMonthsKeepingMonthEnd(-12), Options.Proration, Options.ProgressDecimals));
            builder.Add(OpenFromLocked(fresh, lockedPrevious(history.ContractId)));
        }

        return builder.Build(period);
    }

    /// <summary>
    /// The snapshot of <paramref name="period"/> from contract snapshots computed elsewhere (by the shards of a
    /// close): the same totals as computing them all at once, whatever order or grouping they arrive in.
    /// </summary>
    public Snapshot Combine(Period period, IEnumerable<ContractSnapshot> contracts, bool includeContracts = true)
    {
        var builder = new SnapshotBuilder(period.LastDay, period.Previous.LastDay, Options, includeContracts);
        foreach (var contract in contracts.OrderBy(c => c.ContractId, StringComparer.Ordinal))
        {
            builder.Add(contract);
        }

        return builder.Build(period);
    }

    /// <summary>
    /// The contract re-based on the locked closing: its opening balances become the locked ones, and the
    /// difference is the prior-period adjustment. The fresh snapshot is left as it was.
    /// </summary>
    public static ContractSnapshot OpenFromLocked(ContractSnapshot fresh, LockedClosing locked)
    {
        var openingBacklog = 0m;
        var adjustment = 0m;
        var lines = new List<LineSnapshot>(fresh.Lines.Count);
        foreach (var line in fresh.Lines)
        {
            var lockedBacklog = locked.LineBacklog.TryGetValue(line.LineId, out var value) ? value : 0m;
            var figures = line.Figures with { BacklogPriorPeriodAdjustment = line.Figures.OpeningBacklog - lockedBacklog, OpeningBacklog = lockedBacklog };
            openingBacklog += figures.OpeningBacklog;
            adjustment += figures.BacklogPriorPeriodAdjustment;
            lines.Add(line with { Figures = figures });
        }

        var contract = fresh.Figures with
        {
            OpeningBacklog = openingBacklog,
            BacklogPriorPeriodAdjustment = adjustment,
            NetContractPositionPriorPeriodAdjustment = fresh.Figures.OpeningNetContractPosition - locked.NetContractPosition,
            OpeningNetContractPosition = locked.NetContractPosition,
        };
        return fresh with { Figures = contract, Lines = lines };
    }

    /// <summary>Balances as of <paramref name="asOf"/>; flows from the start of its month (month to date).</summary>
    public Snapshot AsOf(IEnumerable<ContractHistory> contracts, DateOnly asOf, bool includeContracts = true) =>
        Between(contracts, Period.Of(asOf).Previous.LastDay, asOf, includeContracts);

    /// <summary>
    /// The snapshot of a span of months (a quarter, a fiscal year): balances as of its last day, opening balances
    /// as of the day before it starts, flows over all its months.
    /// </summary>
    public Snapshot ForSpan(IEnumerable<ContractHistory> contracts, ReportingPeriod span, bool includeContracts = true) =>
        Between(contracts, span.OpeningDay, span.LastDay, includeContracts) with { Period = span.Kind == ReportingPeriodKind.Month ? span.Last : null, Span = span };

    private Snapshot Between(IEnumerable<ContractHistory> contracts, DateOnly opening, DateOnly asOf, bool includeContracts)
    {
        var ttm = asOf.AddMonthsKeepingMonthEnd(-12);
        var builder = new SnapshotBuilder(asOf, opening, Options, includeContracts);
        foreach (var history in contracts)
        {
            if (history.Signing is null)
            {
                continue;
            }

            var closing = history.At(asOf, Options.Proration, Options.ProgressDecimals);
            builder.Add(Contract(closing, history.At(opening, Options.Proration, Options.ProgressDecimals), history.At(ttm, Options.Proration, Options.ProgressDecimals)));
        }

        return builder.Build(period: null);
    }

    /// <summary>
    /// Snapshots for every period from <paramref name="first"/> to <paramref name="last"/>, replaying each contract
    /// once per month end (the closing position of one month is the opening of the next).
    /// </summary>
    public IReadOnlyList<Snapshot> Series(IEnumerable<ContractHistory> contracts, Period first, Period last, bool includeContracts = false)
    {
        var count = last.MonthsSince(first) + 1;
        if (count <= 0)
        {
            return [];
        }

        var builders = new SnapshotBuilder[count];
        for (var i = 0; i < count; i++)
        {
            var period = first.AddMonths(i);
            builders[i] = new SnapshotBuilder(period.LastDay, period.Previous.LastDay, Options, includeContracts);
        }

        // Month ends from 13 months before the first period (TTM and opening) to the last period.
        var positions = new ContractPosition[count + 13];
        foreach (var history in contracts)
        {
            if (history.Signing is null)
            {
                continue;
            }

            for (var j = 0; j < positions.Length; j++)
            {
                positions[j] = history.At(first.AddMonths(j - 13).LastDay, Options.Proration, Options.ProgressDecimals);
            }

            for (var i = 0; i < count; i++)
            {
                builders[i].Add(Contract(positions[i + 13], positions[i + 12], positions[i + 1]));
            }
        }

        var result = new Snapshot[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = builders[i].Build(first.AddMonths(i));
        }

        return result;
    }

    /// <summary>When one contract's backlog as of <paramref name="asOf"/> is expected to be recognized: the month ends after it, then later.</summary>
    public static (decimal[] Months, decimal Later) ExpectedRevenue(ContractPosition position, DateOnly asOf, int months = 24)
    {
        var horizons = Enumerable.Range(1, months).Select(i => asOf.AddMonthsKeepingMonthEnd(i)).ToArray();
        var cumulative = new decimal[months];
        AddExpected(position, asOf, horizons, cumulative);
        var result = new decimal[months];
        var previous = position.RecognizedThrough(asOf);
        for (var i = 0; i < months; i++)
        {
            result[i] = cumulative[i] - previous;
            previous = cumulative[i];
        }

        return (result, position.Tcv - previous);
    }

    /// <summary>Adds what the position's obligations will have earned through each horizon.</summary>
    private static void AddExpected(ContractPosition position, DateOnly asOf, DateOnly[] horizons, decimal[] cumulative)
    {
        foreach (var o in position.Obligations)
        {
            for (var i = 0; i < horizons.Length; i++)
            {
                cumulative[i] += o.ExpectedThrough(horizons[i], asOf, position.Currency, position.Policy);
            }
        }
    }

    /// <summary>When each currency's backlog as of <paramref name="asOf"/> is expected to be recognized.</summary>
    public IReadOnlyList<Waterfall> Waterfall(IEnumerable<ContractHistory> contracts, DateOnly asOf, int months = 24)
    {
        var byCurrency = new SortedDictionary<string, (Currency Currency, decimal[] Cumulative, decimal Tcv, decimal Recognized)>(StringComparer.Ordinal);
        var horizons = Enumerable.Range(1, months).Select(i => asOf.AddMonthsKeepingMonthEnd(i)).ToArray();
        foreach (var history in contracts)
        {
            if (history.Signing is null)
            {
                continue;
            }

            var position = history.At(asOf, Options.Proration, Options.ProgressDecimals);
            if (!position.IsSigned)
            {
                continue;
            }

            var code = position.Currency.Code;
            if (!byCurrency.TryGetValue(code, out var entry))
            {
                entry = (position.Currency, new decimal[months], 0m, 0m);
            }

            AddExpected(position, asOf, horizons, entry.Cumulative);
            entry.Tcv += position.Tcv;
            entry.Recognized += position.RecognizedThrough(asOf) - position.BeyondCommitmentsThrough(asOf);
            byCurrency[code] = entry;
        }

        return byCurrency.Values.Select(e =>
        {
            var list = new List<WaterfallMonth>(months);
            var previous = e.Recognized;
            for (var i = 0; i < months; i++)
            {
                list.Add(new WaterfallMonth(i + 1, horizons[i], e.Cumulative[i] - previous));
                previous = e.Cumulative[i];
            }

            return new Waterfall(e.Currency, e.Tcv - e.Recognized, list, e.Tcv - previous);
        }).ToList();
    }

    /// <summary>One contract's figures from its positions at the period's end, the day before it, and twelve months earlier.</summary>
    public ContractSnapshot Contract(ContractPosition closing, ContractPosition opening, ContractPosition twelveMonthsEarlier)
    {
        var asOf = closing.KnownOn;
        var openingDay = opening.KnownOn;
        var signing = closing.History.Signing ?? throw new InvalidOperationException($"contract {closing.History.ContractId} has no signing");
        var currency = closing.Currency;
        var policy = Options.Proration;
        var signedInPeriod = signing.SignedDate > openingDay && signing.SignedDate <= asOf;

        Span<DateOnly> horizons = stackalloc DateOnly[RpoHorizonMonths.Length];
        for (var h = 0; h < horizons.Length; h++)
        {
            horizons[h] = asOf.AddMonthsKeepingMonthEnd(RpoHorizonMonths[h]);
        }

        var contract = new Figures();
        var lines = new List<LineSnapshot>(closing.LineIds.Count);
        List<LossContract>? losses = null;
        Span<decimal> expected = stackalloc decimal[RpoHorizonMonths.Length];
        foreach (var lineId in closing.LineIds)
        {
            decimal tcv = 0m, recognized = 0m, beyond = 0m;
            decimal? progress = null;
            string? productLine = null;
            RecognitionPattern? pattern = null;
            expected.Clear();
            foreach (var o in closing.Obligations)
            {
                if (!string.Equals(o.LineId, lineId, StringComparison.Ordinal))
                {
                    continue;
                }

                productLine ??= o.ProductLine;

                // The pattern of the line's terms in force: its active obligation (a line can change pattern by an
                // amendment and change back; each pattern keeps its own obligation).
                if (o.IsActive || pattern is null)
                {
                    pattern = o.Pattern;
                }
                if (o.Progress is { } state && o.IsActive && closing.IsSigned)
                {
                    progress = state.Ratio(asOf);
                    if (ExpectedLoss(state, asOf, currency) is { } loss)
                    {
                        (losses ??= []).Add(new LossContract(closing.History.ContractId, currency, lineId, loss));
                    }
                }

                tcv += o.Lifetime(currency, policy);
                recognized += o.EarnedThrough(asOf, currency, policy);
                beyond += o.BeyondCommitmentsThrough(asOf);
                for (var h = 0; h < horizons.Length; h++)
                {
                    expected[h] += o.ExpectedThrough(horizons[h], asOf, currency, policy);
                }
            }

            decimal openingTcv = 0m, openingRecognized = 0m, openingBeyond = 0m;
            foreach (var o in opening.Obligations)
            {
                if (string.Equals(o.LineId, lineId, StringComparison.Ordinal))
                {
                    openingTcv += o.Lifetime(currency, policy);
                    openingRecognized += o.EarnedThrough(openingDay, currency, policy);
                    openingBeyond += o.BeyondCommitmentsThrough(openingDay);
                }
            }

            var ttmRecognized = 0m;
            foreach (var o in twelveMonthsEarlier.Obligations)
            {
                if (string.Equals(o.LineId, lineId, StringComparison.Ordinal))
                {
                    ttmRecognized += o.EarnedThrough(twelveMonthsEarlier.KnownOn, currency, policy);
                }
            }

            var bookings = signedInPeriod ? BookedAmount(signing, lineId) : 0m;
            var cancellations = 0m;
            foreach (var effect in closing.Cancellations)
            {
                if (effect.DecidedOn > openingDay && effect.DecidedOn <= asOf && string.Equals(effect.LineId, lineId, StringComparison.Ordinal))
                {
                    cancellations += effect.Removed;
                }
            }

            // Whatever else changed the line's TCV in the period came from amendments.
            var amendments = tcv - openingTcv - bookings + cancellations;

            // Revenue beyond a usage line's commitments never was backlog: backlog = TCV − (recognized − beyond).
            var committedRecognized = recognized - beyond;
            var line = new Figures
            {
                Tcv = tcv,
                RecognizedToDate = recognized,
                RevenueTtm = recognized - ttmRecognized,
                Backlog = tcv - committedRecognized,
                OpeningBacklog = openingTcv - openingRecognized + openingBeyond,
                Revenue = recognized - openingRecognized,
                Bookings = bookings,
                Cancellations = cancellations,
                UsageBeyondCommitments = beyond - openingBeyond,
                Expansions = amendments > 0m ? amendments : 0m,
                Contractions = amendments < 0m ? -amendments : 0m,
                Rpo0To3Months = expected[0] - committedRecognized,
                Rpo3To6Months = expected[1] - expected[0],
                Rpo6To12Months = expected[2] - expected[1],
                Rpo12To24Months = expected[3] - expected[2],
                RpoOver24Months = tcv - expected[3],
                RpoCurrent = expected[2] - committedRecognized,
                RpoNonCurrent = tcv - expected[2],
            };

            contract.AddInPlace(line);
            lines.Add(new LineSnapshot(lineId, productLine, line) { Progress = progress, Recognition = pattern });
        }

        // Billing figures belong to the contract, netted per contract, never across contracts.
        var collectedBasis = Options.DeferredBasis == DeferredBasis.Collected;
        var basis = collectedBasis ? closing.CollectedToDate : closing.BilledToDate;
        var openingBasis = collectedBasis ? opening.CollectedToDate : opening.BilledToDate;
        var openingRecognizedTotal = contract.RecognizedToDate - contract.Revenue;
        var netContractPosition = basis - contract.RecognizedToDate;
        // The forward view (forward.md) from the same closing position, set with the billing figures in one copy.
        // Usage beyond commitments is contract value once earned: not yet billed + billed not earned = backlog.
        var forward = Forward.ForwardFigures.Of(closing, asOf, contract.Backlog + contract.RecognizedToDate, contract.RecognizedToDate);
        var leadTime = Forward.Kpis.LeadTimeOf(closing, openingDay.AddDays(1), asOf);
        contract = contract with
        {
            BilledToDate = closing.BilledToDate,
            CollectedToDate = closing.CollectedToDate,
            Billings = closing.BilledToDate - opening.BilledToDate,
            Collections = closing.CollectedToDate - opening.CollectedToDate,
            NetContractPosition = netContractPosition,
            DeferredRevenue = Math.Max(0m, netContractPosition),
            UnbilledReceivable = Math.Max(0m, -netContractPosition),
            OpeningNetContractPosition = openingBasis - openingRecognizedTotal,
            ContractPositionInflow = basis - openingBasis,
            NotYetBilled = forward.NotYetBilled,
            BilledNotEarned = forward.BilledNotEarned,
            Receivables = forward.Receivables,
            UnappliedCredits = forward.UnappliedCredits,
            AgingCurrent = forward.Aging.Current,
            AgingDays1To30 = forward.Aging.Days1To30,
            AgingDays31To60 = forward.Aging.Days31To60,
            AgingDays61To90 = forward.Aging.Days61To90,
            AgingOver90 = forward.Aging.Over90,
            OverdueBilling = forward.OverdueBilling,
            ForecastBilling = forward.ForecastBilling,
            UnscheduledBilling = forward.UnscheduledBilling,
            OverdueBacklog = forward.OverdueBacklog,
            Arr = forward.Arr,
            ArrYearEarlier = Forward.Kpis.ArrOf(twelveMonthsEarlier),
            CompletionRevenue = leadTime.Weight,
            CompletionRevenueDays = leadTime.WeightedDays,
        };
        ContractForwardDetail? detail = null;
        if (WithForecasts && closing.IsSigned)
        {
            var view = Forward.ContractForward.Of(closing, asOf);
            detail = new ContractForwardDetail(Forward.ForecastLine.Of(view, closing), view.OpenInvoices);
        }

        return new ContractSnapshot
        {
            ContractId = closing.History.ContractId,
            Currency = currency,
            Customer = signing.Customer,
            SalesOwner = signing.SalesOwner,
            Attributes = signing.Attributes,
            SignedDate = signing.SignedDate,
            IsSigned = closing.IsSigned,
            TermLength = TermBuckets.Of(TermDays(signing)),
            BacklogAge = AgeBuckets.Of(Math.Max(0, asOf.DayNumber - signing.SignedDate.DayNumber)),
            Figures = contract,
            Lines = lines,
            OverdueDeliveries = Forward.ContractForward.LateWork(closing, asOf),
            LossContracts = losses is null ? [] : losses,
            Forward = detail,
        };
    }

    /// <summary>
    /// A progress line measured by cost, not complete, whose estimated total cost in force exceeds its amount: the
    /// estimated cost less the amount, rounded to the currency; null when the line is no loss.
    /// </summary>
    private static decimal? ExpectedLoss(ProgressState progress, DateOnly asOf, Currency currency)
    {
        if (progress.Measure != ProgressMeasure.Cost || progress.CompletedOn is { } done && done <= asOf)
        {
            return null;
        }

        var loss = currency.Round(progress.EstimateOn(asOf) - progress.Amount);
        return loss > 0m ? loss : null;
    }

    private static decimal BookedAmount(ContractSigned signing, string lineId)
    {
        foreach (var line in signing.Lines)
        {
            if (string.Equals(line.LineId, lineId, StringComparison.Ordinal))
            {
                return line.Amount;
            }
        }

        return 0m;
    }

    /// <summary>Days from the first to the last service, expected or expected-completion date of the signed lines.</summary>
    private static int TermDays(ContractSigned signing)
    {
        var first = DateOnly.MaxValue;
        var last = DateOnly.MinValue;
        foreach (var line in signing.Lines)
        {
            Widen(line.ServiceStart);
            Widen(line.ServiceEnd);
            Widen(line.ExpectedDate);
            Widen(line.ExpectedCompletion);
            foreach (var milestone in line.Milestones)
            {
                Widen(milestone.ExpectedDate);
            }
        }

        return last < first ? 1 : last.DayNumber - first.DayNumber + 1;

        void Widen(DateOnly? date)
        {
            if (date is { } d)
            {
                first = d < first ? d : first;
                last = d > last ? d : last;
            }
        }
    }
}
