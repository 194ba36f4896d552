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

    /// <summary>A delivery or milestone still to do whose expected date is before <paramref name="asOf"/> (dropped or ended work is not late: it is gone).</summary>
    /// <summary>Its schedule: what it has earned and will earn, piece by piece.</summary>
    public IReadOnlyList<SchedulePiece> Pieces => _schedule;

    public bool IsLateOn(DateOnly asOf) => IsActive && !IsCompleted && Pattern != RecognitionPattern.Ratable && ExpectedDate < asOf;

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
    public void Schedule(ContractLine line, MilestoneTerms? milestone, decimal earnedBefore, DateOnly effective, bool isNew)
    {
        var amount = milestone?.Amount ?? line.Amount;
        var rest = amount - earnedBefore;
        ProductLine = line.ProductLine;
        IsActive = true;
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

    /// <summary>The delivery or milestone happened on <paramref name="day"/>.</summary>
    public void Complete(DateOnly day)
    {
        IsCompleted = true;
        if (Pending != 0m)
        {
            _schedule.Add(new LumpPiece(Pending, day, isCompletion: true));
            Pending = 0m;
        }
    }
}
