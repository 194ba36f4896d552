using System.Globalization;
using System.Text.Json.Serialization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// The snapshot document (<see cref="SnapshotJson"/>): what the close stores next to the contract rows (totals,
/// roll-forwards, aging, concentration, segments, waterfalls; no contracts) and what <c>backlog snapshot --format
/// json</c> prints (with contracts). Money as strings with the currency's digits, ratios and shares as strings or
/// "n/a", dates as yyyy-MM-dd; the figures of <see cref="FigureColumns.All"/> sit inline where
/// <see cref="FigureMembers"/> stands. Reports and the API read the stored one, so what they show is what the close stored.
/// </summary>
public sealed record SnapshotDocument
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Period { get; init; }

    public required DateOnly AsOf { get; init; }

    public required DateOnly OpeningDate { get; init; }

    public required PolicyDocument Policy { get; init; }

    public required IReadOnlyList<TotalsDocument> Totals { get; init; }

    /// <summary>The group figures in the reporting currency (or the rates they lack); absent without a reporting currency.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConsolidatedDocument? Consolidated { get; init; }

    /// <summary>Written only when the snapshot has waterfalls (stored documents of closed periods).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<WaterfallDocument>? Waterfalls { get; init; }

    /// <summary>Each currency's forecasts; written only when the snapshot has them (stored documents of closed periods).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ForecastLineDocument>? Forecasts { get; init; }

    /// <summary>Every delivery and milestone past its expected date; absent in documents written before the forward view.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<OverdueDeliveryDocument>? OverdueDeliveries { get; init; }

    /// <summary>Every progress line with an expected loss (recognition.md); written only when there is one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LossContractDocument>? LossContracts { get; init; }

    /// <summary>The target version the close compared with; absent when no targets were uploaded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TargetsVersion { get; init; }

    /// <summary>Each target of the month against its actual (alerts.md); absent without targets for it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TargetResultDocument>? Targets { get; init; }

    /// <summary>Every alert rule evaluated for the version, fired or not, critical first; absent where not evaluated.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AlertDocument>? Alerts { get; init; }

    /// <summary>Empty in stored documents: contract detail lives in the rows.</summary>
    public IReadOnlyList<ContractDocument> Contracts { get; init; } = [];

    public static SnapshotDocument From(Snapshot snapshot) => new()
    {
        Period = snapshot.PeriodName,
        AsOf = snapshot.AsOf,
        OpeningDate = snapshot.OpeningDate,
        Policy = new PolicyDocument(PolicyNames.NameOf(snapshot.Options.Proration), PolicyNames.NameOf(snapshot.Options.DeferredBasis)) { ProgressDecimals = snapshot.Options.ProgressDecimals },
        Totals = [.. snapshot.Totals.Select(t => TotalsDocument.From(t, snapshot.Options))],
        Consolidated = snapshot.Consolidated is { } consolidated ? ConsolidatedDocument.From(consolidated, snapshot.Options, snapshot.AsOf) : null,
        Waterfalls = snapshot.Waterfalls.Count > 0 ? [.. snapshot.Waterfalls.Select(WaterfallDocument.From)] : null,
        Forecasts = snapshot.Forecasts.Count > 0 ? [.. snapshot.Forecasts.Select(f => ForecastLineDocument.From(f, Domain.Money.Period.Of(snapshot.AsOf).Next))] : null,
        OverdueDeliveries = [.. snapshot.OverdueDeliveries.Select(OverdueDeliveryDocument.From)],
        LossContracts = snapshot.LossContracts.Count > 0 ? [.. snapshot.LossContracts.Select(LossContractDocument.From)] : null,
        TargetsVersion = snapshot.TargetsVersion,
        Targets = snapshot.Targets.Count > 0 ? [.. snapshot.Targets.Select(TargetResultDocument.From)] : null,
        Alerts = snapshot.Alerts is { } alerts ? [.. alerts.Select(a => AlertDocument.From(a, snapshot.Consolidated?.Currency))] : null,
        Contracts = [.. snapshot.Contracts.Select(ContractDocument.From)],
    };

    /// <summary>The snapshot the document holds, without contracts (contract detail is read from the rows).</summary>
    public Snapshot ToSnapshot() => new()
    {
        Period = Domain.Money.Period.TryParse(Period, out var month) ? month : null,
        AsOf = AsOf,
        OpeningDate = OpeningDate,
        Options = PolicyNames.Options(Policy.Proration, Policy.DeferredBasis) with { ProgressDecimals = Policy.ProgressDecimals },
        Totals = [.. Totals.Select(t => t.ToTotals())],
        Consolidated = Consolidated?.ToConsolidated(),
        Waterfalls = Waterfalls is null ? [] : [.. Waterfalls.Select(w => w.ToWaterfall())],
        Forecasts = Forecasts is null ? [] : [.. Forecasts.Select(f => f.ToLine())],
        OverdueDeliveries = OverdueDeliveries is null ? [] : [.. OverdueDeliveries.Select(d => d.ToDelivery())],
        LossContracts = LossContracts is null ? [] : [.. LossContracts.Select(l => l.ToLoss())],
        TargetsVersion = TargetsVersion,
        Targets = Targets is null || Period is null ? [] : [.. Targets.Select(t => t.ToResult(Period))],
        Alerts = Alerts?.Select(a => a.ToResult()).ToList(),
        Contracts = [],
    };

    internal static string Share(decimal? share) =>
        share is { } s ? s.ToString("0.000000", CultureInfo.InvariantCulture) : "n/a";

    internal static decimal? Share(string text) =>
        text != "n/a" ? decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : null;
}

/// <summary>The policies a snapshot was computed with, by their names in <see cref="PolicyNames"/>.</summary>
public sealed record PolicyDocument(string Proration, string DeferredBasis)
{
    /// <summary>The setting progressDecimals; absent for the exact ratio (the default).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ProgressDecimals { get; init; }
}

/// <summary>One currency's totals: every figure, the ratios, both roll-forwards, aging, concentration and segments.</summary>
public sealed record TotalsDocument
{
    public required string Currency { get; init; }

    public required int ContractCount { get; init; }

    public FigureMembers Figures { get; } = new();

    public required string BacklogRatio { get; init; }

    public required string BacklogRatioTtm { get; init; }

    // The KPIs of the period (forward.md); absent in documents written before them, which read as "n/a".
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BookToBill { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BacklogConversion { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CancellationRate { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LeadTimeDays { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Grr { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Nrr { get; init; }

    public required RollForwardsDocument RollForward { get; init; }

    /// <summary>Backlog by age bucket (its label), in bucket order.</summary>
    public required OrderedDictionary<string, string> BacklogAging { get; init; }

    public required ConcentrationDocument Concentration { get; init; }

    public required IReadOnlyList<SegmentDocument> Segments { get; init; }

    public static TotalsDocument From(CurrencyTotals total, SnapshotOptions options)
    {
        var c = total.Currency;
        var f = total.Figures;
        var document = new TotalsDocument
        {
            Currency = c.Code,
            ContractCount = total.Contracts,
            BacklogRatio = FigureColumns.FormatRatio(f.BacklogRatio),
            BacklogRatioTtm = FigureColumns.FormatRatio(f.BacklogRatioTtm),
            BookToBill = FigureColumns.FormatKpi(f.BookToBill),
            BacklogConversion = FigureColumns.FormatKpi(f.BacklogConversion),
            CancellationRate = FigureColumns.FormatKpi(f.CancellationRate),
            LeadTimeDays = FigureColumns.FormatDays(f.LeadTimeDays),
            Grr = FigureColumns.FormatKpi(total.Grr),
            Nrr = FigureColumns.FormatKpi(total.Nrr),
            RollForward = RollForwardsDocument.From(f, c, options),
            BacklogAging = new OrderedDictionary<string, string>(total.BacklogAging.Select(a => KeyValuePair.Create(BucketLabels.Label(a.Key), c.Format(a.Value))), StringComparer.Ordinal),
            Concentration = ConcentrationDocument.From(total.Concentration, c),
            Segments = [.. total.Segments.Select(s => SegmentDocument.From(s, c))],
        };
        document.Figures.Add(f, c, includeBilling: true);
        return document;
    }

    public CurrencyTotals ToTotals() => new()
    {
        Currency = Domain.Money.Currency.Of(Currency),
        Contracts = ContractCount,
        Figures = Figures.ToFigures() with { ContractPositionInflow = StoredMoney.Parse(RollForward.NetContractPosition.Inflow) },
        BacklogAging = BacklogAging.ToDictionary(a => BucketLabels.Age(a.Key), a => StoredMoney.Parse(a.Value)),
        Concentration = Concentration.ToConcentration(),
        Segments = [.. Segments.Select(s => s.ToSegment())],
        Grr = FigureColumns.ParseRatio(Grr),
        Nrr = FigureColumns.ParseRatio(Nrr),
    };
}

/// <summary>The figures of the contracts (or lines) that share one value of one dimension; billing figures only for contract dimensions.</summary>
public sealed record SegmentDocument
{
    public required string Dimension { get; init; }

    public required string Value { get; init; }

    public required int ContractCount { get; init; }

    public FigureMembers Figures { get; } = new();

    public required string BacklogRatio { get; init; }

    public required string BacklogRatioTtm { get; init; }

    public static SegmentDocument From(SegmentFigures segment, Currency currency)
    {
        var document = new SegmentDocument
        {
            Dimension = segment.Dimension,
            Value = BucketLabels.SegmentLabel(segment.Dimension, segment.Value),
            ContractCount = segment.Contracts,
            BacklogRatio = FigureColumns.FormatRatio(segment.Figures.BacklogRatio),
            BacklogRatioTtm = FigureColumns.FormatRatio(segment.Figures.BacklogRatioTtm),
        };
        document.Figures.Add(segment.Figures, currency, segment.IncludesBilling);
        return document;
    }

    public SegmentFigures ToSegment() => new(Dimension, BucketLabels.SegmentValue(Dimension, Value), ContractCount, Figures.ToFigures(), IncludesBilling: Figures.Contains("billings"));
}

/// <summary>Both roll-forwards of one currency, with movements signed as they add up to the closing.</summary>
public sealed record RollForwardsDocument(BacklogRollForwardDocument Backlog, NetContractPositionRollForwardDocument NetContractPosition)
{
    /// <summary>
    /// Both roll-forwards of <paramref name="f"/>; with FX translation effects (consolidated figures), each on its
    /// own line, so that the difference left is zero.
    /// </summary>
    public static RollForwardsDocument From(Figures f, Currency c, SnapshotOptions options, decimal? fxEffectBacklog = null, decimal? fxEffectNetContractPosition = null)
    {
        var inflow = c.Format(f.ContractPositionInflow);
        var collected = options.DeferredBasis == DeferredBasis.Collected;
        return new RollForwardsDocument(
            new BacklogRollForwardDocument(
                c.Format(f.OpeningBacklog),
                c.Format(f.BacklogPriorPeriodAdjustment),
                c.Format(f.Bookings),
                c.Format(f.Expansions),
                c.Format(-f.Contractions),
                c.Format(-f.Cancellations),
                c.Format(-f.Revenue),
                c.Format(f.Backlog),
                c.Format(f.BacklogRollForwardDifference + (fxEffectBacklog ?? 0m)))
            {
                FxTranslationEffect = fxEffectBacklog is { } backlogEffect ? c.Format(backlogEffect) : null,
                UsageBeyondCommitments = c.Format(f.UsageBeyondCommitments),
            },
            new NetContractPositionRollForwardDocument
            {
                Opening = c.Format(f.OpeningNetContractPosition),
                PriorPeriodAdjustments = c.Format(f.NetContractPositionPriorPeriodAdjustment),
                Billings = collected ? null : inflow,
                Collections = collected ? inflow : null,
                Revenue = c.Format(-f.Revenue),
                Closing = c.Format(f.NetContractPosition),
                Difference = c.Format(f.NetContractPositionRollForwardDifference + (fxEffectNetContractPosition ?? 0m)),
                FxTranslationEffect = fxEffectNetContractPosition is { } positionEffect ? c.Format(positionEffect) : null,
            });
    }
}

public sealed record BacklogRollForwardDocument(
    string Opening,
    string PriorPeriodAdjustments,
    string Bookings,
    string Expansions,
    string Contractions,
    string Cancellations,
    string Revenue,
    string Closing,
    string Difference)
{
    /// <summary>
    /// + revenue of usage lines that never was backlog (recognition.md): between revenue and closing in the
    /// identity; absent from documents stored before the figure existed (read as zero).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UsageBeyondCommitments { get; init; }

    /// <summary>Consolidated roll-forwards only: the currency effect, closing minus everything else.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FxTranslationEffect { get; init; }
}

/// <summary>The inflow is <c>billings</c> on the billed basis and <c>collections</c> on the collected basis; the other is absent.</summary>
public sealed record NetContractPositionRollForwardDocument
{
    public required string Opening { get; init; }

    public required string PriorPeriodAdjustments { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Billings { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Collections { get; init; }

    /// <summary>Billings or collections, whichever the document holds.</summary>
    [JsonIgnore]
    public string Inflow => Billings ?? Collections ?? throw new InvalidDataException("a net contract position roll-forward has neither billings nor collections");

    public required string Revenue { get; init; }

    public required string Closing { get; init; }

    public required string Difference { get; init; }

    /// <summary>Consolidated roll-forwards only: the currency effect, closing minus everything else.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FxTranslationEffect { get; init; }
}

public sealed record ConcentrationDocument(int Customers, string LargestShare, string Top10Share, string Herfindahl, IReadOnlyList<CustomerShareDocument> TopCustomers)
{
    public static ConcentrationDocument From(Concentration concentration, Currency c) => new(
        concentration.Customers,
        SnapshotDocument.Share(concentration.LargestShare),
        SnapshotDocument.Share(concentration.Top10Share),
        SnapshotDocument.Share(concentration.Herfindahl),
        [.. concentration.TopCustomers.Select(t => new CustomerShareDocument(t.CustomerId, t.CustomerName, c.Format(t.Backlog), SnapshotDocument.Share(t.Share)))]);

    public Concentration ToConcentration() => new(
        Customers,
        SnapshotDocument.Share(LargestShare),
        SnapshotDocument.Share(Top10Share),
        SnapshotDocument.Share(Herfindahl),
        [.. TopCustomers.Select(t => new CustomerShare(t.CustomerId, t.CustomerName, StoredMoney.Parse(t.Backlog), SnapshotDocument.Share(t.Share) ?? 0m))]);
}

public sealed record CustomerShareDocument(string CustomerId, string CustomerName, string Backlog, string Share);

/// <summary>When one currency's closing backlog is expected to be recognized: month by month, then later.</summary>
public sealed record WaterfallDocument(string Currency, string Backlog, IReadOnlyList<WaterfallMonthDocument> Months, string Later)
{
    public static WaterfallDocument From(Waterfall waterfall)
    {
        var c = waterfall.Currency;
        return new WaterfallDocument(
            c.Code,
            c.Format(waterfall.Backlog),
            [.. waterfall.Months.Select(m => new WaterfallMonthDocument(m.Index, Domain.Money.Period.Of(m.Through).ToString(), m.Through, c.Format(m.Amount)))],
            c.Format(waterfall.Later));
    }

    public Waterfall ToWaterfall() => new(
        Domain.Money.Currency.Of(Currency),
        StoredMoney.Parse(Backlog),
        [.. Months.Select(m => new WaterfallMonth(m.Index, m.Through, StoredMoney.Parse(m.Amount)))],
        StoredMoney.Parse(Later));
}

public sealed record WaterfallMonthDocument(int Index, string Month, DateOnly Through, string Amount);

/// <summary>
/// Waterfalls of one day on their own: what <c>backlog waterfall --format json</c> prints and what a shard of a
/// fanned-out close keeps for its contracts (the <c>Waterfalls</c> column of its row).
/// </summary>
public sealed record WaterfallsDocument
{
    public required DateOnly AsOf { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Period { get; init; }

    public required IReadOnlyList<WaterfallDocument> Waterfalls { get; init; }

    /// <summary>The group waterfall in the reporting currency (each currency's at its closing rate); absent without one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WaterfallDocument? Consolidated { get; init; }

    /// <summary>Instead of <see cref="Consolidated"/> when a closing rate is missing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MissingRateDocument>? ConsolidatedMissingRates { get; init; }

    public static WaterfallsDocument From(DateOnly asOf, Period? period, IReadOnlyList<Waterfall> waterfalls, Domain.Consolidation.Translated<Waterfall>? group = null) => new()
    {
        AsOf = asOf,
        Period = period?.ToString(),
        Waterfalls = [.. waterfalls.Select(WaterfallDocument.From)],
        Consolidated = group?.Value is { } waterfall ? WaterfallDocument.From(waterfall) : null,
        ConsolidatedMissingRates = group is { Value: null } missing ? [.. missing.MissingRates.Select(MissingRateDocument.From)] : null,
    };

    public IReadOnlyList<Waterfall> ToWaterfalls() => [.. Waterfalls.Select(w => w.ToWaterfall())];
}

/// <summary>One contract in a printed snapshot: who, when, its buckets, every figure, the ratios, and its lines.</summary>
public sealed record ContractDocument
{
    public required string ContractId { get; init; }

    public required string Currency { get; init; }

    public required string CustomerId { get; init; }

    public required string CustomerName { get; init; }

    public required string? CustomerSegment { get; init; }

    public required string? Region { get; init; }

    public required string? SalesOwner { get; init; }

    public required DateOnly SignedDate { get; init; }

    public required bool Signed { get; init; }

    public required string TermLength { get; init; }

    public required string BacklogAge { get; init; }

    /// <summary>Absent when the contract has none; in key order.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OrderedDictionary<string, string>? Attributes { get; init; }

    public FigureMembers Figures { get; } = new();

    public required string BacklogRatio { get; init; }

    public required string BacklogRatioTtm { get; init; }

    public required IReadOnlyList<ContractLineDocument> Lines { get; init; }

    public static ContractDocument From(ContractSnapshot contract)
    {
        var c = contract.Currency;
        var document = new ContractDocument
        {
            ContractId = contract.ContractId,
            Currency = c.Code,
            CustomerId = contract.Customer.Id,
            CustomerName = contract.Customer.Name,
            CustomerSegment = contract.Customer.Segment,
            Region = contract.Customer.Region,
            SalesOwner = contract.SalesOwner,
            SignedDate = contract.SignedDate,
            Signed = contract.IsSigned,
            TermLength = BucketLabels.Label(contract.TermLength),
            BacklogAge = BucketLabels.Label(contract.BacklogAge),
            Attributes = contract.Attributes.Count > 0
                ? new OrderedDictionary<string, string>(contract.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal), StringComparer.Ordinal)
                : null,
            BacklogRatio = FigureColumns.FormatRatio(contract.Figures.BacklogRatio),
            BacklogRatioTtm = FigureColumns.FormatRatio(contract.Figures.BacklogRatioTtm),
            Lines = [.. contract.Lines.Select(l => ContractLineDocument.From(l, c))],
        };
        document.Figures.Add(contract.Figures, c, includeBilling: true);
        return document;
    }
}

/// <summary>A progress line with an expected loss: estimated total cost less the line's amount.</summary>
public sealed record LossContractDocument
{
    public required string ContractId { get; init; }

    public required string Currency { get; init; }

    public required string LineId { get; init; }

    public required string ExpectedLoss { get; init; }

    public static LossContractDocument From(LossContract loss) => new()
    {
        ContractId = loss.ContractId,
        Currency = loss.Currency.Code,
        LineId = loss.LineId,
        ExpectedLoss = loss.Currency.Format(loss.ExpectedLoss),
    };

    public LossContract ToLoss() => new(ContractId, Domain.Money.Currency.Of(Currency), LineId, decimal.Parse(ExpectedLoss, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
}

/// <summary>One line of a printed contract: its line-level figures (no billing, no ratios).</summary>
public sealed record ContractLineDocument
{
    /// <summary>Fraction digits of a progress line's <see cref="Progress"/>.</summary>
    public const int ProgressDigits = 4;

    public required string LineId { get; init; }

    public required string? ProductLine { get; init; }

    /// <summary>A progress line's progress as of the day, a ratio with <see cref="ProgressDigits"/> decimals; absent for the other patterns.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Progress { get; init; }

    /// <summary>How the line earns revenue (the event schema's name: ratable, point_in_time, milestone, progress, usage); absent in documents stored before lines kept it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Recognition { get; init; }

    public FigureMembers Figures { get; } = new();

    /// <summary>A progress ratio as written: <see cref="ProgressDigits"/> decimals, half away from zero; null stays null.</summary>
    public static string? FormatProgress(decimal? ratio) =>
        ratio is { } r ? decimal.Round(r, ProgressDigits, MidpointRounding.AwayFromZero).ToString("0.0000", CultureInfo.InvariantCulture) : null;

    public static ContractLineDocument From(LineSnapshot line, Currency currency)
    {
        var document = new ContractLineDocument
        {
            LineId = line.LineId,
            ProductLine = line.ProductLine,
            Progress = FormatProgress(line.Progress),
            Recognition = line.Recognition is { } pattern ? EventJson.Recognitions.NameOf(pattern) : null,
        };
        document.Figures.Add(line.Figures, currency, includeBilling: false);
        return document;
    }
}
