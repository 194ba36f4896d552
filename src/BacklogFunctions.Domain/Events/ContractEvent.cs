using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Events;

/// <summary>How a performance obligation earns its revenue.</summary>
public enum RecognitionPattern
{
    /// <summary>Evenly over a service period (both ends inclusive).</summary>
    Ratable,

    /// <summary>In full on the day it is delivered.</summary>
    PointInTime,

    /// <summary>Each milestone's amount on the day it is completed.</summary>
    Milestone,

    /// <summary>By progress towards completion: round(amount × progress to date), progress reported by <c>progress.reported</c>.</summary>
    Progress,

    /// <summary>As the customer consumes: quantity × unit price on the day of each <c>usage.reported</c>, with an optional take-or-pay minimum per commitment period.</summary>
    Usage,
}

/// <summary>What the progress of a progress line measures.</summary>
public enum ProgressMeasure
{
    /// <summary>Input method: costs incurred ÷ estimated total costs.</summary>
    Cost,

    /// <summary>Output method: units delivered ÷ total units.</summary>
    Units,
}

public sealed record Customer(string Id, string Name, string? Segment, string? Region);

public sealed record MilestoneTerms(string MilestoneId, decimal Amount, DateOnly ExpectedDate);

/// <summary>A performance obligation as a signing or an amendment states it.</summary>
public sealed record ContractLine
{
    public required string LineId { get; init; }
    public required decimal Amount { get; init; }
    public required RecognitionPattern Recognition { get; init; }
    public string? ProductLine { get; init; }
    public string? Description { get; init; }
    public DateOnly? ServiceStart { get; init; }
    public DateOnly? ServiceEnd { get; init; }
    public DateOnly? ExpectedDate { get; init; }
    public IReadOnlyList<MilestoneTerms> Milestones { get; init; } = [];

    /// <summary>How the line is invoiced; null when the line has no plan.</summary>
    public BillingPlan? Billing { get; init; }

    /// <summary>A progress line: what its progress measures.</summary>
    public ProgressMeasure? Measure { get; init; }

    /// <summary>A progress line: the estimated total costs or units (greater than zero).</summary>
    public decimal? EstimatedTotal { get; init; }

    /// <summary>A progress line: when the work is expected to be complete (used for RPO timing only).</summary>
    public DateOnly? ExpectedCompletion { get; init; }

    /// <summary>A usage line: the price of one unit (up to 6 fraction digits). Its <see cref="Amount"/> is the committed total.</summary>
    public decimal? UnitPrice { get; init; }

    /// <summary>A usage line: the take-or-pay minimum per commitment period; null without one (then <see cref="Amount"/> is 0).</summary>
    public Recognition.Commitment? Commitment { get; init; }
}

/// <summary>
/// One change a billing system reports about one contract. Figures as of a day use the events whose
/// <see cref="BusinessDate"/> is on or before that day, applied in <see cref="EffectiveDate"/> order.
/// </summary>
public abstract record ContractEvent
{
    public required string Id { get; init; }
    public string? Source { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string ContractId { get; init; }

    /// <summary>The wire name of the type, e.g. <c>contract.signed</c>.</summary>
    public abstract string Type { get; }

    /// <summary>The day the business learned of the change (signing, decision, issue or payment date).</summary>
    public abstract DateOnly BusinessDate { get; }

    /// <summary>The first day the change applies to.</summary>
    public virtual DateOnly EffectiveDate => BusinessDate;

    /// <summary>The idempotency key: an id is unique per sending system.</summary>
    public EventKey Key => new(Source ?? string.Empty, Id);
}

public readonly record struct EventKey(string Source, string Id)
{
    public override string ToString() => Source.Length == 0 ? Id : $"{Source}/{Id}";
}

public sealed record ContractSigned : ContractEvent
{
    public override string Type => EventTypes.ContractSigned;
    public required DateOnly SignedDate { get; init; }
    public required Currency Currency { get; init; }
    public required Customer Customer { get; init; }
    public string? SalesOwner { get; init; }
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Days from an invoice's issue date to its due date when the invoice names none.</summary>
    public int PaymentTermsDays { get; init; } = DefaultPaymentTermsDays;

    public required IReadOnlyList<ContractLine> Lines { get; init; }
    public override DateOnly BusinessDate => SignedDate;

    public const int DefaultPaymentTermsDays = 30;
}

public sealed record ContractAmended : ContractEvent
{
    public override string Type => EventTypes.ContractAmended;
    public required DateOnly Effective { get; init; }
    public required DateOnly SignedDate { get; init; }
    public required IReadOnlyList<ContractLine> Lines { get; init; }
    public override DateOnly BusinessDate => SignedDate;
    public override DateOnly EffectiveDate => Effective;
}

public sealed record ContractCancelled : ContractEvent
{
    public override string Type => EventTypes.ContractCancelled;
    public required DateOnly LastServiceDate { get; init; }
    public required DateOnly CancelledOn { get; init; }
    public string? Reason { get; init; }
    public override DateOnly BusinessDate => CancelledOn;

    /// <summary>Service stops after the last day of service.</summary>
    public override DateOnly EffectiveDate => LastServiceDate.AddDays(1);
}

public sealed record DeliveryCompleted : ContractEvent
{
    public override string Type => EventTypes.DeliveryCompleted;
    public required string LineId { get; init; }
    public required DateOnly Date { get; init; }
    public override DateOnly BusinessDate => Date;
}

public sealed record MilestoneCompleted : ContractEvent
{
    public override string Type => EventTypes.MilestoneCompleted;
    public required string LineId { get; init; }
    public required string MilestoneId { get; init; }
    public required DateOnly Date { get; init; }
    public override DateOnly BusinessDate => Date;
}

/// <summary>
/// Cumulative progress of a progress line up to <see cref="Date"/> (costs incurred or units delivered), with a
/// revised estimated total from that date when the estimate changed.
/// </summary>
public sealed record ProgressReported : ContractEvent
{
    public override string Type => EventTypes.ProgressReported;
    public required string LineId { get; init; }
    public required DateOnly Date { get; init; }

    /// <summary>Costs incurred or units delivered up to <see cref="Date"/>, cumulative; never less than reported before.</summary>
    public required decimal ToDate { get; init; }

    /// <summary>A revised estimated total in force from <see cref="Date"/>; null when the estimate is unchanged.</summary>
    public decimal? EstimatedTotal { get; init; }

    public override DateOnly BusinessDate => Date;
}

/// <summary>
/// A quantity a usage line's customer consumed on <see cref="Date"/>. A repeated <see cref="UsageId"/> on the same line
/// is the same usage again and changes nothing.
/// </summary>
public sealed record UsageReported : ContractEvent
{
    public override string Type => EventTypes.UsageReported;
    public required string LineId { get; init; }
    public required DateOnly Date { get; init; }

    /// <summary>Units consumed on <see cref="Date"/>; not negative, up to 6 fraction digits.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>The usage's own id as the sender states it; null when left out (then the event id stands for it).</summary>
    public string? UsageId { get; init; }

    /// <summary>What identifies the usage on its line: <see cref="UsageId"/>, else the event id.</summary>
    public string UsageKey => UsageId ?? Id;

    public override DateOnly BusinessDate => Date;
}

public sealed record InvoiceIssued : ContractEvent
{
    public override string Type => EventTypes.InvoiceIssued;
    public required string InvoiceId { get; init; }
    public required DateOnly IssueDate { get; init; }
    public required decimal Amount { get; init; }
    public DateOnly? DueDate { get; init; }
    public override DateOnly BusinessDate => IssueDate;
}

public sealed record InvoiceVoided : ContractEvent
{
    public override string Type => EventTypes.InvoiceVoided;
    public required string InvoiceId { get; init; }
    public required DateOnly Date { get; init; }
    public override DateOnly BusinessDate => Date;
}

public sealed record CreditNoteIssued : ContractEvent
{
    public override string Type => EventTypes.CreditNoteIssued;
    public required string CreditNoteId { get; init; }
    public required DateOnly Date { get; init; }
    public required decimal Amount { get; init; }
    public string? InvoiceId { get; init; }
    public override DateOnly BusinessDate => Date;
}

public sealed record PaymentReceived : ContractEvent
{
    public override string Type => EventTypes.PaymentReceived;
    public required string PaymentId { get; init; }
    public required DateOnly Date { get; init; }

    /// <summary>Negative for a refund.</summary>
    public required decimal Amount { get; init; }
    public string? InvoiceId { get; init; }
    public override DateOnly BusinessDate => Date;
}

public static class EventTypes
{
    public const string ContractSigned = "contract.signed";
    public const string ContractAmended = "contract.amended";
    public const string ContractCancelled = "contract.cancelled";
    public const string DeliveryCompleted = "delivery.completed";
    public const string MilestoneCompleted = "milestone.completed";
    public const string InvoiceIssued = "invoice.issued";
    public const string InvoiceVoided = "invoice.voided";
    public const string CreditNoteIssued = "credit_note.issued";
    public const string PaymentReceived = "payment.received";
    public const string ProgressReported = "progress.reported";
    public const string UsageReported = "usage.reported";

    public static readonly IReadOnlyList<string> All =
    [
        ContractSigned, ContractAmended, ContractCancelled, DeliveryCompleted, MilestoneCompleted,
        InvoiceIssued, InvoiceVoided, CreditNoteIssued, PaymentReceived, ProgressReported, UsageReported,
    ];
}

/// <summary>One reason an event was refused: which event, which field (a JSON path), and why.</summary>
public sealed record ValidationError(string? EventId, string Field, string Reason)
{
    public override string ToString() => $"event {EventId ?? "(no id)"}: {Field}: {Reason}";
}
