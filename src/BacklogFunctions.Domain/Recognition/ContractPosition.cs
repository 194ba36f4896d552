using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Recognition;

/// <summary>An invoice as issued (its due date only when the invoice names one), and whether it was voided since.</summary>
public sealed record IssuedInvoice(string InvoiceId, DateOnly IssueDate, DateOnly? DueDate, decimal Amount, bool Voided = false);

/// <summary>An invoice not voided, with the due date it is collected by (its own, else issue date + payment terms).</summary>
public readonly record struct DueInvoice(string InvoiceId, DateOnly IssueDate, DateOnly DueDate, decimal Amount);

/// <summary>TCV removed from one line by a cancellation decided on <see cref="DecidedOn"/>.</summary>
public readonly record struct CancellationEffect(DateOnly DecidedOn, string LineId, decimal Removed);

/// <summary>
/// One contract as known on a day: its obligations and their schedules, what was billed and collected, and
/// what each cancellation removed. Built only by <see cref="ContractHistory.At"/>.
/// </summary>
public sealed class ContractPosition
{
    private readonly Dictionary<(string Line, string? Milestone, RecognitionPattern Pattern), PerformanceObligation> _byKey = [];
    private readonly List<PerformanceObligation> _obligations = [];
    private readonly List<string> _lineOrder = [];
    private readonly Dictionary<string, InvoiceState> _invoices = new(StringComparer.Ordinal);
    private readonly List<CancellationEffect> _cancellations = [];
    private readonly List<(DateOnly Effective, IReadOnlyList<ContractLine> Lines)> _lineSets = [];
    private readonly Dictionary<(string Line, string? Milestone), DateOnly> _completions = [];
    private readonly List<DueInvoice> _due = [];
    private int _nonPositiveDue;

    internal ContractPosition(ContractHistory history, DateOnly knownOn, ProrationPolicy policy, int? progressDecimals = null)
    {
        History = history;
        KnownOn = knownOn;
        Policy = policy;
        ProgressDecimals = progressDecimals;
        Currency = history.Currency ?? throw new ArgumentException($"contract {history.ContractId} has no signing", nameof(history));
    }

    public ContractHistory History { get; }

    public DateOnly KnownOn { get; }

    public ProrationPolicy Policy { get; }

    /// <summary>Fraction digits a progress line's ratio is rounded to before use; null for the exact ratio.</summary>
    public int? ProgressDecimals { get; }

    public Currency Currency { get; }

    /// <summary>True when the contract was signed on or before <see cref="KnownOn"/>.</summary>
    public bool IsSigned { get; private set; }

    public decimal BilledToDate { get; private set; }

    public decimal CollectedToDate { get; private set; }

    /// <summary>Σ credit notes issued to date (already deducted from <see cref="BilledToDate"/>).</summary>
    public decimal CreditNotesToDate { get; private set; }

    /// <summary>The earliest last day of service of a known cancellation; null when none is known.</summary>
    public DateOnly? LastServiceDate { get; private set; }

    /// <summary>The invoices issued to date, voided or not, in the order they were applied.</summary>
    public IEnumerable<IssuedInvoice> Invoices => _invoices.Values.Select(i => i.Issued);

    /// <summary>The invoices not voided, in the order credits settle them: by due date, issue date, invoice id.</summary>
    public IReadOnlyList<DueInvoice> DueInvoices => _due;

    /// <summary>The ARR on the day the position is known, once computed (a series reuses a position a year later).</summary>
    internal decimal? ArrOnKnownDay { get; set; }

    /// <summary>Σ of <see cref="DueInvoices"/>' amounts.</summary>
    public decimal DueTotal { get; private set; }

    /// <summary>Every due invoice has a positive amount (so credits settle a prefix of them and leave a suffix open).</summary>
    public bool DueAmountsArePositive => _nonPositiveDue == 0;

    /// <summary>Every delivery (milestone null) and milestone completed as known, with its completion day.</summary>
    public IReadOnlyDictionary<(string Line, string? Milestone), DateOnly> Completions => _completions;

    /// <summary>When a delivery (milestone null) or a milestone of a line was completed, if it was.</summary>
    public DateOnly? CompletedOn(string lineId, string? milestoneId) =>
        _completions.TryGetValue((lineId, milestoneId), out var day) ? day : null;

    /// <summary>
    /// The lines in force on <paramref name="day"/>: those of the signing or of the latest amendment effective by
    /// then (an amendment carries the complete new set of lines).
    /// </summary>
    public IReadOnlyList<ContractLine> LinesInForce(DateOnly day)
    {
        IReadOnlyList<ContractLine> lines = [];
        var effective = DateOnly.MinValue;
        foreach (var set in _lineSets)
        {
            if (set.Effective <= day && set.Effective >= effective)
            {
                (effective, lines) = set;
            }
        }

        return lines;
    }

    public IReadOnlyList<CancellationEffect> Cancellations => _cancellations;

    /// <summary>Line ids in the order they first appeared.</summary>
    public IReadOnlyList<string> LineIds => _lineOrder;

    internal IReadOnlyList<PerformanceObligation> Obligations => _obligations;

    public decimal Tcv
    {
        get
        {
            var total = 0m;
            foreach (var o in _obligations)
            {
                total += o.Lifetime(Currency, Policy);
            }

            return total;
        }
    }

    /// <summary>Deliveries and milestones not yet completed: earned when they are.</summary>
    public decimal PendingCompletion
    {
        get
        {
            var total = 0m;
            foreach (var o in _obligations)
            {
                total += o.Pending;
            }

            return total;
        }
    }

    /// <summary>Revenue earned through <paramref name="day"/> on usage lines above their commitments or without one: never backlog.</summary>
    public decimal BeyondCommitmentsThrough(DateOnly day)
    {
        var total = 0m;
        foreach (var o in _obligations)
        {
            total += o.BeyondCommitmentsThrough(day);
        }

        return total;
    }

    public decimal RecognizedThrough(DateOnly day)
    {
        var total = 0m;
        foreach (var o in _obligations)
        {
            total += o.EarnedThrough(day, Currency, Policy);
        }

        return total;
    }

    internal void Apply(ContractEvent e, ICollection<ReplayIssue>? issues)
    {
        switch (e)
        {
            case ContractSigned s:
                IsSigned = true;
                _lineSets.Add((s.SignedDate, s.Lines));
                foreach (var line in s.Lines)
                {
                    ScheduleLine(line, s.SignedDate, isSigning: true);
                }

                break;
            case ContractAmended a when IsSigned:
                _lineSets.Add((a.Effective, a.Lines));
                Amend(a);
                break;
            case ContractCancelled c when IsSigned:
                LastServiceDate = LastServiceDate is { } known && known < c.LastServiceDate ? known : c.LastServiceDate;
                Cancel(c);
                break;
            case DeliveryCompleted d when IsSigned:
                Complete(e, d.LineId, null, _byKey.ContainsKey((d.LineId, null, RecognitionPattern.Progress)) ? RecognitionPattern.Progress : RecognitionPattern.PointInTime, d.Date, issues);
                break;
            case ProgressReported r when IsSigned:
                ReportProgress(r, issues);
                break;
            case UsageReported u when IsSigned:
                ReportUsage(u, issues);
                break;
            case MilestoneCompleted m when IsSigned:
                Complete(e, m.LineId, m.MilestoneId, RecognitionPattern.Milestone, m.Date, issues);
                break;
            case InvoiceIssued i:
                if (_invoices.ContainsKey(i.InvoiceId))
                {
                    issues?.Add(new ReplayIssue(History.ContractId, e.Id, "data.invoiceId", $"invoice {i.InvoiceId} was already issued"));
                    break;
                }

                _invoices.Add(i.InvoiceId, new InvoiceState(new IssuedInvoice(i.InvoiceId, i.IssueDate, i.DueDate, i.Amount)));
                AddDue(new DueInvoice(i.InvoiceId, i.IssueDate, i.DueDate ?? i.IssueDate.AddDays(History.Signing?.PaymentTermsDays ?? ContractSigned.DefaultPaymentTermsDays), i.Amount));
                BilledToDate += i.Amount;
                break;
            case InvoiceVoided v:
                if (!_invoices.TryGetValue(v.InvoiceId, out var invoice))
                {
                    issues?.Add(new ReplayIssue(History.ContractId, e.Id, "data.invoiceId", $"invoice {v.InvoiceId} is not known on {EventJson.Iso(v.Date)}"));
                }
                else if (invoice.Issued.Voided)
                {
                    issues?.Add(new ReplayIssue(History.ContractId, e.Id, "data.invoiceId", $"invoice {v.InvoiceId} was already voided"));
                }
                else
                {
                    invoice.Issued = invoice.Issued with { Voided = true };
                    RemoveDue(v.InvoiceId);
                    BilledToDate -= invoice.Issued.Amount;
                }

                break;
            case CreditNoteIssued n:
                BilledToDate -= n.Amount;
                CreditNotesToDate += n.Amount;
                break;
            case PaymentReceived p:
                CollectedToDate += p.Amount;
                break;
            default:
                // Contract changes before the signing is known have nothing to change yet.
                break;
        }
    }

    private void ScheduleLine(ContractLine line, DateOnly effective, bool isSigning)
    {
        if (!_lineOrder.Contains(line.LineId))
        {
            _lineOrder.Add(line.LineId);
        }

        if (line.Recognition == RecognitionPattern.Milestone)
        {
            foreach (var milestone in line.Milestones)
            {
                Schedule(line, milestone, effective, isSigning);
            }
        }
        else
        {
            Schedule(line, null, effective, isSigning);
        }
    }

    private void Schedule(ContractLine line, MilestoneTerms? milestone, DateOnly effective, bool isSigning)
    {
        var key = (line.LineId, milestone?.MilestoneId, line.Recognition);
        var isNew = !_byKey.TryGetValue(key, out var obligation);
        if (obligation is null)
        {
            obligation = new PerformanceObligation(line.LineId, milestone?.MilestoneId, line.Recognition);
            _byKey.Add(key, obligation);
            _obligations.Add(obligation);
        }

        var earnedBefore = isNew ? 0m : obligation.EarnedThrough(effective.AddDays(-1), Currency, Policy);
        obligation.Schedule(line, milestone, earnedBefore, effective, isNew && isSigning, ProgressDecimals, Currency);
    }

    /// <summary>Prospective treatment: everything earned through the day before the effective date stays.</summary>
    private void Amend(ContractAmended amendment)
    {
        var lastOldDay = amendment.Effective.AddDays(-1);

        // A usage line the amendment carries with the same terms goes on as it was (its periods and their usage).
        var unchanged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in amendment.Lines)
        {
            if (line.Recognition == RecognitionPattern.Usage && _byKey.TryGetValue((line.LineId, null, RecognitionPattern.Usage), out var usage) &&
                usage.IsActive && LinesInForce(lastOldDay).FirstOrDefault(l => string.Equals(l.LineId, line.LineId, StringComparison.Ordinal)) is { } before &&
                SameUsageTerms(before, line))
            {
                unchanged.Add(line.LineId);
            }
        }

        foreach (var o in _obligations)
        {
            if (o.IsActive && !unchanged.Contains(o.LineId))
            {
                o.StopAfter(lastOldDay);
                o.IsActive = false;
            }
        }

        foreach (var line in amendment.Lines)
        {
            if (unchanged.Contains(line.LineId))
            {
                _byKey[(line.LineId, null, RecognitionPattern.Usage)].ProductLine = line.ProductLine;
                continue;
            }

            ScheduleLine(line, amendment.Effective, isSigning: false);
        }
    }

    private static bool SameUsageTerms(ContractLine a, ContractLine b) =>
        a.Recognition == b.Recognition && a.UnitPrice == b.UnitPrice && a.ServiceStart == b.ServiceStart && a.ServiceEnd == b.ServiceEnd && a.Commitment == b.Commitment;

    /// <summary>Revenue through the last day of service stays; everything after leaves backlog as a cancellation.</summary>
    private void Cancel(ContractCancelled cancellation)
    {
        foreach (var o in _obligations)
        {
            if (!o.IsActive)
            {
                continue;
            }

            var before = o.Lifetime(Currency, Policy);
            o.StopAfter(cancellation.LastServiceDate);
            o.IsActive = false;
            var removed = before - o.Lifetime(Currency, Policy);
            if (removed != 0m)
            {
                _cancellations.Add(new CancellationEffect(cancellation.CancelledOn, o.LineId, removed));
            }
        }
    }

    private void Complete(ContractEvent e, string lineId, string? milestoneId, RecognitionPattern pattern, DateOnly day, ICollection<ReplayIssue>? issues)
    {
        if (!_byKey.TryGetValue((lineId, milestoneId, pattern), out var obligation))
        {
            var what = milestoneId is null ? $"point_in_time or progress line {lineId}" : $"milestone {milestoneId} of line {lineId}";
            issues?.Add(new ReplayIssue(History.ContractId, e.Id, "data.lineId", $"the contract has no {what} on {EventJson.Iso(day)}"));
            return;
        }

        if (obligation.IsCompleted)
        {
            issues?.Add(new ReplayIssue(History.ContractId, e.Id, "data", "already completed by an earlier event"));
            return;
        }

        _completions.TryAdd((lineId, milestoneId), day);

        // Work completed after a cancellation or after an amendment dropped it earns nothing.
        if (obligation.IsActive)
        {
            obligation.Complete(day);
        }
    }

    /// <summary>
    /// Progress on a progress line. A report dated before the signing, on a line that is no progress line (or none), or
    /// below what was reported before, is a replay issue and changes nothing; a report after the line ended (cancelled,
    /// dropped) earns nothing.
    /// </summary>
    private void ReportProgress(ProgressReported r, ICollection<ReplayIssue>? issues)
    {
        // Progress dated before the signing is named by ContractHistory's checks; it counts for nothing.
        if (History.Signing is { } signing && r.Date < signing.SignedDate)
        {
            return;
        }

        if (!_byKey.TryGetValue((r.LineId, null, RecognitionPattern.Progress), out var obligation) || obligation.Progress is not { } progress)
        {
            issues?.Add(new ReplayIssue(History.ContractId, r.Id, "data.lineId", $"the contract has no progress line {r.LineId} on {EventJson.Iso(r.Date)}"));
            return;
        }

        if (r.ToDate < progress.LatestToDate)
        {
            issues?.Add(new ReplayIssue(History.ContractId, r.Id, "data.toDate", $"{r.ToDate.ToString(System.Globalization.CultureInfo.InvariantCulture)} is less than the {progress.LatestToDate.ToString(System.Globalization.CultureInfo.InvariantCulture)} reported before; toDate is cumulative and may not decrease"));
            return;
        }

        progress.Report(r.Date, r.ToDate, r.EstimatedTotal);
    }

    /// <summary>
    /// Usage on a usage line. A usage on a line that is no usage line (or none) is a replay issue and changes nothing;
    /// a usageId the line has seen before is the same usage again and changes nothing; usage after the line ended
    /// (cancelled, dropped) earns nothing; usage outside the service period is earned beyond commitments.
    /// </summary>
    private void ReportUsage(UsageReported u, ICollection<ReplayIssue>? issues)
    {
        if (!_byKey.TryGetValue((u.LineId, null, RecognitionPattern.Usage), out var obligation) || obligation.Usage is not { } usage)
        {
            issues?.Add(new ReplayIssue(History.ContractId, u.Id, "data.lineId", $"the contract has no usage line {u.LineId} on {EventJson.Iso(u.Date)}"));
            return;
        }

        usage.Report(u.Date, u.Quantity, u.UsageKey);
    }

    private void RemoveDue(string invoiceId)
    {
        foreach (var due in _due)
        {
            if (due.InvoiceId == invoiceId)
            {
                DueTotal -= due.Amount;
                _nonPositiveDue -= due.Amount > 0m ? 0 : 1;
            }
        }

        _due.RemoveAll(d => d.InvoiceId == invoiceId);
    }

    private void AddDue(DueInvoice invoice)
    {
        DueTotal += invoice.Amount;
        _nonPositiveDue += invoice.Amount > 0m ? 0 : 1;
        var at = _due.Count;
        while (at > 0 && Compare(_due[at - 1], invoice) > 0)
        {
            at--;
        }

        _due.Insert(at, invoice);

        static int Compare(DueInvoice a, DueInvoice b) =>
            a.DueDate != b.DueDate ? a.DueDate.CompareTo(b.DueDate)
            : a.IssueDate != b.IssueDate ? a.IssueDate.CompareTo(b.IssueDate)
            : string.CompareOrdinal(a.InvoiceId, b.InvoiceId);
    }

    private sealed class InvoiceState(IssuedInvoice issued)
    {
        public IssuedInvoice Issued { get; set; } = issued;
    }
}
