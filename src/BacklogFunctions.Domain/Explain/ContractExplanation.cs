using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Explain;

/// <summary>What a piece of a revenue schedule is.</summary>
public enum PieceKind
{
    /// <summary>An amount earned evenly over <c>From..To</c>.</summary>
    Ratable,

    /// <summary>A delivery or milestone, earned in full on the day it was completed.</summary>
    Completion,

    /// <summary>What an amendment moved to its effective day (a reduction below what was earned, or a change after the service ended).</summary>
    CatchUp,

    /// <summary>A progress line's amount from <c>From</c>: round(amount × progress) less what the line earned before.</summary>
    Progress,

    /// <summary>A usage line's terms from <c>From</c>: the usage earned and the shortfalls of the commitment periods ended; its amount is the committed total.</summary>
    Usage,
}

/// <summary>
/// What one piece of a schedule has earned through a day: <c>round(amount × elapsed ÷ length)</c>, the unrounded
/// product (<see cref="Exact"/>) next to the rounded amount (<see cref="Recognized"/>). Elapsed and length are days
/// under the daily policy and month weights under the monthly ones; a one-day piece counts 0 or 1 of 1.
/// </summary>
/// <param name="StoppedAfter">The last day it earns, when an amendment or a cancellation stopped it before <see cref="To"/>.</param>
/// <param name="Lifetime">What it earns over its whole life (its share of TCV).</param>
public sealed record PieceEarning(
    PieceKind Kind,
    decimal Amount,
    DateOnly From,
    DateOnly To,
    DateOnly? StoppedAfter,
    long Elapsed,
    long Length,
    decimal Exact,
    decimal Recognized,
    decimal Lifetime)
{
    /// <summary>A progress piece: the progress ratio used through the day (null for the other kinds).</summary>
    public decimal? Progress { get; init; }

    /// <summary>A progress piece: what the line had earned before <see cref="From"/> (deducted from its cumulative amount).</summary>
    public decimal EarnedBefore { get; init; }

    /// <summary>A usage piece: its usage, shortfalls and commitment periods through the day (null for the other kinds).</summary>
    public UsageEarning? Usage { get; init; }
}

/// <summary>
/// What a usage piece earned through a day, in the rule's own terms (recognition.md): the quantity used × the unit
/// price, rounded once over the cumulative quantity (<see cref="Used"/>), plus the shortfall of each commitment
/// period ended by then. <see cref="Used"/> + <see cref="Shortfalls"/> is the piece's recognized amount; of it,
/// <see cref="BeyondCommitments"/> was usage above the commitments or outside them, which never was backlog.
/// </summary>
/// <param name="Exact">Quantity × unit price before rounding.</param>
public sealed record UsageEarning(decimal Quantity, decimal UnitPrice, decimal Exact, decimal Used, decimal Shortfalls, decimal BeyondCommitments, IReadOnlyList<CommitmentEarning> Periods);

/// <summary>
/// One commitment period as of a day: what is committed for it, what the usage dated in it earned so far, the
/// shortfall earned on its last day (only once it ended) and the usage above the commitment.
/// </summary>
public sealed record CommitmentEarning(DateOnly First, DateOnly Last, decimal Committed, decimal Used, decimal Shortfall, decimal Beyond, bool Ended);

/// <summary>A usage report that counted on a line: its event and the quantity it added.</summary>
public sealed record UsageContribution(ContractEvent Event, decimal Quantity);

/// <summary>An obligation's cumulative recognized amount through a day, as the sum of its pieces.</summary>
public sealed record Earning(DateOnly Through, IReadOnlyList<PieceEarning> Pieces)
{
    public static Earning None(DateOnly through) => new(through, []);

    public decimal Recognized => Pieces.Sum(p => p.Recognized);
}

/// <summary>One event with what it contributed to a figure (its change of TCV, billed or collected to date).</summary>
public sealed record EventContribution(ContractEvent Event, decimal Amount);

/// <summary>
/// One change of a line's stated amount (the signing, an amendment) or of its TCV (a cancellation): the line's
/// amount before and after (null: the line was not in the set), and the line's TCV before and after.
/// </summary>
public sealed record AmountChange(ContractEvent Event, DateOnly SignedDate, DateOnly EffectiveDate, decimal? Before, decimal? After, decimal TcvBefore, decimal TcvAfter);

/// <summary>
/// One performance obligation of a line (the line itself, or one milestone of a milestone line): its expected and
/// completion dates, what is still waiting for completion, and its cumulative recognized amount at the start
/// (as known then) and at the end of the period.
/// </summary>
/// <param name="Completion">The event that completed the delivery or milestone, when one did.</param>
/// <param name="Active">False once an amendment dropped it or a cancellation ended it.</param>
/// <param name="Pending">Not yet earned: waiting for the delivery or milestone.</param>
public sealed record ObligationExplanation(
    string? MilestoneId,
    RecognitionPattern Recognition,
    DateOnly? ExpectedDate,
    DateOnly? CompletedOn,
    ContractEvent? Completion,
    bool Active,
    decimal Pending,
    Earning Start,
    Earning End)
{
    /// <summary>Its share of TCV: what is pending plus what its pieces earn over their lives.</summary>
    public decimal Tcv => Pending + End.Pieces.Sum(p => p.Lifetime);

    /// <summary>A usage line: of <see cref="End"/>'s recognized amount, what was earned beyond its commitments (never backlog); 0 for the other patterns.</summary>
    public decimal BeyondCommitmentsAtEnd { get; init; }
}

/// <summary>One line of the contract: its terms as last stated, its amount history and its obligations.</summary>
/// <param name="Terms">The line as the latest signing or amendment known stated it (for a dropped line, the last one that had it).</param>
public sealed record LineExplanation(string LineId, string? ProductLine, ContractLine? Terms, IReadOnlyList<AmountChange> History, IReadOnlyList<ObligationExplanation> Obligations)
{
    /// <summary>A usage line: the usage reports dated in the period that counted (a repeated usage id counts once); empty for the other patterns.</summary>
    public IReadOnlyList<UsageContribution> Usages { get; init; } = [];

    public RecognitionPattern Recognition => Terms?.Recognition ?? (Obligations.Count > 0 ? Obligations[0].Recognition : RecognitionPattern.Ratable);

    public decimal Tcv => Obligations.Sum(o => o.Tcv);

    /// <summary>Cumulative recognized at the end of the day before the period, as known that day.</summary>
    public decimal RecognizedAtStart => Obligations.Sum(o => o.Start.Recognized);

    /// <summary>Cumulative recognized at the end of the period's last day, as known that day.</summary>
    public decimal RecognizedAtEnd => Obligations.Sum(o => o.End.Recognized);

    public decimal Revenue => RecognizedAtEnd - RecognizedAtStart;

    /// <summary>TCV less what was recognized against it (usage beyond commitments never was backlog).</summary>
    public decimal Backlog => Tcv - RecognizedAtEnd + Obligations.Sum(o => o.BeyondCommitmentsAtEnd);
}

/// <summary>The figures an explanation explains, each computed from the explanation's parts.</summary>
public sealed record ExplainedFigures(
    decimal Revenue,
    decimal RecognizedToDate,
    decimal BilledToDate,
    decimal CollectedToDate,
    decimal Tcv,
    decimal Backlog,
    decimal DeferredRevenue,
    decimal UnbilledReceivable)
{
    /// <summary>The same eight figures of a snapshot (what the explanation must add up to).</summary>
    public static ExplainedFigures Of(Figures figures) => new(
        figures.Revenue,
        figures.RecognizedToDate,
        figures.BilledToDate,
        figures.CollectedToDate,
        figures.Tcv,
        figures.Backlog,
        figures.DeferredRevenue,
        figures.UnbilledReceivable);

    /// <summary>Each figure's name (as JSON and the stored rows spell it) and value, in this order.</summary>
    public IReadOnlyList<(string Name, decimal Value)> Named =>
    [
        ("revenue", Revenue), ("recognizedToDate", RecognizedToDate), ("billedToDate", BilledToDate), ("collectedToDate", CollectedToDate),
        ("tcv", Tcv), ("backlog", Backlog), ("deferredRevenue", DeferredRevenue), ("unbilledReceivable", UnbilledReceivable),
    ];

    /// <summary>The names of the figures that differ from <paramref name="other"/>'s (empty when they add up).</summary>
    public IReadOnlyList<string> Differences(ExplainedFigures other) =>
        [.. Named.Zip(other.Named).Where(p => p.First.Value != p.Second.Value).Select(p => p.First.Name)];
}

/// <summary>
/// One contract's figures of a period explained down to its events (journal.md, "Explained figures"): per line, the
/// amount history, the service period or the delivery and milestone dates, and the cumulative recognized amount at
/// the start and the end of the period piece by piece with the rounding applied; per contract, the events that
/// make up TCV, billed and collected to date. It is computed by the engine's own replay and recognition, and
/// <see cref="Figures"/> adds its parts up: they equal <see cref="SnapshotCalculator"/>'s figures of the contract.
/// </summary>
public sealed record ContractExplanation(
    string ContractId,
    Currency Currency,
    DateOnly OpeningDay,
    DateOnly AsOf,
    SnapshotOptions Options,
    ContractSigned Signing,
    bool IsSigned,
    IReadOnlyList<LineExplanation> Lines,
    IReadOnlyList<EventContribution> TcvEvents,
    IReadOnlyList<EventContribution> BilledEvents,
    IReadOnlyList<EventContribution> CollectedEvents)
{
    /// <summary>The figures, from the parts: lines for TCV and recognized, billing and payment events for billed and collected.</summary>
    public ExplainedFigures Figures
    {
        get
        {
            var tcv = Lines.Sum(l => l.Tcv);
            var recognized = Lines.Sum(l => l.RecognizedAtEnd);
            var billed = BilledEvents.Sum(e => e.Amount);
            var collected = CollectedEvents.Sum(e => e.Amount);
            var basis = Options.DeferredBasis == DeferredBasis.Collected ? collected : billed;
            return new ExplainedFigures(
                Lines.Sum(l => l.Revenue),
                recognized,
                billed,
                collected,
                tcv,
                Lines.Sum(l => l.Backlog),
                Math.Max(0m, basis - recognized),
                Math.Max(0m, recognized - basis));
        }
    }

    /// <summary>Σ of the TCV changes of the events: the same as the lines' TCV.</summary>
    public decimal TcvFromEvents => TcvEvents.Sum(e => e.Amount);

    /// <summary>
    /// Explains a contract over <c>openingDay + 1 .. asOf</c> (a month: the day before its first day to its last
    /// day): balances as known on <paramref name="asOf"/>, the start as known on <paramref name="openingDay"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The history has no signing.</exception>
    public static ContractExplanation Of(ContractHistory history, DateOnly openingDay, DateOnly asOf, SnapshotOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.Proration;
        var tcvEvents = new List<EventContribution>();
        var billedEvents = new List<EventContribution>();
        var collectedEvents = new List<EventContribution>();
        var histories = new Dictionary<string, List<AmountChange>>(StringComparer.Ordinal);
        var terms = new Dictionary<string, ContractLine>(StringComparer.Ordinal);
        var stated = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var completions = new Dictionary<(string Line, string? Milestone), ContractEvent>();
        var (tcv, billed, collected) = (0m, 0m, 0m);
        var lineTcv = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var usages = new Dictionary<string, List<UsageContribution>>(StringComparer.Ordinal);
        var usageCounts = new Dictionary<string, int>(StringComparer.Ordinal);

        var closing = history.At(asOf, policy, options.ProgressDecimals, (e, position) =>
        {
            var currency = position.Currency;
            var tcvNow = position.Tcv;
            if (tcvNow != tcv || e is ContractSigned or ContractAmended or ContractCancelled)
            {
                tcvEvents.Add(new EventContribution(e, tcvNow - tcv));
                tcv = tcvNow;
            }

            if (e is InvoiceIssued or InvoiceVoided or CreditNoteIssued || position.BilledToDate != billed)
            {
                billedEvents.Add(new EventContribution(e, position.BilledToDate - billed));
                billed = position.BilledToDate;
            }

            if (e is PaymentReceived || position.CollectedToDate != collected)
            {
                collectedEvents.Add(new EventContribution(e, position.CollectedToDate - collected));
                collected = position.CollectedToDate;
            }

            // A usage report counted when the line's usages grew (a repeated usageId does not).
            if (e is UsageReported u)
            {
                var count = UsageCount(position, u.LineId);
                var counted = count != usageCounts.GetValueOrDefault(u.LineId);
                usageCounts[u.LineId] = count;
                if (counted && u.Date > openingDay)
                {
                    if (!usages.TryGetValue(u.LineId, out var reported))
                    {
                        usages.Add(u.LineId, reported = []);
                    }

                    reported.Add(new UsageContribution(u, u.Quantity));
                }
            }

            if (e is DeliveryCompleted or MilestoneCompleted)
            {
                var key = e is MilestoneCompleted m ? (m.LineId, (string?)m.MilestoneId) : (((DeliveryCompleted)e).LineId, null);
                if (position.Completions.ContainsKey(key))
                {
                    completions.TryAdd(key, e);
                }
            }

            if (!position.IsSigned || e is not (ContractSigned or ContractAmended or ContractCancelled))
            {
                return;
            }

            IReadOnlyList<ContractLine>? lines = e switch
            {
                ContractSigned s => s.Lines,
                ContractAmended a => a.Lines,
                _ => null,
            };
            var (signed, effective) = e is ContractAmended amended ? (amended.SignedDate, amended.Effective) : (e.BusinessDate, e.EffectiveDate);
            var after = lines?.ToDictionary(l => l.LineId, StringComparer.Ordinal);
            foreach (var lineId in position.LineIds)
            {
                var now = 0m;
                foreach (var o in position.Obligations)
                {
                    if (string.Equals(o.LineId, lineId, StringComparison.Ordinal))
                    {
                        now += o.Lifetime(currency, policy);
                    }
                }

                var before = lineTcv.GetValueOrDefault(lineId);
                lineTcv[lineId] = now;
                decimal? statedBefore = stated.TryGetValue(lineId, out var b) ? b : null;
                decimal? statedAfter = statedBefore;
                if (after is not null)
                {
                    statedAfter = after.TryGetValue(lineId, out var line) ? line.Amount : null;
                    if (line is not null)
                    {
                        terms[lineId] = line;
                        stated[lineId] = line.Amount;
                    }
                    else
                    {
                        stated.Remove(lineId);
                    }
                }

                if (statedBefore != statedAfter || before != now || (after is not null && statedAfter is not null))
                {
                    if (!histories.TryGetValue(lineId, out var list))
                    {
                        histories.Add(lineId, list = []);
                    }

                    list.Add(new AmountChange(e, signed, effective, statedBefore, statedAfter, before, now));
                }
            }
        });
        var opening = history.At(openingDay, policy, options.ProgressDecimals);

        var currency = closing.Currency;
        var explained = new List<LineExplanation>(closing.LineIds.Count);
        foreach (var lineId in closing.LineIds)
        {
            var obligations = new List<ObligationExplanation>();
            string? productLine = null;
            foreach (var o in closing.Obligations)
            {
                if (!string.Equals(o.LineId, lineId, StringComparison.Ordinal))
                {
                    continue;
                }

                productLine ??= o.ProductLine;
                var start = opening.Obligations.FirstOrDefault(p => string.Equals(p.LineId, lineId, StringComparison.Ordinal) && p.MilestoneId == o.MilestoneId && p.Pattern == o.Pattern);
                obligations.Add(new ObligationExplanation(
                    o.MilestoneId,
                    o.Pattern,
                    o.Pattern is RecognitionPattern.Ratable or RecognitionPattern.Usage ? null : o.ExpectedDate,
                    closing.CompletedOn(lineId, o.MilestoneId),
                    completions.GetValueOrDefault((lineId, o.MilestoneId)),
                    o.IsActive,
                    o.Pending,
                    start is null ? Earning.None(openingDay) : EarningOf(start, openingDay, currency, policy),
                    EarningOf(o, asOf, currency, policy))
                {
                    BeyondCommitmentsAtEnd = o.BeyondCommitmentsThrough(asOf),
                });
            }

            explained.Add(new LineExplanation(lineId, productLine, terms.GetValueOrDefault(lineId), histories.TryGetValue(lineId, out var changes) ? changes : [], obligations)
            {
                Usages = usages.TryGetValue(lineId, out var reported) ? Earned(reported, obligations) : [],
            });
        }

        return new ContractExplanation(
            history.ContractId,
            currency,
            openingDay,
            asOf,
            options,
            history.Signing!,
            closing.IsSigned,
            explained,
            tcvEvents,
            billedEvents,
            collectedEvents);
    }

    /// <summary>
    /// The reports that earn something: usage dated after the line stopped (a cancellation's last day of service,
    /// an amendment that dropped it) counts on the line but earns nothing, so it is not listed.
    /// </summary>
    private static List<UsageContribution> Earned(List<UsageContribution> reported, List<ObligationExplanation> obligations)
    {
        var pieces = obligations.SelectMany(o => o.End.Pieces).Where(p => p.Kind == PieceKind.Usage).ToList();
        if (pieces.Count == 0 || pieces.Any(p => p.StoppedAfter is null))
        {
            return reported;
        }

        var last = pieces.Max(p => p.StoppedAfter!.Value);
        return [.. reported.Where(u => u.Event.BusinessDate <= last)];
    }

    /// <summary>How many usages the line's usage state holds (a report is counted when this grows).</summary>
    private static int UsageCount(ContractPosition position, string lineId)
    {
        foreach (var o in position.Obligations)
        {
            if (o.Usage is { } state && string.Equals(o.LineId, lineId, StringComparison.Ordinal))
            {
                return state.Count;
            }
        }

        return 0;
    }

    private static Earning EarningOf(PerformanceObligation obligation, DateOnly through, Currency currency, ProrationPolicy policy) =>
        new(through, [.. obligation.Pieces.Select(p => p.Explain(through, currency, policy))]);
}
