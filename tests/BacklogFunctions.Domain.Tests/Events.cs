using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Domain.Tests;

/// <summary>Test data builder: one contract's events, written the way a billing system would send them.</summary>
internal sealed class ContractScenario
{
    private readonly List<ContractEvent> _events = [];
    private int _sequence;

    public ContractScenario(string contractId = "C-1", string currency = "USD")
    {
        ContractId = contractId;
        Currency = Currency.Of(currency);
    }

    public string ContractId { get; }

    public Currency Currency { get; }

    public IReadOnlyList<ContractEvent> Events => _events;

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static ContractLine Ratable(string id, decimal amount, string start, string end, string? productLine = null) => new()
    {
        LineId = id, Amount = amount, Recognition = RecognitionPattern.Ratable, ServiceStart = D(start), ServiceEnd = D(end), ProductLine = productLine,
    };

    public static ContractLine PointInTime(string id, decimal amount, string expected) => new()
    {
        LineId = id, Amount = amount, Recognition = RecognitionPattern.PointInTime, ExpectedDate = D(expected),
    };

    public static ContractLine Milestones(string id, params (string Id, decimal Amount, string Expected)[] milestones) => new()
    {
        LineId = id,
        Amount = milestones.Sum(m => m.Amount),
        Recognition = RecognitionPattern.Milestone,
        Milestones = milestones.Select(m => new MilestoneTerms(m.Id, m.Amount, D(m.Expected))).ToList(),
    };

    public static ContractLine Progress(string id, decimal amount, decimal estimatedTotal, ProgressMeasure measure = ProgressMeasure.Cost, string? expectedCompletion = null) => new()
    {
        LineId = id, Amount = amount, Recognition = RecognitionPattern.Progress, Measure = measure, EstimatedTotal = estimatedTotal,
        ExpectedCompletion = expectedCompletion is null ? null : D(expectedCompletion),
    };

    public ContractScenario Reported(string lineId, string date, decimal toDate, decimal? estimatedTotal = null) => Add(new ProgressReported
    {
        Id = Next("prg"), OccurredAt = At(date), ContractId = ContractId, LineId = lineId, Date = D(date), ToDate = toDate, EstimatedTotal = estimatedTotal,
    });

    /// <summary>A usage line: its amount is the committed total over the service period (0 without a commitment), as the reader sets it.</summary>
    public static ContractLine UsageLine(string id, decimal unitPrice, string start, string end, decimal? commitment = null, CommitmentPer per = CommitmentPer.Month)
    {
        var committed = commitment is { } c ? new Commitment(c, per) : null;
        return new()
        {
            LineId = id, Recognition = RecognitionPattern.Usage, UnitPrice = unitPrice, ServiceStart = D(start), ServiceEnd = D(end), Commitment = committed,
            Amount = committed is null ? 0m : UsageCommitments.PeriodsOf(D(start), D(end), committed).Sum(p => p.Committed),
        };
    }

    public ContractScenario Used(string lineId, string date, decimal quantity, string? usageId = null) => Add(new UsageReported
    {
        Id = Next("use"), OccurredAt = At(date), ContractId = ContractId, LineId = lineId, Date = D(date), Quantity = quantity, UsageId = usageId,
    });

    public ContractScenario Signed(string date, params ContractLine[] lines) => Add(new ContractSigned
    {
        Id = Next("sig"), OccurredAt = At(date), ContractId = ContractId, SignedDate = D(date), Currency = Currency,
        Customer = new Customer("CUST-" + ContractId, "Customer " + ContractId, "Enterprise", "EMEA"), Lines = lines,
    });

    public ContractScenario Amended(string signed, string effective, params ContractLine[] lines) => Add(new ContractAmended
    {
        Id = Next("amd"), OccurredAt = At(signed), ContractId = ContractId, SignedDate = D(signed), Effective = D(effective), Lines = lines,
    });

    public ContractScenario Cancelled(string decided, string lastServiceDate) => Add(new ContractCancelled
    {
        Id = Next("can"), OccurredAt = At(decided), ContractId = ContractId, CancelledOn = D(decided), LastServiceDate = D(lastServiceDate),
    });

    public ContractScenario Delivered(string lineId, string date) => Add(new DeliveryCompleted
    {
        Id = Next("dlv"), OccurredAt = At(date), ContractId = ContractId, LineId = lineId, Date = D(date),
    });

    public ContractScenario MilestoneDone(string lineId, string milestoneId, string date) => Add(new MilestoneCompleted
    {
        Id = Next("mst"), OccurredAt = At(date), ContractId = ContractId, LineId = lineId, MilestoneId = milestoneId, Date = D(date),
    });

    public ContractScenario Invoiced(string date, decimal amount, string? invoiceId = null) => Add(new InvoiceIssued
    {
        Id = Next("inv"), OccurredAt = At(date), ContractId = ContractId, InvoiceId = invoiceId ?? $"INV-{_sequence}", IssueDate = D(date), Amount = amount,
    });

    public ContractScenario Voided(string date, string invoiceId) => Add(new InvoiceVoided
    {
        Id = Next("void"), OccurredAt = At(date), ContractId = ContractId, InvoiceId = invoiceId, Date = D(date),
    });

    public ContractScenario Credited(string date, decimal amount) => Add(new CreditNoteIssued
    {
        Id = Next("cn"), OccurredAt = At(date), ContractId = ContractId, CreditNoteId = $"CN-{_sequence}", Date = D(date), Amount = amount,
    });

    public ContractScenario Paid(string date, decimal amount) => Add(new PaymentReceived
    {
        Id = Next("pay"), OccurredAt = At(date), ContractId = ContractId, PaymentId = $"PAY-{_sequence}", Date = D(date), Amount = amount,
    });

    public ContractHistory History()
    {
        var issues = new List<ReplayIssue>();
        var history = ContractHistory.Create(ContractId, _events, issues);
        Assert.Empty(issues);
        return history;
    }

    public Figures Period(string period, SnapshotOptions? options = null) =>
        Snapshot(period, options).Contracts.Single().Figures;

    public Snapshot Snapshot(string period, SnapshotOptions? options = null) =>
        new SnapshotCalculator(options ?? SnapshotOptions.Default).ForPeriod([History()], Money.Period.Parse(period));

    public Figures AsOf(string day, SnapshotOptions? options = null) =>
        new SnapshotCalculator(options ?? SnapshotOptions.Default).AsOf([History()], D(day)).Contracts.Single().Figures;

    private ContractScenario Add(ContractEvent e)
    {
        _events.Add(e);
        return this;
    }

    private string Next(string prefix) => $"{prefix}-{ContractId}-{++_sequence}";

    private static DateTimeOffset At(string date) => new(D(date).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
}
