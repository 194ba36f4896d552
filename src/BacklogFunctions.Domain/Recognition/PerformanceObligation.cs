using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Explain;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Recognition;

/// <summary>
/// One piece of a revenue schedule. Recognition is cumulative: what a piece has earned through a day is
/// <c>round(amount × elapsed ÷ length)</c>, so the pieces of an obligation always add up to its amount.
/// </summary>
internal abstract class SchedulePiece
{
    public abstract decimal EarnedThrough(DateOnly day, Currency currency, ProrationPolicy policy);

    /// <summary>What the piece earns over its whole life.</summary>
    public abstract decimal Lifetime(Currency currency, ProrationPolicy policy);

    /// <summary>Stops the piece after <paramref name="lastDay"/>; returns false when nothing is left of it.</summary>
    public abstract bool StopAfter(DateOnly lastDay);

    /// <summary>What <see cref="EarnedThrough"/> computes, with its terms (the explanation of a figure).</summary>
    public abstract PieceEarning Explain(DateOnly day, Currency currency, ProrationPolicy policy);
}

/// <summary>An amount earned evenly over <c>From..To</c>, possibly stopped after <c>Cap</c> by an amendment or cancellation.</summary>
internal sealed class RatablePiece : SchedulePiece
{
    private readonly decimal amount;
    private readonly DateOnly from;
    private readonly DateOnly to;
    private DateOnly _cap;

    public RatablePiece(decimal amount, DateOnly from, DateOnly to)
    {
        this.amount = amount;
        this.from = from;
        this.to = to;
        _cap = to;
    }

    public override decimal EarnedThrough(DateOnly day, Currency currency, ProrationPolicy policy)
    {
        var through = day < _cap ? day : _cap;
        if (through < from)
        {
            return 0m;
        }

        var (numerator, denominator) = Proration.Elapsed(policy, from, to, through);
        return Share(amount, numerator, denominator, currency);
    }

    public override decimal Lifetime(Currency currency, ProrationPolicy policy) => EarnedThrough(_cap, currency, policy);

    /// <summary>
    /// The same terms as <see cref="EarnedThrough"/>: the elapsed share of the service through the day (capped), the
    /// unrounded product and the rounded amount. A share not started or complete is shown over the full length.
    /// </summary>
    public override PieceEarning Explain(DateOnly day, Currency currency, ProrationPolicy policy)
    {
        var through = day < _cap ? day : _cap;
        var length = Proration.Length(policy, from, to);
        var (elapsed, of, earned) = (0L, length, 0m);
        if (through >= from)
        {
            (elapsed, of) = Proration.Elapsed(policy, from, to, through);
            earned = Share(amount, elapsed, of, currency);
            if (elapsed == of)
            {
                (elapsed, of) = (length, length);
            }
        }

        return new PieceEarning(
            PieceKind.Ratable,
            amount,
            from,
            to,
            _cap < to ? _cap : null,
            elapsed,
            of,
            amount * elapsed / of,
            earned,
            Lifetime(currency, policy));
    }

    /// <summary>round(amount × elapsed ÷ length) in the currency's minor unit; the whole amount once all of it elapsed.</summary>
    private static decimal Share(decimal amount, long elapsed, long length, Currency currency) =>
        elapsed == length ? amount : currency.Round(amount * elapsed / length);

    public override bool StopAfter(DateOnly lastDay)
    {
        if (lastDay < _cap)
        {
            _cap = lastDay;
        }

        return _cap >= from;
    }
}

/// <summary>An amount earned in full on one day (a delivery, a milestone, or a catch-up).</summary>
/// <param name="isCompletion">A delivery or milestone completed that day; otherwise a catch-up of an amendment.</param>
internal sealed class LumpPiece(decimal amount, DateOnly day, bool isCompletion) : SchedulePiece
{
    public override decimal EarnedThrough(DateOnly through, Currency currency, ProrationPolicy policy) => through >= day ? amount : 0m;

    public override decimal Lifetime(Currency currency, ProrationPolicy policy) => amount;

    public override bool StopAfter(DateOnly lastDay) => day <= lastDay;

    public override PieceEarning Explain(DateOnly through, Currency currency, ProrationPolicy policy)
    {
        var earned = EarnedThrough(through, currency, policy);
        return new PieceEarning(isCompletion ? PieceKind.Completion : PieceKind.CatchUp, amount, day, day, null, through >= day ? 1 : 0, 1, earned, earned, amount);
    }
}

/// <summary>
/// The progress of one progress line as reported: cumulative to-date values and the estimated totals in force, each
/// from its date, and the day the line completed (progress reached 1, or a delivery completed it).
/// </summary>
internal sealed class ProgressState(int? decimals)
{
    private readonly List<(DateOnly Date, decimal ToDate)> _reports = [];
    private readonly List<(DateOnly From, decimal Total)> _estimates = [];

    /// <summary>Fraction digits the ratio is rounded to before use; null for the exact ratio.</summary>
    public int? Decimals { get; } = decimals;

    public ProgressMeasure Measure { get; set; }

    /// <summary>The line's current amount (the latest signing or amendment of it).</summary>
    public decimal Amount { get; set; }

    /// <summary>When the line completed, once it did.</summary>
    public DateOnly? CompletedOn { get; private set; }

    /// <summary>The latest cumulative value reported (0 before the first report).</summary>
    public decimal LatestToDate => _reports.Count == 0 ? 0m : _reports[^1].ToDate;

    /// <summary>The estimated total as last stated (by the line or by a report).</summary>
    public decimal LatestEstimate => _estimates.Count == 0 ? 0m : _estimates[^1].Total;

    /// <summary>The latest cumulative value reported on or before <paramref name="day"/>.</summary>
    public decimal ToDateOn(DateOnly day)
    {
        var value = 0m;
        foreach (var (date, toDate) in _reports)
        {
            if (date <= day)
            {
                value = toDate;
            }
        }

        return value;
    }

    /// <summary>The estimated total in force on <paramref name="day"/> (the line's first one before any was in force).</summary>
    public decimal EstimateOn(DateOnly day)
    {
        var value = _estimates.Count == 0 ? 0m : _estimates[0].Total;
        foreach (var (from, total) in _estimates)
        {
            if (from <= day)
            {
                value = total;
            }
        }

        return value;
    }

    /// <summary>min(1, to date ÷ estimate in force), rounded to <see cref="Decimals"/> when set; 1 once the line completed.</summary>
    public decimal Ratio(DateOnly day)
    {
        if (CompletedOn is { } completed && completed <= day)
        {
            return 1m;
        }

        var raw = Raw(day);
        return Decimals is { } digits ? Math.Min(1m, Math.Round(raw, digits, MidpointRounding.AwayFromZero)) : raw;
    }

    public void Estimate(DateOnly from, decimal total)
    {
        _estimates.Add((from, total));
        CompleteIfDone(from);
    }

    public void Report(DateOnly date, decimal toDate, decimal? estimate)
    {
        _reports.Add((date, toDate));
        if (estimate is { } total)
        {
            _estimates.Add((date, total));
        }

        CompleteIfDone(date);
    }

    /// <summary>Completed by a delivery: the rest is earned that day.</summary>
    public void Complete(DateOnly day)
    {
        if (CompletedOn is null || day < CompletedOn)
        {
            CompletedOn = day;
        }
    }

    private decimal Raw(DateOnly day)
    {
        var estimate = EstimateOn(day);
        return estimate <= 0m ? 0m : Math.Min(1m, ToDateOn(day) / estimate);
    }

    // Events are applied in effective order, so nothing applied later changes the progress of an earlier day.
    private void CompleteIfDone(DateOnly day)
    {
        if (CompletedOn is null && Raw(day) >= 1m)
        {
            CompletedOn = day;
        }
    }
}

/// <summary>
/// A progress line's amount from <c>From</c> on: through a day it has earned round(amount × progress) less what the
/// line earned before <c>From</c> — so a new amount or estimate is a cumulative catch-up on the day it applies.
/// </summary>
internal sealed class ProgressPiece(decimal amount, DateOnly from, decimal earnedBefore, ProgressState progress) : SchedulePiece
{
    private DateOnly? _cap;

    public override decimal EarnedThrough(DateOnly day, Currency currency, ProrationPolicy policy)
    {
        var through = _cap is { } cap && cap < day ? cap : day;
        return through < from ? 0m : Cumulative(through, currency) - earnedBefore;
    }

    public override decimal Lifetime(Currency currency, ProrationPolicy policy) =>
        _cap is { } cap ? EarnedThrough(cap, currency, policy) : amount - earnedBefore;

    public override bool StopAfter(DateOnly lastDay)
    {
        if (_cap is null || lastDay < _cap)
        {
            _cap = lastDay;
        }

        return _cap >= from;
    }

    public override PieceEarning Explain(DateOnly day, Currency currency, ProrationPolicy policy)
    {
        var through = _cap is { } cap && cap < day ? cap : day;
        var ratio = through < from ? 0m : progress.Ratio(through);
        var earned = EarnedThrough(day, currency, policy);
        return new PieceEarning(
            PieceKind.Progress,
            amount,
            from,
            from,
            _cap,
            through < from ? 0 : 1,
            1,
            through < from ? 0m : (ratio == 1m ? amount : amount * ratio) - earnedBefore,
            earned,
            Lifetime(currency, policy))
        {
            Progress = ratio,
            EarnedBefore = earnedBefore,
        };
    }

    private decimal Cumulative(DateOnly through, Currency currency)
    {
        var ratio = progress.Ratio(through);
        return ratio == 1m ? amount : currency.Round(amount * ratio);
    }
}

/// <summary>The usages reported on one usage line, each counted once by its key (the usageId, else the event id).</summary>
internal sealed class UsageState
{
    private readonly List<(DateOnly Date, decimal Quantity)> _usages = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>How many usages were added: a usage is never taken back, so this tells a reader whether it changed.</summary>
    public int Count => _usages.Count;

    /// <summary>Adds a usage; false (and nothing changes) when its key was reported on the line before.</summary>
    public bool Report(DateOnly date, decimal quantity, string key)
    {
        if (!_keys.Add(key))
        {
            return false;
        }

        _usages.Add((date, quantity));
        return true;
    }

    /// <summary>The usages dated <paramref name="from"/>..<paramref name="through"/> (both inclusive).</summary>
    public List<Usage> Between(DateOnly from, DateOnly through)
    {
        var result = new List<Usage>(_usages.Count);
        foreach (var (date, quantity) in _usages)
        {
            if (date >= from && date <= through)
            {
                result.Add(new Usage(date, quantity));
            }
        }

        return result;
    }
}

/// <summary>
/// A usage line's terms from <c>From</c> on (the signing, or an amendment that changed them): its money is
/// <see cref="UsageCommitments"/> over the usages dated from <c>From</c> through the day it stopped (a cancellation's
/// last day of service, or the day before an amendment). Its lifetime — the line's TCV — is the committed total;
/// usage beyond the commitments is revenue that never was backlog.
/// </summary>
internal sealed class UsagePiece(UsageCommitments terms, DateOnly from, UsageState usages) : SchedulePiece
{
    private DateOnly _cap = DateOnly.MaxValue;
    private UsageLedger? _ledger;
    private int _ledgerCount = -1;

    public UsageCommitments Terms => terms;

    public override decimal EarnedThrough(DateOnly day, Currency currency, ProrationPolicy policy) => terms.EarnedThrough(Ledger(), day);

    public override decimal Lifetime(Currency currency, ProrationPolicy policy) => terms.Tcv;

    /// <summary>Revenue earned through <paramref name="day"/> above the commitments or outside them.</summary>
    public decimal BeyondCommitmentsThrough(DateOnly day) => terms.BeyondCommitmentsThrough(Ledger(), day);

    /// <summary>What of the backlog at the end of <paramref name="asOf"/> is expected to be earned through <paramref name="day"/>.</summary>
    public decimal ExpectedBacklogThrough(DateOnly asOf, DateOnly day) => terms.ExpectedThrough(Ledger(), asOf, day);

    /// <summary>Usage after <paramref name="lastDay"/> earns nothing; the open period ends there at what it consumed.</summary>
    public override bool StopAfter(DateOnly lastDay)
    {
        if (lastDay < _cap)
        {
            _cap = lastDay;
            _ledger = null;
            terms.StopAfter(lastDay, Ledger());
        }

        return true;
    }

    public override PieceEarning Explain(DateOnly day, Currency currency, ProrationPolicy policy)
    {
        var earned = EarnedThrough(day, currency, policy);
        return new PieceEarning(
            PieceKind.Usage,
            terms.Tcv,
            from > terms.ServiceStart ? from : terms.ServiceStart,
            terms.ServiceEnd,
            _cap == DateOnly.MaxValue ? null : _cap,
            1,
            1,
            earned,
            earned,
            terms.Tcv)
        {
            Usage = terms.Explain(Ledger(), day),
        };
    }

    /// <summary>
    /// The ledger of the usages dated from <c>From</c> through the cap, built once and again only after a usage was
    /// added or the cap moved: a position is read on many days (closing, opening, the RPO horizons) after its replay.
    /// </summary>
    private UsageLedger Ledger()
    {
        if (_ledger is null || _ledgerCount != usages.Count)
        {
            _ledger = terms.Ledger(usages.Between(from, _cap));
            _ledgerCount = usages.Count;
        }

        return _ledger;
    }
}

/// <summary>
/// A performance obligation as the engine tracks it: a ratable line, a point-in-time line, or one milestone of
/// a milestone line. It holds what has been and will be earned (its schedule) and, for a delivery or milestone
/// not yet completed, the amount still waiting for completion.
/// </summary>
internal sealed class PerformanceObligation
{
    private readonly List<SchedulePiece> _schedule = new(2);

    public PerformanceObligation(string lineId, string? milestoneId, RecognitionPattern pattern)
    {
        LineId = lineId;
        MilestoneId = milestoneId;
        Pattern = pattern;
    }

    public string LineId { get; }

    public string? MilestoneId { get; }

    public RecognitionPattern Pattern { get; }

    public string? ProductLine { get; set; }

    /// <summary>False once an amendment dropped it or a cancellation ended it; what it earned stays.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>A delivery or milestone that happened.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>For a delivery or milestone not yet completed: the amount earned on completion.</summary>
    public decimal Pending { get; private set; }

    /// <summary>When the pending amount is expected to be earned.</summary>
    public DateOnly ExpectedDate { get; private set; }

    /// <summary>Its schedule: what it has earned and will earn, piece by piece.</summary>
    public IReadOnlyList<SchedulePiece> Pieces => _schedule;

    /// <summary>A progress line's reported progress; null for the other patterns.</summary>
    public ProgressState? Progress { get; private set; }

    /// <summary>A usage line's reported usages; null for the other patterns.</summary>
    public UsageState? Usage { get; private set; }

    /// <summary>A usage line's current terms (the last schedule piece); null for the other patterns.</summary>
    public UsageCommitments? UsageTerms => Usage is null ? null : _schedule.OfType<UsagePiece>().LastOrDefault()?.Terms;

    /// <summary>Revenue earned through <paramref name="day"/> that never was backlog: usage above a commitment or without one (0 for the other patterns).</summary>
    public decimal BeyondCommitmentsThrough(DateOnly day)
    {
        if (Usage is null)
        {
            return 0m;
        }

        var total = 0m;
        foreach (var piece in _schedule)
        {
            if (piece is UsagePiece usage)
            {
                total += usage.BeyondCommitmentsThrough(day);
            }
        }

        return total;
    }

    /// <summary>A progress line's expected completion, when the line states one.</summary>
    public DateOnly? ExpectedCompletion { get; private set; }

    /// <summary>A delivery or milestone still to do whose expected date is before <paramref name="asOf"/> (dropped or ended work is not late: it is gone).</summary>
    public bool IsLateOn(DateOnly asOf) => IsActive && !IsCompleted && Pattern is RecognitionPattern.PointInTime or RecognitionPattern.Milestone && ExpectedDate < asOf;

    public decimal EarnedThrough(DateOnly day, Currency currency, ProrationPolicy policy)
    {
        var total = 0m;
        foreach (var piece in _schedule)
        {
            total += piece.EarnedThrough(day, currency, policy);
        }

        return total;
    }

    /// <summary>What the obligation will have earned through <paramref name="day"/> if pending work completes on its expected date (overdue work is expected the day after <paramref name="asOf"/>).</summary>
    public decimal ExpectedThrough(DateOnly day, DateOnly asOf, Currency currency, ProrationPolicy policy)
    {
        if (Progress is not null)
        {
            return ExpectedProgressThrough(day, asOf, currency, policy);
        }

        if (Usage is not null)
        {
            return ExpectedUsageThrough(day, asOf, currency, policy);
        }

        var earned = EarnedThrough(day, currency, policy);
        if (Pending != 0m)
        {
            var due = ExpectedDate > asOf ? ExpectedDate : asOf.AddDays(1);
            if (due <= day)
            {
                earned += Pending;
            }
        }

        return earned;
    }

    /// <summary>
    /// A progress line's rest (what it will earn beyond what it earned through <paramref name="asOf"/>) is expected
    /// evenly by day from the day after <paramref name="asOf"/> to the expected completion — or, when the line states
    /// none or it has passed, over the month after <paramref name="asOf"/>; cumulative and rounded like a ratable piece.
    /// </summary>
    private decimal ExpectedProgressThrough(DateOnly day, DateOnly asOf, Currency currency, ProrationPolicy policy)
    {
        var earned = EarnedThrough(day < asOf ? day : asOf, currency, policy);
        if (day <= asOf)
        {
            return earned;
        }

        var rest = Lifetime(currency, policy) - earned;
        if (rest == 0m)
        {
            return earned;
        }

        var end = ExpectedCompletion is { } expected && expected > asOf ? expected : asOf.AddMonthsKeepingMonthEnd(1);
        if (day >= end)
        {
            return earned + rest;
        }

        return earned + currency.Round(rest * (day.DayNumber - asOf.DayNumber) / (end.DayNumber - asOf.DayNumber));
    }

    /// <summary>
    /// A usage line: what it earned through <paramref name="asOf"/> less the usage beyond commitments (so the figure
    /// less the committed revenue earned is its backlog), plus its backlog expected through <paramref name="day"/>
    /// (each open period's unconsumed commitment evenly by day over the rest of the period).
    /// </summary>
    private decimal ExpectedUsageThrough(DateOnly day, DateOnly asOf, Currency currency, ProrationPolicy policy)
    {
        var through = day < asOf ? day : asOf;
        var total = EarnedThrough(through, currency, policy) - BeyondCommitmentsThrough(through);
        if (day <= asOf)
        {
            return total;
        }

        foreach (var piece in _schedule)
        {
            if (piece is UsagePiece usage)
            {
                total += usage.ExpectedBacklogThrough(asOf, day);
            }
        }

        return total;
    }

    /// <summary>The obligation's share of TCV: everything it has earned or will earn.</summary>
    public decimal Lifetime(Currency currency, ProrationPolicy policy)
    {
        var total = Pending;
        foreach (var piece in _schedule)
        {
            total += piece.Lifetime(currency, policy);
        }

        return total;
    }

    /// <summary>Sets the obligation's amount from <paramref name="effective"/> on, keeping what it earned before.</summary>
    /// <param name="earnedBefore">What it earned through the day before <paramref name="effective"/>.</param>
    /// <param name="progressDecimals">A progress line's ratio is rounded to these fraction digits (null: exact).</param>
    /// <param name="currency">The contract's currency (a usage line's money is rounded in it).</param>
    public void Schedule(ContractLine line, MilestoneTerms? milestone, decimal earnedBefore, DateOnly effective, bool isNew, int? progressDecimals = null, Currency? currency = null)
    {
        var amount = milestone?.Amount ?? line.Amount;
        var rest = amount - earnedBefore;
        ProductLine = line.ProductLine;
        IsActive = true;
        if (Pattern == RecognitionPattern.Usage)
        {
            // New terms from the effective day: their commitment periods count from it (or from the service start
            // when later); what the line earned under its earlier terms stays with them.
            Usage ??= new UsageState();
            var from = isNew ? DateOnly.MinValue : effective;
            var start = line.ServiceStart!.Value;
            var end = line.ServiceEnd!.Value;
            var commitment = line.Commitment;
            if (start < from)
            {
                start = from;
            }

            if (start > end)
            {
                (start, commitment) = (end, null);
            }

            ExpectedDate = end;
            _schedule.Add(new UsagePiece(new UsageCommitments(line.UnitPrice ?? 0m, start, end, commitment, currency ?? Money.Currency.USD), from, Usage));
            return;
        }

        if (Pattern == RecognitionPattern.Progress)
        {
            // Cumulative catch-up: from the effective day the line earns round(new amount × progress) in all.
            Progress ??= new ProgressState(progressDecimals);
            Progress.Measure = line.Measure ?? ProgressMeasure.Cost;
            Progress.Amount = line.Amount;
            Progress.Estimate(effective, line.EstimatedTotal ?? 1m);
            ExpectedCompletion = line.ExpectedCompletion;
            ExpectedDate = line.ExpectedCompletion ?? effective;
            _schedule.Add(new ProgressPiece(line.Amount, effective, earnedBefore, Progress));
            return;
        }

        if (Pattern == RecognitionPattern.Ratable)
        {
            var start = line.ServiceStart!.Value;
            var end = line.ServiceEnd!.Value;
            if (!isNew && start < effective)
            {
                start = effective;
            }

            // Prospective: the rest is spread over what is left of the service. A reduction below what was
            // already earned, or a change after the service ended, is a catch-up on the effective day.
            if (rest > 0m && end >= start)
            {
                _schedule.Add(new RatablePiece(rest, start, end));
            }
            else if (rest != 0m)
            {
                _schedule.Add(new LumpPiece(rest, effective, isCompletion: false));
            }

            return;
        }

        ExpectedDate = milestone?.ExpectedDate ?? line.ExpectedDate!.Value;
        if (IsCompleted)
        {
            if (rest != 0m)
            {
                _schedule.Add(new LumpPiece(rest, effective, isCompletion: false));
            }
        }
        else
        {
            Pending = rest;
        }
    }

    /// <summary>Ends the current schedule after <paramref name="lastDay"/>: what was earned through it stays, the rest is gone.</summary>
    public void StopAfter(DateOnly lastDay)
    {
        _schedule.RemoveAll(piece => !piece.StopAfter(lastDay));
        Pending = 0m;
    }

    /// <summary>The delivery or milestone happened on <paramref name="day"/> (a progress line: the rest is earned that day).</summary>
    public void Complete(DateOnly day)
    {
        IsCompleted = true;
        Progress?.Complete(day);
        if (Pending != 0m)
        {
            _schedule.Add(new LumpPiece(Pending, day, isCompletion: true));
            Pending = 0m;
        }
    }
}
