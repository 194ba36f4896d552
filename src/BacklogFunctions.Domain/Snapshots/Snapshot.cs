using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Snapshots;

/// <summary>The figures of one line of a contract (line-level figures only: no billing).</summary>
public sealed record LineSnapshot(string LineId, string? ProductLine, Figures Figures)
{
    /// <summary>A progress line's progress as of the snapshot's day (the ratio used, 0 to 1); null for the other patterns.</summary>
    public decimal? Progress { get; init; }

    /// <summary>How the line earns revenue under its latest terms; null in rows stored before lines kept it.</summary>
    public Events.RecognitionPattern? Recognition { get; init; }
}

/// <summary>
/// A progress line measured by cost whose estimated total cost exceeds its amount (recognition.md): a loss contract.
/// The expected loss is the estimated total cost less the amount, in the contract's currency; the provision itself is
/// the ledger's business.
/// </summary>
public sealed record LossContract(string ContractId, Currency Currency, string LineId, decimal ExpectedLoss);

/// <summary>One contract's figures as of a day.</summary>
public sealed record ContractSnapshot
{
    public required string ContractId { get; init; }
    public required Currency Currency { get; init; }
    public required Customer Customer { get; init; }
    public string? SalesOwner { get; init; }
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }
    public required DateOnly SignedDate { get; init; }
    public required bool IsSigned { get; init; }
    public required TermLength TermLength { get; init; }
    public required BacklogAge BacklogAge { get; init; }
    public required Figures Figures { get; init; }
    public required IReadOnlyList<LineSnapshot> Lines { get; init; }

    /// <summary>Its deliveries and milestones whose expected date has passed (forward.md, "Late work").</summary>
    public IReadOnlyList<Forward.OverdueDelivery> OverdueDeliveries { get; init; } = [];

    /// <summary>Its progress lines with an expected loss as of the snapshot's day.</summary>
    public IReadOnlyList<LossContract> LossContracts { get; init; } = [];

    /// <summary>Its forecasts and open invoices, when the snapshot was computed with them (closed periods).</summary>
    public ContractForwardDetail? Forward { get; init; }
}

/// <summary>What a closed period keeps of one contract's forward view beyond its figures.</summary>
/// <param name="Forecast">Billings, collections and revenue forecast month by month.</param>
/// <param name="OpenInvoices">The invoices with an open balance, in the order they absorbed credits.</param>
public sealed record ContractForwardDetail(Forward.ForecastLine Forecast, IReadOnlyList<Forward.OpenInvoice> OpenInvoices);

/// <summary>
/// A contract's closing balances as stored when its period was closed and locked. The next period opens from
/// them; whatever later-arriving events changed in them becomes that period's prior-period adjustment.
/// </summary>
public sealed record LockedClosing(decimal Backlog, decimal NetContractPosition, IReadOnlyDictionary<string, decimal> LineBacklog)
{
    /// <summary>A contract the locked period did not know at all.</summary>
    public static readonly LockedClosing None = new(0m, 0m, new Dictionary<string, decimal>());

    public static LockedClosing Of(ContractSnapshot snapshot) => new(
        snapshot.Figures.Backlog,
        snapshot.Figures.NetContractPosition,
        snapshot.Lines.ToDictionary(l => l.LineId, l => l.Figures.Backlog, StringComparer.Ordinal));
}

/// <summary>A customer's share of one currency's backlog.</summary>
public sealed record CustomerShare(string CustomerId, string CustomerName, decimal Backlog, decimal Share);

/// <summary>How concentrated one currency's backlog is in a few customers. Null shares when the backlog is not positive.</summary>
public sealed record Concentration(int Customers, decimal? LargestShare, decimal? Top10Share, decimal? Herfindahl, IReadOnlyList<CustomerShare> TopCustomers)
{
    public static Concentration None { get; } = new(0, null, null, null, []);

    /// <summary>
    /// Shares of the customers who hold backlog, from each customer's backlog by customer id. A customer whose
    /// backlog is negative (a reduction signed now, effective later) holds no share, so shares stay between 0 and 1
    /// and add up to 1.
    /// </summary>
    public static Concentration Of(IEnumerable<(string Id, string Name, decimal Backlog)> customers)
    {
        var ranked = customers
            .Where(c => c.Backlog > 0m)
            .OrderByDescending(c => c.Backlog)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        var total = ranked.Sum(c => c.Backlog);
        if (total <= 0m)
        {
            return None;
        }

        decimal Share(decimal backlog) => backlog / total;
        static decimal Rounded(decimal share) => Math.Round(share, 6, MidpointRounding.AwayFromZero);
        var top = ranked.Take(10)
            .Select(c => new CustomerShare(c.Id, c.Name, c.Backlog, Rounded(Share(c.Backlog))))
            .ToList();
        return new Concentration(
            ranked.Count,
            Rounded(Share(ranked[0].Backlog)),
            Rounded(Share(ranked.Take(10).Sum(c => c.Backlog))),
            Rounded(ranked.Sum(c => Share(c.Backlog) * Share(c.Backlog))),
            top);
    }
}

/// <summary>The figures of the contracts (or lines) that share one value of one attribute.</summary>
public sealed record SegmentFigures(string Dimension, string Value, int Contracts, Figures Figures, bool IncludesBilling);

/// <summary>Everything of one currency, summed over its contracts.</summary>
public sealed record CurrencyTotals
{
    public required Currency Currency { get; init; }
    public required int Contracts { get; init; }
    public required Figures Figures { get; init; }
    /// <summary>Backlog by the age of its contracts, every bucket in <see cref="AgeBuckets.All"/> order.</summary>
    public required IReadOnlyDictionary<BacklogAge, decimal> BacklogAging { get; init; }
    public required Concentration Concentration { get; init; }
    public required IReadOnlyList<SegmentFigures> Segments { get; init; }

    /// <summary>
    /// Gross revenue retention of the twelve months ending on the snapshot day: over the customers with ARR a year
    /// earlier, Σ min(ARR now, ARR then) ÷ Σ ARR then, four decimals; null ("n/a") when there is no such customer.
    /// </summary>
    public decimal? Grr { get; init; }

    /// <summary>Net revenue retention: Σ ARR now ÷ Σ ARR then over the same customers.</summary>
    public decimal? Nrr { get; init; }
}

/// <summary>A month-end (or any day's) snapshot: totals per currency and, optionally, every contract.</summary>
public sealed record Snapshot
{
    public required DateOnly AsOf { get; init; }

    /// <summary>The last day before the period the flows cover.</summary>
    public required DateOnly OpeningDate { get; init; }

    public Period? Period { get; init; }

    /// <summary>The span the flows cover when it is a quarter or fiscal year (or a month reported as a span).</summary>
    public ReportingPeriod? Span { get; init; }

    /// <summary>The name of what the snapshot reports: <c>2026-10</c>, <c>2026-Q4</c>, <c>FY2027</c>; null for a day.</summary>
    public string? PeriodName => Span?.Name ?? Period?.ToString();

    public required SnapshotOptions Options { get; init; }

    public required IReadOnlyList<CurrencyTotals> Totals { get; init; }

    public required IReadOnlyList<ContractSnapshot> Contracts { get; init; }

    /// <summary>When each currency's closing backlog is expected to be recognized (stored with closed periods).</summary>
    public IReadOnlyList<Waterfall> Waterfalls { get; init; } = [];

    /// <summary>Each currency's billings, collections and revenue forecast, when the contracts carry theirs (closed periods).</summary>
    public IReadOnlyList<Forward.ForecastLine> Forecasts { get; init; } = [];

    /// <summary>Every overdue delivery and milestone, by contract, line and milestone.</summary>
    public IReadOnlyList<Forward.OverdueDelivery> OverdueDeliveries { get; init; } = [];

    /// <summary>Every progress line with an expected loss as of <see cref="AsOf"/>, by contract and line.</summary>
    public IReadOnlyList<LossContract> LossContracts { get; init; } = [];

    /// <summary>The group figures in the reporting currency, or the rates they lack; null without a reporting currency.</summary>
    public Consolidation.Consolidated? Consolidated { get; init; }

    /// <summary>The target version a closed version was compared with; null when no targets were uploaded (or not a closed version).</summary>
    public int? TargetsVersion { get; init; }

    /// <summary>Each target of the period against its actual (alerts.md, "Targets").</summary>
    public IReadOnlyList<Alerts.TargetResult> Targets { get; init; } = [];

    /// <summary>Every alert rule evaluated for the version, fired or not, critical first; null when not evaluated.</summary>
    public IReadOnlyList<Alerts.AlertResult>? Alerts { get; init; }
}

/// <summary>When one currency's closing backlog is expected to be recognized: month by month, then later.</summary>
public sealed record Waterfall(Currency Currency, decimal Backlog, IReadOnlyList<WaterfallMonth> Months, decimal Later)
{
    /// <summary>
    /// Adds up waterfalls of the same day computed over different contracts (the shards of a close), per
    /// currency: the waterfall of all of them.
    /// </summary>
    public static IReadOnlyList<Waterfall> Sum(IEnumerable<Waterfall> parts) =>
        parts.GroupBy(w => w.Currency.Code, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                var months = first.Months.Select(m => m with { Amount = g.Sum(w => w.Months[m.Index - 1].Amount) }).ToList();
                return new Waterfall(first.Currency, g.Sum(w => w.Backlog), months, g.Sum(w => w.Later));
            })
            .ToList();
}

public sealed record WaterfallMonth(int Index, DateOnly Through, decimal Amount);

/// <summary>How long ago a contract was signed (its backlog's age), in days.</summary>
public enum BacklogAge
{
    Days0To90,
    Days91To180,
    Days181To365,
    Over365Days,
}

/// <summary>How long a contract runs, from its first to its last service or expected date.</summary>
public enum TermLength
{
    UpTo12Months,
    Months13To24,
    Months25To36,
    Over36Months,
}

public static class AgeBuckets
{
    public static readonly IReadOnlyList<BacklogAge> All = [BacklogAge.Days0To90, BacklogAge.Days91To180, BacklogAge.Days181To365, BacklogAge.Over365Days];

    public static BacklogAge Of(int days) => days switch
    {
        <= 90 => BacklogAge.Days0To90,
        <= 180 => BacklogAge.Days91To180,
        <= 365 => BacklogAge.Days181To365,
        _ => BacklogAge.Over365Days,
    };
}

public static class TermBuckets
{
    public static readonly IReadOnlyList<TermLength> All = [TermLength.UpTo12Months, TermLength.Months13To24, TermLength.Months25To36, TermLength.Over36Months];

    public static TermLength Of(int days) => days switch
    {
        <= 366 => TermLength.UpTo12Months,
        <= 731 => TermLength.Months13To24,
        <= 1096 => TermLength.Months25To36,
        _ => TermLength.Over36Months,
    };
}

public static class SegmentDimensions
{
    public const string CustomerSegment = "customerSegment";
    public const string Region = "region";
    public const string SalesOwner = "salesOwner";
    /// <summary>
    /// Segment values are strings per dimension; those of this one are the <see cref="Snapshots.TermLength"/> names
    /// (<see cref="ValueOf"/>), which outputs show by their labels. The names sort as the labels do, so segments of
    /// equal backlog keep the order they have always had.
    /// </summary>
    public const string TermLength = "termLength";
    public const string ProductLine = "productLine";
    public const string AttributePrefix = "attribute:";
    public const string None = "(none)";

    /// <summary>The value of a consolidated dimension's rounding line (translated parts that do not add up to the translated whole).</summary>
    public const string Rounding = "(rounding)";

    /// <summary>The segment value of a term bucket (<see cref="TermLength"/> dimension).</summary>
    public static string ValueOf(TermLength term) => term.ToString();
}
