using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Forward;

/// <summary>
/// The forward view's figures of one contract as of a day (forward.md): what a snapshot holds per contract and
/// sums per currency. <see cref="ContractForward"/> adds the month-by-month forecasts and the lists behind them.
/// </summary>
public readonly record struct ForwardFigures
{
    public decimal NotYetBilled { get; init; }
    public decimal BilledNotEarned { get; init; }
    public decimal Receivables { get; init; }
    public decimal UnappliedCredits { get; init; }
    public ReceivablesAging Aging { get; init; }
    public decimal OverdueBilling { get; init; }
    public decimal UnscheduledBilling { get; init; }

    /// <summary>Σ forecast installments (not yet billed − overdue billing − unscheduled).</summary>
    public decimal ForecastBilling { get; init; }

    public decimal OverdueBacklog { get; init; }
    public decimal Arr { get; init; }

    /// <summary>The figures of a position known at the end of <paramref name="asOf"/>.</summary>
    public static ForwardFigures Of(ContractPosition position, DateOnly asOf) => Of(position, asOf, position.Tcv + position.BeyondCommitmentsThrough(asOf), position.RecognizedThrough(asOf));

    /// <summary>The same, given the position's TCV (with usage beyond commitments earned to date, contract value once earned) and what it has recognized through <paramref name="asOf"/> (computed once by the caller).</summary>
    public static ForwardFigures Of(ContractPosition position, DateOnly asOf, decimal tcv, decimal recognizedToDate)
    {
        var signing = position.History.Signing!;
        var currency = position.Currency;
        var lines = position.LinesInForce(asOf);
        var billed = position.BilledToDate;
        var notYetBilled = tcv - billed;

        var (planned, future) = (0m, 0m);
        foreach (var line in lines)
        {
            var (through, after) = PlanSplit(line, signing.SignedDate, currency, position, asOf);
            planned += through;
            future += after;
        }

        var (overdue, forecast, unscheduled) = BillingSplit(notYetBilled, planned - billed, future);
        var (aging, unapplied) = Settle(position, asOf);

        var overdueBacklog = 0m;
        foreach (var o in position.Obligations)
        {
            if (o.IsLateOn(asOf))
            {
                overdueBacklog += o.Pending;
            }
        }

        return new ForwardFigures
        {
            NotYetBilled = notYetBilled,
            BilledNotEarned = billed - recognizedToDate,
            Receivables = billed - position.CollectedToDate,
            UnappliedCredits = unapplied,
            Aging = aging,
            OverdueBilling = overdue,
            UnscheduledBilling = unscheduled,
            ForecastBilling = forecast,
            OverdueBacklog = overdueBacklog,
            Arr = asOf == position.KnownOn ? Kpis.ArrOf(position) : position.LastServiceDate < asOf ? 0m : ContractForward.ArrOf(lines, asOf, currency, position.History),
        };
    }

    /// <summary>
    /// How what is left to bill (<paramref name="remaining"/>) splits, given how far billing is behind plan
    /// (<paramref name="behind"/>: planned through D − billed; negative when ahead) and the installments still to
    /// come (<paramref name="future"/>): overdue billing, Σ forecast and unscheduled.
    /// </summary>
    internal static (decimal Overdue, decimal Forecast, decimal Unscheduled) BillingSplit(decimal remaining, decimal behind, decimal future)
    {
        if (remaining <= 0m)
        {
            return (0m, 0m, remaining);
        }

        var overdue = Math.Min(Math.Max(behind, 0m), remaining);
        var forecast = Math.Min(Math.Max(future - Math.Max(-behind, 0m), 0m), remaining - overdue);
        return (overdue, forecast, remaining - overdue - forecast);
    }

    /// <summary>Open balances by age, balance forward, and the credits no invoice absorbed.</summary>
    internal static (ReceivablesAging Aging, decimal Unapplied) Settle(ContractPosition position, DateOnly asOf, List<OpenInvoice>? open = null)
    {
        // Payments and credit notes settle the oldest due invoices first. A refund beyond what was paid leaves
        // the credits negative: nothing is absorbed and the negative rest shows as unapplied.
        var credits = position.CollectedToDate + position.CreditNotesToDate;
        var available = Math.Max(credits, 0m);
        var due = position.DueInvoices;
        if (position.DueAmountsArePositive)
        {
            // The credits settle a prefix of the invoices: only the suffix they do not reach is open, so it is
            // found from the newest invoice back, without walking every paid one.
            var unsettled = position.DueTotal - available;
            var unapplied = credits < 0m ? credits : Math.Max(-unsettled, 0m);
            var aging = default(ReceivablesAging);
            var first = due.Count;
            for (var left = unsettled; left > 0m && first > 0; first--)
            {
                left -= due[first - 1].Amount;
            }

            var absorbedOfFirst = first < due.Count ? available - (position.DueTotal - SumFrom(due, first)) : 0m;
            for (var i = first; i < due.Count; i++)
            {
                var invoice = due[i];
                var balance = i == first ? invoice.Amount - absorbedOfFirst : invoice.Amount;
                if (balance != 0m)
                {
                    var days = asOf.DayNumber - invoice.DueDate.DayNumber;
                    aging = aging.Add(days, balance);
                    open?.Add(new OpenInvoice(invoice.InvoiceId, invoice.IssueDate, invoice.DueDate, invoice.Amount, balance, days));
                }
            }

            return (aging, unapplied);
        }

        return SettleInOrder(due, credits, available, asOf, open);
    }

    private static decimal SumFrom(IReadOnlyList<DueInvoice> due, int first)
    {
        var total = 0m;
        for (var i = first; i < due.Count; i++)
        {
            total += due[i].Amount;
        }

        return total;
    }

    /// <summary>Settles invoice by invoice, oldest first: what any amounts (zero or negative ones too) need.</summary>
    private static (ReceivablesAging Aging, decimal Unapplied) SettleInOrder(IReadOnlyList<DueInvoice> due, decimal credits, decimal available, DateOnly asOf, List<OpenInvoice>? open)
    {
        var aging = default(ReceivablesAging);
        foreach (var invoice in due)
        {
            var absorbed = Math.Min(available, invoice.Amount);
            available -= absorbed;
            var balance = invoice.Amount - absorbed;
            if (balance != 0m)
            {
                var days = asOf.DayNumber - invoice.DueDate.DayNumber;
                aging = aging.Add(days, balance);
                open?.Add(new OpenInvoice(invoice.InvoiceId, invoice.IssueDate, invoice.DueDate, invoice.Amount, balance, days));
            }
        }

        return (aging, credits < 0m ? credits : available);
    }

    /// <summary>A line's installments dated on or before <paramref name="asOf"/>, and after it.</summary>
    private static (decimal Through, decimal After) PlanSplit(ContractLine line, DateOnly signedDate, Currency currency, ContractPosition position, DateOnly asOf)
    {
        if (line.Billing is not { } plan)
        {
            return (0m, 0m);
        }

        if (plan.Frequency == BillingFrequency.OnDelivery)
        {
            var (through, after) = (0m, 0m);
            foreach (var i in Installments.Of(line, signedDate, currency, milestone => position.CompletedOn(line.LineId, milestone)))
            {
                if (i.Date <= asOf)
                {
                    through += i.Amount;
                }
                else
                {
                    after += i.Amount;
                }
            }

            return (through, after);
        }

        // Every other plan depends on the line alone (with its contract's signing date and currency): computed once
        // per history, for every position replayed from it.
        var schedule = position.History.Derived(
            line,
            (signedDate, currency),
            static (key, state) => new PlanSchedule(Installments.Of((ContractLine)key, state.signedDate, state.currency, _ => null)));
        return schedule.Split(asOf);
    }

    /// <summary>A line's installments by date with running totals, to split them at any day in one search.</summary>
    private sealed class PlanSchedule
    {
        private readonly DateOnly[] _dates;
        private readonly decimal[] _through;

        public PlanSchedule(IReadOnlyList<Installment> installments)
        {
            var ordered = installments.OrderBy(i => i.Date).ToArray();
            _dates = [.. ordered.Select(i => i.Date)];
            _through = new decimal[ordered.Length];
            var total = 0m;
            for (var i = 0; i < ordered.Length; i++)
            {
                total += ordered[i].Amount;
                _through[i] = total;
            }

            Total = total;
        }

        public decimal Total { get; }

        public (decimal Through, decimal After) Split(DateOnly day)
        {
            // The number of installments dated on or before the day.
            var count = Array.BinarySearch(_dates, day) is var at && at >= 0 ? LastOf(at, day) + 1 : ~at;
            var through = count == 0 ? 0m : _through[count - 1];
            return (through, Total - through);
        }

        private int LastOf(int at, DateOnly day)
        {
            while (at + 1 < _dates.Length && _dates[at + 1] == day)
            {
                at++;
            }

            return at;
        }
    }
}
