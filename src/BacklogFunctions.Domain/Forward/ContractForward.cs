using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Forward;

/// <summary>Receivables by how long they are past due (forward.md, "Receivables and aging"): open balances only.</summary>
public readonly record struct ReceivablesAging(decimal Current, decimal Days1To30, decimal Days31To60, decimal Days61To90, decimal Over90)
{
    public decimal Total => Current + Days1To30 + Days31To60 + Days61To90 + Over90;

    public static ReceivablesAging operator +(ReceivablesAging a, ReceivablesAging b) =>
        new(a.Current + b.Current, a.Days1To30 + b.Days1To30, a.Days31To60 + b.Days31To60, a.Days61To90 + b.Days61To90, a.Over90 + b.Over90);

    /// <summary>Adds an open balance <paramref name="daysPastDue"/> days past its due date.</summary>
    public ReceivablesAging Add(int daysPastDue, decimal amount) => daysPastDue switch
    {
        <= 0 => this with { Current = Current + amount },
        <= 30 => this with { Days1To30 = Days1To30 + amount },
        <= 60 => this with { Days31To60 = Days31To60 + amount },
        <= 90 => this with { Days61To90 = Days61To90 + amount },
        _ => this with { Over90 = Over90 + amount },
    };
}

/// <summary>An amount expected in the 24 calendar months after the as-of month, and later.</summary>
public sealed record MonthlyForecast(IReadOnlyList<decimal> Months, decimal Later)
{
    public const int Horizon = 24;

    public static MonthlyForecast Empty { get; } = new(new decimal[Horizon], 0m);

    public decimal Total => Months.Sum() + Later;

    public static MonthlyForecast operator +(MonthlyForecast a, MonthlyForecast b) =>
        new([.. a.Months.Zip(b.Months, (x, y) => x + y)], a.Later + b.Later);

    /// <summary>Spreads dated amounts over the months after <paramref name="asOf"/>'s month; the rest of its own month counts in the first.</summary>
    public static MonthlyForecast Of(DateOnly asOf, IEnumerable<Installment> amounts)
    {
        var months = new decimal[Horizon];
        var later = 0m;
        foreach (var (date, amount) in amounts)
        {
            var index = Math.Max(((date.Year - asOf.Year) * 12) + date.Month - asOf.Month, 1) - 1;
            if (index < Horizon)
            {
                months[index] += amount;
            }
            else
            {
                later += amount;
            }
        }

        return new MonthlyForecast(months, later);
    }
}

/// <summary>A delivery or milestone whose expected date has passed without it being completed.</summary>
public sealed record OverdueDelivery(string ContractId, Currency Currency, string LineId, string? MilestoneId, DateOnly ExpectedDate, decimal Amount, int DaysLate);

/// <summary>An invoice with a balance still open as of the day, in the balance-forward order it absorbed credits.</summary>
public sealed record OpenInvoice(string InvoiceId, DateOnly IssueDate, DateOnly DueDate, decimal Amount, decimal OpenBalance, int DaysPastDue);

/// <summary>
/// What one contract's backlog means for the months after a day D (forward.md): how the contract value not yet
/// billed will be invoiced, what is owed and when it is expected, what is late, and the annual recurring revenue.
/// </summary>
public sealed record ContractForward
{
    public required string ContractId { get; init; }
    public required Currency Currency { get; init; }
    public required DateOnly AsOf { get; init; }

    /// <summary>TCV − billed to date.</summary>
    public required decimal NotYetBilled { get; init; }

    /// <summary>Billed to date − recognized to date.</summary>
    public required decimal BilledNotEarned { get; init; }

    /// <summary>Billed to date − collected to date = Σ open balances − unapplied credits.</summary>
    public required decimal Receivables { get; init; }

    public required decimal UnappliedCredits { get; init; }

    public required ReceivablesAging Aging { get; init; }

    public required IReadOnlyList<OpenInvoice> OpenInvoices { get; init; }

    /// <summary>Planned through D but not billed (never more than what is left to bill).</summary>
    public required decimal OverdueBilling { get; init; }

    /// <summary>What no plan covers: not yet billed − overdue billing − Σ billings forecast.</summary>
    public required decimal UnscheduledBilling { get; init; }

    public required MonthlyForecast BillingsForecast { get; init; }

    /// <summary>Open balances due on or before D.</summary>
    public required decimal CollectionsOverdue { get; init; }

    public required MonthlyForecast CollectionsForecast { get; init; }

    public required IReadOnlyList<OverdueDelivery> OverdueDeliveries { get; init; }

    /// <summary>Σ of the overdue deliveries' amounts.</summary>
    public decimal OverdueBacklog => OverdueDeliveries.Sum(d => d.Amount);

    public required decimal Arr { get; init; }

    /// <summary>The forward view of <paramref name="history"/> as known at the end of <paramref name="asOf"/>.</summary>
    public static ContractForward Of(ContractHistory history, DateOnly asOf, ProrationPolicy policy) =>
        Of(history.At(asOf, policy), asOf);

    /// <summary>The forward view from a position known at the end of <paramref name="asOf"/>.</summary>
    public static ContractForward Of(ContractPosition position, DateOnly asOf)
    {
        var signing = position.History.Signing!;
        var currency = position.Currency;
        var lines = position.LinesInForce(asOf);
        var billed = position.BilledToDate;
        var notYetBilled = position.Tcv - billed;

        // Billings: what the plans call for, against what is left to bill.
        var installments = new List<Installment>();
        foreach (var line in lines)
        {
            installments.AddRange(Installments.Of(line, signing.SignedDate, currency, milestone => position.CompletedOn(line.LineId, milestone)));
        }

        var (overdueBilling, forecast, unscheduled) = Billings(installments, asOf, notYetBilled, billed);

        // Receivables, balance forward; collections when due (after the payment terms for what is still to bill).
        var terms = signing.PaymentTermsDays;
        var (open, unapplied) = OpenBalances(position, asOf, terms);
        var aging = default(ReceivablesAging);
        var collectionsOverdue = 0m;
        var collections = new List<Installment>(open.Count + forecast.Count + 1);
        foreach (var invoice in open)
        {
            aging = aging.Add(invoice.DaysPastDue, invoice.OpenBalance);
            if (invoice.DueDate <= asOf)
            {
                collectionsOverdue += invoice.OpenBalance;
            }
            else
            {
                collections.Add(new Installment(invoice.DueDate, invoice.OpenBalance));
            }
        }

        foreach (var installment in forecast)
        {
            collections.Add(new Installment(installment.Date.AddDays(terms), installment.Amount));
        }

        collections.Add(new Installment(asOf.AddDays(1 + terms), overdueBilling));

        return new ContractForward
        {
            ContractId = position.History.ContractId,
            Currency = currency,
            AsOf = asOf,
            NotYetBilled = notYetBilled,
            BilledNotEarned = billed - position.RecognizedThrough(asOf),
            Receivables = billed - position.CollectedToDate,
            UnappliedCredits = unapplied,
            Aging = aging,
            OpenInvoices = open,
            OverdueBilling = overdueBilling,
            UnscheduledBilling = unscheduled,
            BillingsForecast = MonthlyForecast.Of(asOf, forecast),
            CollectionsOverdue = collectionsOverdue,
            CollectionsForecast = MonthlyForecast.Of(asOf, collections),
            OverdueDeliveries = LateWork(position, asOf),
            Arr = position.LastServiceDate < asOf ? 0m : ArrOf(lines, asOf, currency),
        };
    }

    /// <summary>
    /// Annual recurring revenue of the ratable lines whose service period contains <paramref name="asOf"/> (the
    /// caller leaves out a contract whose cancellation ended service before it).
    /// </summary>
    public static decimal ArrOf(IEnumerable<ContractLine> lines, DateOnly asOf, Currency currency)
    {
        var total = 0m;
        foreach (var line in lines)
        {
            if (line.Recognition == RecognitionPattern.Ratable && line.ServiceStart <= asOf && asOf <= line.ServiceEnd)
            {
                total += currency.Round(line.Amount * 12m / ServiceMonths(line.ServiceStart!.Value, line.ServiceEnd!.Value));
            }
        }

        return total;
    }

    /// <summary>
    /// A service period in months: m whole months, and the days r that follow as a share of the month they fall
    /// in (L days). A line of exactly 12 months is 12, leap year or not.
    /// </summary>
    public static decimal ServiceMonths(DateOnly start, DateOnly end)
    {
        var m = 0;
        while (start.AddMonths(m + 1).AddDays(-1) <= end)
        {
            m++;
        }

        var from = start.AddMonths(m);
        var r = end.DayNumber - from.DayNumber + 1;
        if (r <= 0)
        {
            return m;
        }

        var length = start.AddMonths(m + 1).AddDays(-1).DayNumber - from.DayNumber + 1;
        return m + ((decimal)r / length);
    }

    private static (decimal Overdue, List<Installment> Forecast, decimal Unscheduled) Billings(List<Installment> installments, DateOnly asOf, decimal remaining, decimal billed)
    {
        if (remaining <= 0m)
        {
            return (0m, [], remaining);
        }

        var planned = installments.Where(i => i.Date <= asOf).Sum(i => i.Amount);
        var ahead = planned - billed;
        var overdue = Math.Min(Math.Max(ahead, 0m), remaining);
        var skip = Math.Max(-ahead, 0m);
        var left = remaining - overdue;
        var forecast = new List<Installment>();
        foreach (var i in installments.Where(i => i.Date > asOf).OrderBy(i => i.Date))
        {
            var amount = i.Amount;
            var skipped = Math.Min(skip, amount);
            skip -= skipped;
            amount = Math.Min(amount - skipped, left);
            if (amount > 0m)
            {
                forecast.Add(i with { Amount = amount });
                left -= amount;
            }
        }

        return (overdue, forecast, left);
    }

    private static (List<OpenInvoice> Open, decimal Unapplied) OpenBalances(ContractPosition position, DateOnly asOf, int terms)
    {
        var invoices = position.Invoices
            .Where(i => !i.Voided)
            .Select(i => (Invoice: i, Due: i.DueDate ?? i.IssueDate.AddDays(terms)))
            .OrderBy(x => x.Due)
            .ThenBy(x => x.Invoice.IssueDate)
            .ThenBy(x => x.Invoice.InvoiceId, StringComparer.Ordinal);

        // Payments and credit notes settle the oldest due invoices first. A refund beyond what was paid leaves
        // the credits negative: nothing is absorbed and the negative rest shows as unapplied.
        var credits = position.CollectedToDate + position.CreditNotesToDate;
        var available = Math.Max(credits, 0m);
        var open = new List<OpenInvoice>();
        foreach (var (invoice, due) in invoices)
        {
            var absorbed = Math.Min(available, invoice.Amount);
            available -= absorbed;
            var balance = invoice.Amount - absorbed;
            if (balance != 0m)
            {
                open.Add(new OpenInvoice(invoice.InvoiceId, invoice.IssueDate, due, invoice.Amount, balance, asOf.DayNumber - due.DayNumber));
            }
        }

        return (open, credits < 0m ? credits : available);
    }

    private static List<OverdueDelivery> LateWork(ContractPosition position, DateOnly asOf) =>
        [.. position.Obligations
            .Where(o => o.IsActive && !o.IsCompleted && o.Pattern != RecognitionPattern.Ratable && o.ExpectedDate < asOf)
            .Select(o => new OverdueDelivery(position.History.ContractId, position.Currency, o.LineId, o.MilestoneId, o.ExpectedDate, o.Pending, asOf.DayNumber - o.ExpectedDate.DayNumber))];
}
