using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Forward;

/// <summary>
/// The three forecasts of one contract or one currency, month by month side by side: when the contract value not
/// yet billed is invoiced, when what is owed and what will be invoiced is collected, and when the backlog is
/// recognized (the revenue waterfall).
/// </summary>
public sealed record ForecastLine
{
    /// <summary>The contract; null for a currency's total.</summary>
    public string? ContractId { get; init; }

    public required Currency Currency { get; init; }

    public required decimal OverdueBilling { get; init; }

    public required decimal UnscheduledBilling { get; init; }

    public required MonthlyForecast Billings { get; init; }

    public required decimal CollectionsOverdue { get; init; }

    public required MonthlyForecast Collections { get; init; }

    public required MonthlyForecast Revenue { get; init; }

    /// <summary>The forecasts of a signed contract from its position known at the end of <paramref name="asOf"/>.</summary>
    public static ForecastLine Of(ContractPosition position, DateOnly asOf) => Of(ContractForward.Of(position, asOf), position);

    /// <summary>The forecasts of a contract's forward view, with the revenue waterfall of the same position.</summary>
    public static ForecastLine Of(ContractForward forward, ContractPosition position)
    {
        var (revenue, revenueLater) = SnapshotCalculator.ExpectedRevenue(position, forward.AsOf, MonthlyForecast.Horizon);
        return new ForecastLine
        {
            ContractId = forward.ContractId,
            Currency = forward.Currency,
            OverdueBilling = forward.OverdueBilling,
            UnscheduledBilling = forward.UnscheduledBilling,
            Billings = forward.BillingsForecast,
            CollectionsOverdue = forward.CollectionsOverdue,
            Collections = forward.CollectionsForecast,
            Revenue = new MonthlyForecast(revenue, revenueLater),
        };
    }

    public static ForecastLine operator +(ForecastLine a, ForecastLine b) => a with
    {
        ContractId = null,
        OverdueBilling = a.OverdueBilling + b.OverdueBilling,
        UnscheduledBilling = a.UnscheduledBilling + b.UnscheduledBilling,
        Billings = a.Billings + b.Billings,
        CollectionsOverdue = a.CollectionsOverdue + b.CollectionsOverdue,
        Collections = a.Collections + b.Collections,
        Revenue = a.Revenue + b.Revenue,
    };
}

/// <summary>The forecasts as of a day: per currency, and per contract.</summary>
public sealed record Forecast(DateOnly AsOf, IReadOnlyList<ForecastLine> Totals, IReadOnlyList<ForecastLine> Contracts)
{
    /// <summary>The group forecast in a reporting currency (or the rates it lacks), when one was asked for.</summary>
    public Consolidation.Translated<ForecastLine>? Group { get; init; }

    /// <summary>The first of the 24 forecast months: the month after <see cref="AsOf"/>'s.</summary>
    public Period FirstMonth => Period.Of(AsOf).AddMonths(1);

    public static Forecast Of(IEnumerable<ContractHistory> contracts, DateOnly asOf, SnapshotOptions options)
    {
        var lines = new List<ForecastLine>();
        foreach (var history in contracts.OrderBy(h => h.ContractId, StringComparer.Ordinal))
        {
            if (history.Signing is null)
            {
                continue;
            }

            var position = history.At(asOf, options.Proration, options.ProgressDecimals);
            if (!position.IsSigned)
            {
                continue;
            }

            lines.Add(ForecastLine.Of(position, asOf));
        }

        var totals = lines
            .GroupBy(l => l.Currency.Code, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Aggregate((a, b) => a + b) with { ContractId = null })
            .ToList();
        return new Forecast(asOf, totals, lines);
    }
}
