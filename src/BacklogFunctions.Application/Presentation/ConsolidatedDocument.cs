using System.Globalization;
using System.Text.Json.Serialization;
using BacklogFunctions.Application.Consolidation;
using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// The group figures of a snapshot (consolidation.md, "Names"): <c>consolidated</c> beside <c>totals[]</c>. Either
/// the reporting currency with every translated figure inline by its usual name, the FX translation effects, the
/// KPIs, both roll-forwards (with their FX line), segments, customers, each currency's translated figures, the
/// constant-currency figures, the forecast and the rates used — or the reporting currency and the rates missing.
/// </summary>
public sealed record ConsolidatedDocument
{
    public required string Currency { get; init; }

    /// <summary>Present when the view is: the number of contracts of every currency.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ContractCount { get; init; }

    public FigureMembers Figures { get; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FxEffectBacklog { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FxEffectNetContractPosition { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BacklogRatio { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BacklogRatioTtm { get; init; }

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

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RollForwardsDocument? RollForward { get; init; }

    /// <summary>This period's figures at the rates of the same period a year earlier; null when those rates are missing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FiguresDocument? ConstantCurrency { get; init; }

    /// <summary>The rates a year earlier that <see cref="ConstantCurrency"/> lacks; absent when it is there.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MissingRateDocument>? ConstantCurrencyMissingRates { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<UsedRateDocument>? Rates { get; init; }

    /// <summary>Each currency's totals in the reporting currency: they add up to the consolidated figures.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FiguresDocument>? ByCurrency { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OrderedDictionary<string, string>? BacklogAging { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConcentrationDocument? Concentration { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SegmentDocument>? Segments { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ForecastLineDocument? Forecast { get; init; }

    /// <summary>Present instead of the figures when a rate is missing: which currency, which kind, which day.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<MissingRateDocument>? MissingRates { get; init; }

    public static ConsolidatedDocument From(Consolidated consolidated, SnapshotOptions options, DateOnly asOf)
    {
        var c = consolidated.Currency;
        if (consolidated.View is not { } view)
        {
            return new ConsolidatedDocument { Currency = c.Code, MissingRates = [.. consolidated.MissingRates.Select(MissingRateDocument.From)] };
        }

        var total = view.Totals;
        var f = total.Figures;
        var document = new ConsolidatedDocument
        {
            Currency = c.Code,
            ContractCount = total.Contracts,
            FxEffectBacklog = c.Format(view.FxEffectBacklog),
            FxEffectNetContractPosition = c.Format(view.FxEffectNetContractPosition),
            BacklogRatio = FigureColumns.FormatRatio(f.BacklogRatio),
            BacklogRatioTtm = FigureColumns.FormatRatio(f.BacklogRatioTtm),
            BookToBill = FigureColumns.FormatKpi(f.BookToBill),
            BacklogConversion = FigureColumns.FormatKpi(f.BacklogConversion),
            CancellationRate = FigureColumns.FormatKpi(f.CancellationRate),
            LeadTimeDays = FigureColumns.FormatDays(f.LeadTimeDays),
            Grr = FigureColumns.FormatKpi(total.Grr),
            Nrr = FigureColumns.FormatKpi(total.Nrr),
            RollForward = RollForwardsDocument.From(f, c, options, view.FxEffectBacklog, view.FxEffectNetContractPosition),
            ConstantCurrency = view.ConstantCurrency is { } constant ? FiguresDocument.From(c, constant) : null,
            ConstantCurrencyMissingRates = view.ConstantCurrency is null ? [.. view.ConstantCurrencyMissing.Select(MissingRateDocument.From)] : null,
            Rates = [.. view.Rates.Select(UsedRateDocument.From)],
            ByCurrency = [.. view.ByCurrency.Select(t => FiguresDocument.From(t.Currency, t.Figures, c))],
            BacklogAging = new OrderedDictionary<string, string>(total.BacklogAging.Select(a => KeyValuePair.Create(BucketLabels.Label(a.Key), c.Format(a.Value))), StringComparer.Ordinal),
            Concentration = ConcentrationDocument.From(total.Concentration, c),
            Segments = [.. total.Segments.Select(s => SegmentDocument.From(s, c))],
            Forecast = view.Forecast is { } forecast ? ForecastLineDocument.From(forecast, Period.Of(asOf).Next) : null,
        };
        document.Figures.Add(f, c, includeBilling: true);
        return document;
    }

    public Consolidated ToConsolidated()
    {
        var c = Domain.Money.Currency.Of(Currency);
        if (MissingRates is { } missing)
        {
            return new Consolidated(c, null, [.. missing.Select(m => m.ToMissing())]);
        }

        var figures = Figures.ToFigures() with { ContractPositionInflow = StoredMoney.Parse(RollForward!.NetContractPosition.Inflow) };
        return new Consolidated(c, new ConsolidatedView
        {
            Totals = new CurrencyTotals
            {
                Currency = c,
                Contracts = ContractCount ?? 0,
                Figures = figures,
                BacklogAging = (BacklogAging ?? []).ToDictionary(a => BucketLabels.Age(a.Key), a => StoredMoney.Parse(a.Value)),
                Concentration = Concentration?.ToConcentration() ?? Domain.Snapshots.Concentration.None,
                Segments = [.. (Segments ?? []).Select(s => s.ToSegment())],
                Grr = FigureColumns.ParseRatio(Grr),
                Nrr = FigureColumns.ParseRatio(Nrr),
            },
            ByCurrency = [.. (ByCurrency ?? []).Select(t => new TranslatedTotals(Domain.Money.Currency.Of(t.Currency), t.Figures.ToFigures() with { ContractPositionInflow = t.InflowFigure }))],
            Rates = [.. (Rates ?? []).Select(r => r.ToUsed())],
            ConstantCurrency = ConstantCurrency is { } constant ? constant.Figures.ToFigures() with { ContractPositionInflow = constant.InflowFigure } : null,
            ConstantCurrencyMissing = [.. (ConstantCurrencyMissingRates ?? []).Select(m => m.ToMissing())],
            Forecast = Forecast?.ToLine(),
        }, []);
    }
}

/// <summary>
/// A set of figures on its own, in the reporting currency: each currency's translated totals (<see cref="Currency"/>
/// is the currency translated) or the constant-currency figures. The net contract position's inflow (billings or
/// collections, by the policy) is <see cref="Inflow"/>.
/// </summary>
public sealed record FiguresDocument
{
    public required string Currency { get; init; }

    public FigureMembers Figures { get; } = new();

    public required string Inflow { get; init; }

    [JsonIgnore]
    public decimal InflowFigure => StoredMoney.Parse(Inflow);

    /// <summary>Figures of <paramref name="currency"/> written in <paramref name="amountsIn"/>'s digits (its own when null).</summary>
    public static FiguresDocument From(Currency currency, Figures figures, Currency? amountsIn = null)
    {
        var digits = amountsIn ?? currency;
        var document = new FiguresDocument { Currency = currency.Code, Inflow = digits.Format(figures.ContractPositionInflow) };
        document.Figures.Add(figures, digits, includeBilling: true);
        return document;
    }
}

/// <summary>A rate the consolidated view lacks; <c>kind</c> is <c>closing</c> or <c>average</c>.</summary>
public sealed record MissingRateDocument(string Currency, string Kind, DateOnly Date)
{
    public static MissingRateDocument From(MissingRate missing) => new(missing.Currency.Code, KindName(missing.Kind), missing.Date);

    public MissingRate ToMissing() => new(Domain.Money.Currency.Of(Currency), Kind == "average" ? RateKind.Average : RateKind.Closing, Date);

    public static string KindName(RateKind kind) => kind == RateKind.Average ? "average" : "closing";
}

/// <summary>The rates one currency was translated at, as decimal strings (up to 10 fraction digits).</summary>
public sealed record UsedRateDocument(string Currency, string Closing, DateOnly ClosingDate, string Average, string Opening)
{
    public static UsedRateDocument From(UsedRate rate) => new(rate.Currency.Code, FxRateFile.Format(rate.Closing), rate.ClosingDate, FxRateFile.Format(rate.Average), FxRateFile.Format(rate.Opening));

    public UsedRate ToUsed() => new(Domain.Money.Currency.Of(Currency), Parse(Closing), ClosingDate, Parse(Average), Parse(Opening));

    private static decimal Parse(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
