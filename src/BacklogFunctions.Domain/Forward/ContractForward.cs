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
        var figures = ForwardFigures.Of(position, asOf);
        var signing = position.History.Signing!;
        var currency = position.Currency;

        // The installments still to come, in date order; when billing ran ahead of plan the first ones count as
        // billed, and they are taken until the forecast total is used up.
        var future = new List<Installment>();
        var planned = 0m;
        foreach (var line in position.LinesInForce(asOf))
        {
            foreach (var i in Installments.Of(line, signing.SignedDate, currency, milestone => position.CompletedOn(line.LineId, milestone)))
            {
                if (i.Date > asOf)
                {
                    future.Add(i);
                }
                else
                {
                    planned += i.Amount;
                }
            }
        }

        var forecast = new List<Installment>();
        var skip = Math.Max(position.BilledToDate - planned, 0m);
        var left = figures.ForecastBilling;
        foreach (var i in future.OrderBy(i => i.Date))
        {
            var skipped = Math.Min(skip, i.Amount);
            skip -= skipped;
            var amount = Math.Min(i.Amount - skipped, left);
            if (amount > 0m)
            {
                forecast.Add(i with { Amount = amount });
                left -= amount;
            }
        }

        // Collections: open balances when due, overdue billing after the payment terms from tomorrow, each
        // forecast installment after the payment terms.
        var terms = signing.PaymentTermsDays;
        var open = new List<OpenInvoice>();
        ForwardFigures.Settle(position, asOf, open);
        var collections = new List<Installment>(open.Count + forecast.Count + 1);
        collections.AddRange(open.Where(i => i.DueDate > asOf).Select(i => new Installment(i.DueDate, i.OpenBalance)));
        collections.AddRange(forecast.Select(i => new Installment(i.Date.AddDays(terms), i.Amount)));
        collections.Add(new Installment(asOf.AddDays(1 + terms), figures.OverdueBilling));

        return new ContractForward
        {
            ContractId = position.History.ContractId,
            Currency = currency,
            AsOf = asOf,
            NotYetBilled = figures.NotYetBilled,
            BilledNotEarned = figures.BilledNotEarned,
            Receivables = figures.Receivables,
            UnappliedCredits = figures.UnappliedCredits,
            Aging = figures.Aging,
            OpenInvoices = open,
            OverdueBilling = figures.OverdueBilling,
            UnscheduledBilling = figures.UnscheduledBilling,
            BillingsForecast = MonthlyForecast.Of(asOf, forecast),
            CollectionsOverdue = open.Where(i => i.DueDate <= asOf).Sum(i => i.OpenBalance),
            CollectionsForecast = MonthlyForecast.Of(asOf, collections),
            OverdueDeliveries = LateWork(position, asOf),
            Arr = figures.Arr,
        };
    }

    /// <summary>
    /// Annual recurring revenue of the ratable lines whose service period contains <paramref name="asOf"/> (the
    /// caller leaves out a contract whose cancellation ended service before it).
    /// </summary>
    public static decimal ArrOf(IEnumerable<ContractLine> lines, DateOnly asOf, Currency currency) => ArrOf(lines, asOf, currency, history: null);

    /// <summary>The same, with each line's annual amount computed once per <paramref name="history"/> the lines belong to.</summary>
    internal static decimal ArrOf(IEnumerable<ContractLine> lines, DateOnly asOf, Currency currency, ContractHistory? history)
    {
        var total = 0m;
        foreach (var line in lines)
        {
            if (line.Recognition == RecognitionPattern.Ratable && line.ServiceStart <= asOf && asOf <= line.ServiceEnd)
            {
                total += history is null
                    ? Annual(line, currency)
                    : history.Derived(line, currency, static (key, c) => new AnnualAmount(Annual((ContractLine)key, c))).Amount;
            }
        }

        return total;
    }

    private static decimal Annual(ContractLine line, Currency currency) =>
        currency.Round(line.Amount * 12m / ServiceMonths(line.ServiceStart!.Value, line.ServiceEnd!.Value));

    private sealed record AnnualAmount(decimal Amount);

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

    /// <summary>The position's deliveries and milestones late on <paramref name="asOf"/>.</summary>
    public static IReadOnlyList<OverdueDelivery> LateWork(ContractPosition position, DateOnly asOf)
    {
        foreach (var o in position.Obligations)
        {
            if (o.IsLateOn(asOf))
            {
                return Late(position, asOf);
            }
        }

        return [];
    }

    private static List<OverdueDelivery> Late(ContractPosition position, DateOnly asOf)
    {
        var late = new List<OverdueDelivery>();
        foreach (var o in position.Obligations)
        {
            if (o.IsLateOn(asOf))
            {
                late.Add(new OverdueDelivery(position.History.ContractId, position.Currency, o.LineId, o.MilestoneId, o.ExpectedDate, o.Pending, asOf.DayNumber - o.ExpectedDate.DayNumber));
            }
        }

        return late;
    }
}
