using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Explain;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Presentation;

/// <summary>
/// Where an event came from, for an explanation: when it was received (null when it was read from a file) and the
/// SHA-256 of its canonical content (<see cref="EventJson.ContentHash"/>, the hash the store keeps and the webhook
/// answers as <c>payloadSha256</c>).
/// </summary>
public sealed record EventOrigin(DateTimeOffset? ReceivedAt, string PayloadSha256)
{
    /// <summary>An event read from a file: no receipt time, its content hash computed as ingest computes it.</summary>
    public static EventOrigin Offline(ContractEvent e) => new(null, EventJson.ContentHash(e));
}

/// <summary>
/// A contract's explained figures as JSON (journal.md, "Explained figures"): money as strings with the currency's
/// digits, dates yyyy-MM-dd, each event as <c>{id, source, type, date, receivedAt, payloadSha256, amount}</c>. An
/// explanation of a closed version also carries <see cref="Version"/>, the stored row's figures and whether the
/// explanation adds up to them.
/// </summary>
public sealed record ExplanationDocument(
    string ContractId,
    string Currency,
    string? Period,
    string OpeningDay,
    string AsOf,
    string Proration,
    string DeferredBasis,
    string SignedDate,
    bool IsSigned,
    ExplainedFiguresDocument Figures,
    IReadOnlyList<ExplainedLineDocument> Lines,
    ContributorsDocument Tcv,
    ContributorsDocument Billed,
    ContributorsDocument Collected)
{
    /// <summary>The closed version explained; absent offline.</summary>
    public int? Version { get; init; }

    /// <summary>When that version was closed: only events received by then are explained.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The figures of the version's stored contract row.</summary>
    public ExplainedFiguresDocument? StoredFigures { get; init; }

    /// <summary>True when every explained figure equals the stored row's; absent offline.</summary>
    public bool? AddsUp { get; init; }

    /// <summary>The figures that differ from the stored row (only when it does not add up).</summary>
    public IReadOnlyList<string>? Differences { get; init; }

    public static ExplanationDocument From(ContractExplanation explanation, Period? period, Func<ContractEvent, EventOrigin> origin)
    {
        var c = explanation.Currency;
        var figures = explanation.Figures;
        return new ExplanationDocument(
            explanation.ContractId,
            c.Code,
            period?.ToString(),
            EventJson.Iso(explanation.OpeningDay),
            EventJson.Iso(explanation.AsOf),
            PolicyNames.NameOf(explanation.Options.Proration),
            PolicyNames.NameOf(explanation.Options.DeferredBasis),
            EventJson.Iso(explanation.Signing.SignedDate),
            explanation.IsSigned,
            ExplainedFiguresDocument.From(figures, c),
            [.. explanation.Lines.Select(l => ExplainedLineDocument.From(l, explanation, origin))],
            ContributorsDocument.From(explanation.TcvEvents, c, origin),
            ContributorsDocument.From(explanation.BilledEvents, c, origin),
            ContributorsDocument.From(explanation.CollectedEvents, c, origin));
    }
}

public sealed record ExplainedFiguresDocument(
    string Revenue,
    string RecognizedToDate,
    string BilledToDate,
    string CollectedToDate,
    string Tcv,
    string Backlog,
    string DeferredRevenue,
    string UnbilledReceivable)
{
    public static ExplainedFiguresDocument From(ExplainedFigures f, Currency c) => new(
        c.Format(f.Revenue),
        c.Format(f.RecognizedToDate),
        c.Format(f.BilledToDate),
        c.Format(f.CollectedToDate),
        c.Format(f.Tcv),
        c.Format(f.Backlog),
        c.Format(f.DeferredRevenue),
        c.Format(f.UnbilledReceivable));
}

/// <summary>An event that contributed to a figure: who sent it, when it was received, its content hash, what it added.</summary>
public sealed record EventReferenceDocument(string Id, string? Source, string Type, string Date, DateTimeOffset? ReceivedAt, string PayloadSha256, string? Amount)
{
    /// <summary>A usage report: the quantity it added (absent for the other events).</summary>
    public string? Quantity { get; init; }

    public static EventReferenceDocument From(ContractEvent e, Func<ContractEvent, EventOrigin> origin, string? amount = null)
    {
        var from = origin(e);
        return new EventReferenceDocument(e.Id, e.Source, e.Type, EventJson.Iso(e.BusinessDate), from.ReceivedAt, from.PayloadSha256, amount);
    }
}

/// <summary>A figure and the events it adds up from (each with its contribution).</summary>
public sealed record ContributorsDocument(string Total, IReadOnlyList<EventReferenceDocument> Events)
{
    public static ContributorsDocument From(IReadOnlyList<EventContribution> contributions, Currency c, Func<ContractEvent, EventOrigin> origin) => new(
        c.Format(contributions.Sum(e => e.Amount)),
        [.. contributions.Select(e => EventReferenceDocument.From(e.Event, origin, c.Format(e.Amount)))]);
}

public sealed record AmountChangeDocument(EventReferenceDocument Event, string SignedDate, string EffectiveDate, string? AmountBefore, string? AmountAfter, string TcvBefore, string TcvAfter);

public sealed record PieceDocument(string Kind, string Amount, string From, string To, string? StoppedAfter, long Elapsed, long Length, string Exact, string Recognized)
{
    /// <summary>A progress piece: the progress ratio used (absent for the other kinds).</summary>
    public string? Progress { get; init; }

    /// <summary>A progress piece: what the line earned before the piece's first day (absent for the other kinds).</summary>
    public string? EarnedBefore { get; init; }

    /// <summary>A usage piece: quantity × unit price, the shortfalls and the commitment periods (absent for the other kinds).</summary>
    public UsageEarningDocument? Usage { get; init; }

    public static PieceDocument Of(PieceEarning p, Currency c) => new PieceDocument(
        ExplanationFormats.KindName(p.Kind),
        c.Format(p.Amount),
        EventJson.Iso(p.From),
        EventJson.Iso(p.To),
        p.StoppedAfter is { } stopped ? EventJson.Iso(stopped) : null,
        p.Elapsed,
        p.Length,
        ExplanationFormats.Exact(p.Exact),
        c.Format(p.Recognized))
    {
        Progress = p.Progress is { } ratio ? ExplanationFormats.Exact(ratio) : null,
        EarnedBefore = p.Progress is null ? null : c.Format(p.EarnedBefore),
        Usage = p.Usage is { } usage ? UsageEarningDocument.From(usage, c) : null,
    };
}

/// <summary>A usage piece through a day: used = round(quantity × unit price); recognized = used + shortfalls; beyond commitments never was backlog.</summary>
public sealed record UsageEarningDocument(string Quantity, string UnitPrice, string Exact, string Used, string Shortfalls, string BeyondCommitments, IReadOnlyList<CommitmentPeriodDocument> Periods)
{
    public static UsageEarningDocument From(UsageEarning u, Currency c) => new(
        ExplanationFormats.Quantity(u.Quantity),
        ExplanationFormats.Exact(u.UnitPrice),
        ExplanationFormats.Exact(u.Exact),
        c.Format(u.Used),
        c.Format(u.Shortfalls),
        c.Format(u.BeyondCommitments),
        [.. u.Periods.Select(p => new CommitmentPeriodDocument(EventJson.Iso(p.First), EventJson.Iso(p.Last), c.Format(p.Committed), c.Format(p.Used), c.Format(p.Shortfall), c.Format(p.Beyond), p.Ended))]);
}

/// <summary>One commitment period through a day: committed, used so far, the shortfall earned once it ended, usage above the commitment.</summary>
public sealed record CommitmentPeriodDocument(string First, string Last, string Committed, string Used, string Shortfall, string Beyond, bool Ended);

/// <summary>Cumulative recognized through a day: its pieces and their (rounded) sum.</summary>
public sealed record EarningDocument(string Through, string Recognized, IReadOnlyList<PieceDocument> Pieces)
{
    public static EarningDocument From(Earning e, Currency c) => new(EventJson.Iso(e.Through), c.Format(e.Recognized), [.. e.Pieces.Select(p => PieceDocument.Of(p, c))]);
}

public sealed record ObligationDocument(
    string? MilestoneId,
    string Recognition,
    string? ExpectedDate,
    string? CompletedOn,
    EventReferenceDocument? CompletedBy,
    bool Active,
    string Pending,
    string Tcv,
    EarningDocument Start,
    EarningDocument End);

public sealed record ExplainedLineDocument(
    string LineId,
    string? ProductLine,
    string Recognition,
    string? ServiceStart,
    string? ServiceEnd,
    string? ExpectedDate,
    string Proration,
    IReadOnlyList<AmountChangeDocument> AmountHistory,
    IReadOnlyList<ObligationDocument> Obligations,
    string Tcv,
    string RecognizedAtStart,
    string RecognizedAtEnd,
    string Revenue,
    string Backlog)
{
    /// <summary>A usage line: the usage reports dated in the period that counted, with their quantities (absent for the other patterns).</summary>
    public IReadOnlyList<EventReferenceDocument>? Usages { get; init; }

    public static ExplainedLineDocument From(LineExplanation line, ContractExplanation explanation, Func<ContractEvent, EventOrigin> origin)
    {
        var c = explanation.Currency;
        string? Day(DateOnly? d) => d is { } day ? EventJson.Iso(day) : null;
        string? Money(decimal? m) => m is { } amount ? c.Format(amount) : null;
        return new ExplainedLineDocument(
            line.LineId,
            line.ProductLine,
            EventJson.Recognitions.NameOf(line.Recognition),
            Day(line.Terms?.ServiceStart),
            Day(line.Terms?.ServiceEnd),
            Day(line.Terms?.ExpectedDate),
            PolicyNames.NameOf(explanation.Options.Proration),
            [.. line.History.Select(h => new AmountChangeDocument(EventReferenceDocument.From(h.Event, origin), EventJson.Iso(h.SignedDate), EventJson.Iso(h.EffectiveDate), Money(h.Before), Money(h.After), c.Format(h.TcvBefore), c.Format(h.TcvAfter)))],
            [.. line.Obligations.Select(o => new ObligationDocument(
                o.MilestoneId,
                EventJson.Recognitions.NameOf(o.Recognition),
                Day(o.ExpectedDate),
                Day(o.CompletedOn),
                o.Completion is { } done ? EventReferenceDocument.From(done, origin) : null,
                o.Active,
                c.Format(o.Pending),
                c.Format(o.Tcv),
                EarningDocument.From(o.Start, c),
                EarningDocument.From(o.End, c)))],
            c.Format(line.Tcv),
            c.Format(line.RecognizedAtStart),
            c.Format(line.RecognizedAtEnd),
            c.Format(line.Revenue),
            c.Format(line.Backlog))
        {
            Usages = line.Usages.Count == 0 ? null : [.. line.Usages.Select(u => EventReferenceDocument.From(u.Event, origin) with { Quantity = ExplanationFormats.Quantity(u.Quantity) })],
        };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(ExplanationDocument))]
public sealed partial class ExplanationJsonContext : JsonSerializerContext;

/// <summary>A contract's explained figures as JSON and as a table.</summary>
public static class ExplanationFormats
{
    /// <summary>Fraction digits of an unrounded share as shown (the rounding applied is to the currency's digits).</summary>
    public const int ExactDigits = 10;

    public static string KindName(PieceKind kind) => kind switch
    {
        PieceKind.Completion => "completion",
        PieceKind.CatchUp => "catchUp",
        PieceKind.Progress => "progress",
        PieceKind.Usage => "usage",
        _ => "ratable",
    };

    /// <summary>A quantity of units as reported (up to 6 fraction digits), with thousands separators, trailing zeros left out.</summary>
    public static string Quantity(decimal quantity) => quantity.ToString("#,##0.######", CultureInfo.InvariantCulture);

    /// <summary>An unrounded amount to <see cref="ExactDigits"/> fraction digits, trailing zeros left out.</summary>
    public static string Exact(decimal amount) =>
        decimal.Round(amount, ExactDigits, MidpointRounding.AwayFromZero).ToString("0.##########", CultureInfo.InvariantCulture);

    public static void WriteJson(Stream output, ExplanationDocument document)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        JsonSerializer.Serialize(writer, document, ExplanationJsonContext.Default.ExplanationDocument);
    }

    /// <summary>The same explanation for a reader: each line's history and pieces, then the contributors and the figures.</summary>
    /// <summary>A closed version's explanation: which version, whether it adds up to the stored contract row, then the table.</summary>
    public static void WriteTable(TextWriter output, Explain.ClosedExplanation explained)
    {
        var closed = explained.Closed;
        output.WriteLine($"{closed.Period} version {closed.Version}, closed {closed.ClosedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC: {(explained.AddsUp ? "adds up to the stored contract row" : "DOES NOT add up to the stored contract row: " + string.Join(", ", explained.Differences))}");
        output.WriteLine();
        WriteTable(output, explained.Explanation, closed.Period, explained.OriginOf);
    }

    public static void WriteTable(TextWriter output, ContractExplanation explanation, Period? period, Func<ContractEvent, EventOrigin> origin)
    {
        var c = explanation.Currency;
        string M(decimal amount) => SnapshotTable.Money(c, amount).TrimEnd();
        var span = $"{EventJson.Iso(explanation.OpeningDay.AddDays(1))}..{EventJson.Iso(explanation.AsOf)}";
        output.WriteLine($"Contract {explanation.ContractId} ({c.Code}), {(period is { } p ? $"{p} ({span})" : span)}; proration {PolicyNames.NameOf(explanation.Options.Proration)}, deferred revenue on {PolicyNames.NameOf(explanation.Options.DeferredBasis)} basis");
        if (!explanation.IsSigned)
        {
            output.WriteLine($"  not signed by {EventJson.Iso(explanation.AsOf)} (signed {EventJson.Iso(explanation.Signing.SignedDate)})");
        }

        foreach (var line in explanation.Lines)
        {
            var terms = line.Terms;
            var dates = line.Recognition switch
            {
                Domain.Events.RecognitionPattern.Ratable => $"service {Day(terms?.ServiceStart)}..{Day(terms?.ServiceEnd)}",
                Domain.Events.RecognitionPattern.PointInTime => $"expected {Day(terms?.ExpectedDate)}",
                Domain.Events.RecognitionPattern.Usage => $"{(terms?.UnitPrice is { } price ? Exact(price) : "?")} a unit, {(terms?.Commitment is { } commitment ? $"committed {M(commitment.Amount)} a {EventJson.CommitmentPers.NameOf(commitment.Per)}" : "no commitment")}, service {Day(terms?.ServiceStart)}..{Day(terms?.ServiceEnd)}",
                Domain.Events.RecognitionPattern.Progress => $"{(terms?.Measure is { } measure ? EventJson.Measures.NameOf(measure) : "cost")} of {terms?.EstimatedTotal}, expected completion {Day(terms?.ExpectedCompletion)}",
                _ => "milestones",
            };
            output.WriteLine();
            output.WriteLine($"Line {line.LineId}{(line.ProductLine is { } pl ? $" ({pl})" : string.Empty)}: {EventJson.Recognitions.NameOf(line.Recognition)}, {dates}");
            foreach (var h in line.History)
            {
                var amounts = h.Before == h.After ? $"amount {Optional(h.Before)}" : $"amount {Optional(h.Before)} -> {Optional(h.After)}";
                output.WriteLine($"  {h.Event.Type,-19}{h.Event.Id,-24} signed {EventJson.Iso(h.SignedDate)} effective {EventJson.Iso(h.EffectiveDate)}  {amounts}; TCV {M(h.TcvBefore)} -> {M(h.TcvAfter)}");
            }

            foreach (var o in line.Obligations)
            {
                if (o.Recognition == Domain.Events.RecognitionPattern.Progress)
                {
                    var completed = o.CompletedOn is { } on ? $", completed {EventJson.Iso(on)} by {o.Completion?.Id}" : string.Empty;
                    output.WriteLine($"  completion: expected {Day(o.ExpectedDate)}{completed}{(o.Active ? string.Empty : " (ended)")}");
                }
                else if (o.MilestoneId is not null || o.Recognition is not (Domain.Events.RecognitionPattern.Ratable or Domain.Events.RecognitionPattern.Usage))
                {
                    var completed = o.CompletedOn is { } on ? $"completed {EventJson.Iso(on)} by {o.Completion?.Id}" : $"pending {M(o.Pending)}";
                    output.WriteLine($"  {(o.MilestoneId is { } m ? $"milestone {m}" : "delivery")}: expected {Day(o.ExpectedDate)}, {completed}{(o.Active ? string.Empty : " (ended)")}");
                }

                Pieces("start", o.Start);
                Pieces("end", o.End);
            }

            if (line.Usages.Count > 0)
            {
                output.WriteLine($"  usage reported in the period ({Quantity(line.Usages.Sum(u => u.Quantity))} units):");
                foreach (var u in line.Usages)
                {
                    output.WriteLine($"    {u.Event.Type,-19}{u.Event.Id,-24} {EventJson.Iso(u.Event.BusinessDate)}  quantity {Quantity(u.Quantity)}");
                }
            }

            output.WriteLine($"  recognized {M(line.RecognizedAtEnd)} - {M(line.RecognizedAtStart)} = revenue {M(line.Revenue)}; TCV {M(line.Tcv)}, backlog {M(line.Backlog)}");
        }

        output.WriteLine();
        Contributors("TCV", explanation.TcvEvents);
        Contributors("Billed to date", explanation.BilledEvents);
        Contributors("Collected to date", explanation.CollectedEvents);
        output.WriteLine();
        output.WriteLine("Figures (from the parts above)");
        foreach (var (name, value) in explanation.Figures.Named)
        {
            output.WriteLine($"  {name,-22}{SnapshotTable.Money(c, value),24}");
        }

        void Pieces(string label, Earning earning)
        {
            output.WriteLine($"  {label} {EventJson.Iso(earning.Through)}: recognized {M(earning.Recognized)}");
            foreach (var p in earning.Pieces)
            {
                var stopped = p.StoppedAfter is { } s ? $", stopped after {EventJson.Iso(s)}" : string.Empty;
                if (p.Progress is { } ratio)
                {
                    output.WriteLine($"    progress from {EventJson.Iso(p.From)}{stopped}: {M(p.Amount)} x {Exact(ratio)} - {M(p.EarnedBefore)} = {Exact(p.Exact)} -> {M(p.Recognized)}");
                    continue;
                }

                if (p.Usage is { } usage)
                {
                    output.WriteLine($"    usage from {EventJson.Iso(p.From)}{stopped}: {Quantity(usage.Quantity)} units x {Exact(usage.UnitPrice)} = {Exact(usage.Exact)} -> {M(usage.Used)}; shortfalls of ended commitment periods {M(usage.Shortfalls)}; {M(usage.Used)} + {M(usage.Shortfalls)} = {M(p.Recognized)}, of which beyond commitments {M(usage.BeyondCommitments)}");
                    foreach (var period in usage.Periods.Where(x => x.Last > explanation.OpeningDay && x.First <= earning.Through))
                    {
                        var state = period.Ended ? $"ended, shortfall {M(period.Shortfall)}" : "open";
                        output.WriteLine($"      commitment {EventJson.Iso(period.First)}..{EventJson.Iso(period.Last)}: committed {M(period.Committed)}, used {M(period.Used)}, beyond {M(period.Beyond)} ({state})");
                    }

                    continue;
                }

                var what = p.Kind == PieceKind.Ratable ? $"ratable {EventJson.Iso(p.From)}..{EventJson.Iso(p.To)}{stopped}" : $"{KindName(p.Kind)} on {EventJson.Iso(p.From)}";
                output.WriteLine($"    {what}: {M(p.Amount)} x {p.Elapsed.ToString(CultureInfo.InvariantCulture)} / {p.Length.ToString(CultureInfo.InvariantCulture)} = {Exact(p.Exact)} -> {M(p.Recognized)}");
            }
        }

        void Contributors(string label, IReadOnlyList<EventContribution> events)
        {
            output.WriteLine($"{label} {M(events.Sum(e => e.Amount))}");
            foreach (var e in events)
            {
                var from = origin(e.Event);
                var received = from.ReceivedAt is { } at ? $" received {at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}" : string.Empty;
                output.WriteLine($"  {SnapshotTable.Money(c, e.Amount),20}  {e.Event.Type,-19}{EventJson.Iso(e.Event.BusinessDate)}  {e.Event.Key}{received} sha256 {from.PayloadSha256[..12]}");
            }
        }

        string Optional(decimal? amount) => amount is { } a ? M(a) : "none";
    }

    private static string Day(DateOnly? day) => day is { } d ? EventJson.Iso(d) : "?";
}
