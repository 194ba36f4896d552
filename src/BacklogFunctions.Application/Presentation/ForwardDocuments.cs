using BacklogFunctions.Domain.Forward;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>One month's amount of a forecast: <c>YYYY-MM</c> and money with the currency's digits.</summary>
public sealed record MonthAmount(string Month, string Amount);

/// <summary>The forecasts of one contract or currency as forward.md names them.</summary>
public sealed record ForecastLineDocument
{
    public string? ContractId { get; init; }
    public required string Currency { get; init; }
    public required string OverdueBilling { get; init; }
    public required string UnscheduledBilling { get; init; }
    public required IReadOnlyList<MonthAmount> BillingsForecast { get; init; }
    public required string BillingsLater { get; init; }
    public required string CollectionsOverdue { get; init; }
    public required IReadOnlyList<MonthAmount> CollectionsForecast { get; init; }
    public required string CollectionsLater { get; init; }
    public required IReadOnlyList<MonthAmount> RevenueWaterfall { get; init; }
    public required string RevenueLater { get; init; }

    /// <summary>The document of a forecast line whose first month is <paramref name="firstMonth"/>.</summary>
    public static ForecastLineDocument From(ForecastLine line, Period firstMonth)
    {
        var c = line.Currency;
        return new ForecastLineDocument
        {
            ContractId = line.ContractId,
            Currency = c.Code,
            OverdueBilling = c.Format(line.OverdueBilling),
            UnscheduledBilling = c.Format(line.UnscheduledBilling),
            BillingsForecast = Months(line.Billings),
            BillingsLater = c.Format(line.Billings.Later),
            CollectionsOverdue = c.Format(line.CollectionsOverdue),
            CollectionsForecast = Months(line.Collections),
            CollectionsLater = c.Format(line.Collections.Later),
            RevenueWaterfall = Months(line.Revenue),
            RevenueLater = c.Format(line.Revenue.Later),
        };

        List<MonthAmount> Months(MonthlyForecast forecast) =>
            [.. forecast.Months.Select((amount, i) => new MonthAmount(firstMonth.AddMonths(i).ToString(), c.Format(amount)))];
    }

    public ForecastLine ToLine() => new()
    {
        ContractId = ContractId,
        Currency = Domain.Money.Currency.Of(Currency),
        OverdueBilling = StoredMoney.Parse(OverdueBilling),
        UnscheduledBilling = StoredMoney.Parse(UnscheduledBilling),
        Billings = Monthly(BillingsForecast, BillingsLater),
        CollectionsOverdue = StoredMoney.Parse(CollectionsOverdue),
        Collections = Monthly(CollectionsForecast, CollectionsLater),
        Revenue = Monthly(RevenueWaterfall, RevenueLater),
    };

    private static MonthlyForecast Monthly(IReadOnlyList<MonthAmount> months, string later) =>
        months.Count == MonthlyForecast.Horizon
            ? new MonthlyForecast([.. months.Select(m => StoredMoney.Parse(m.Amount))], StoredMoney.Parse(later))
            : throw new InvalidDataException($"a stored forecast has {months.Count} months, not {MonthlyForecast.Horizon}");
}

/// <summary>
/// One contract's forecasts as its stored row keeps them, compactly: each forecast is 24 monthly amounts from the
/// month after the period, then the amount of later months.
/// </summary>
public sealed record ForecastRow(
    string OverdueBilling,
    string UnscheduledBilling,
    string CollectionsOverdue,
    IReadOnlyList<string> Billings,
    IReadOnlyList<string> Collections,
    IReadOnlyList<string> Revenue)
{
    public static ForecastRow From(ForecastLine line)
    {
        var c = line.Currency;
        return new ForecastRow(
            c.Format(line.OverdueBilling),
            c.Format(line.UnscheduledBilling),
            c.Format(line.CollectionsOverdue),
            Amounts(line.Billings),
            Amounts(line.Collections),
            Amounts(line.Revenue));

        List<string> Amounts(MonthlyForecast forecast) => [.. forecast.Months.Select(c.Format), c.Format(forecast.Later)];
    }

    public ForecastLine ToLine(string contractId, Currency currency) => new()
    {
        ContractId = contractId,
        Currency = currency,
        OverdueBilling = StoredMoney.Parse(OverdueBilling),
        UnscheduledBilling = StoredMoney.Parse(UnscheduledBilling),
        Billings = Monthly(Billings),
        CollectionsOverdue = StoredMoney.Parse(CollectionsOverdue),
        Collections = Monthly(Collections),
        Revenue = Monthly(Revenue),
    };

    private static MonthlyForecast Monthly(IReadOnlyList<string> amounts) =>
        amounts.Count == MonthlyForecast.Horizon + 1
            ? new MonthlyForecast([.. amounts.Take(MonthlyForecast.Horizon).Select(StoredMoney.Parse)], StoredMoney.Parse(amounts[^1]))
            : throw new InvalidDataException($"a stored forecast has {amounts.Count} amounts, not {MonthlyForecast.Horizon + 1}");
}

/// <summary>An invoice with an open balance: dates as yyyy-MM-dd, money with the currency's digits.</summary>
public sealed record OpenInvoiceDocument(string InvoiceId, DateOnly IssueDate, DateOnly DueDate, string Amount, string OpenBalance, int DaysPastDue)
{
    public static OpenInvoiceDocument From(OpenInvoice invoice, Currency c) =>
        new(invoice.InvoiceId, invoice.IssueDate, invoice.DueDate, c.Format(invoice.Amount), c.Format(invoice.OpenBalance), invoice.DaysPastDue);

    public OpenInvoice ToInvoice() => new(InvoiceId, IssueDate, DueDate, StoredMoney.Parse(Amount), StoredMoney.Parse(OpenBalance), DaysPastDue);
}

/// <summary>A delivery or milestone past its expected date (forward.md names); the milestone is null for a point-in-time line.</summary>
public sealed record OverdueDeliveryDocument
{
    public required string ContractId { get; init; }
    public required string Currency { get; init; }
    public required string LineId { get; init; }
    public string? MilestoneId { get; init; }
    public required DateOnly ExpectedDate { get; init; }
    public required string Amount { get; init; }
    public required int DaysLate { get; init; }

    public static OverdueDeliveryDocument From(OverdueDelivery d) => new()
    {
        ContractId = d.ContractId,
        Currency = d.Currency.Code,
        LineId = d.LineId,
        MilestoneId = d.MilestoneId,
        ExpectedDate = d.ExpectedDate,
        Amount = d.Currency.Format(d.Amount),
        DaysLate = d.DaysLate,
    };

    public OverdueDelivery ToDelivery() => new(ContractId, Domain.Money.Currency.Of(Currency), LineId, MilestoneId, ExpectedDate, StoredMoney.Parse(Amount), DaysLate);
}

/// <summary>What a stored contract row keeps of the contract's forward view.</summary>
public sealed record ContractForwardRow(ForecastRow Forecast, IReadOnlyList<OpenInvoiceDocument> OpenInvoices)
{
    public static ContractForwardRow From(ContractForwardDetail detail, Currency c) =>
        new(ForecastRow.From(detail.Forecast), [.. detail.OpenInvoices.Select(i => OpenInvoiceDocument.From(i, c))]);

    public ContractForwardDetail ToDetail(string contractId, Currency currency) =>
        new(Forecast.ToLine(contractId, currency), [.. OpenInvoices.Select(i => i.ToInvoice())]);
}
