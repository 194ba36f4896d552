using System.Text.Json;
using System.Text.Json.Serialization;

namespace BacklogFunctions.Domain.Events.Wire;

// The event JSON exactly as docs/events.schema.json shapes it: dates, instants and amounts stay strings here and
// become values (with the checks a schema cannot express) in EventJson. Property order is the order of the
// canonical form, so a v1 event hashes as it always did; fields added later come after the ones before them.
// Every property is nullable: a document that failed the schema is still read as far as it goes, so that every
// bad field is named at once.

/// <summary>The envelope of one event, with its type-specific data.</summary>
public sealed record EventWire<TData>
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Source { get; init; }
    public string? OccurredAt { get; init; }
    public string? ContractId { get; init; }
    public TData? Data { get; init; }
}

public sealed record CustomerWire
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Segment { get; init; }
    public string? Region { get; init; }
}

public sealed record MilestoneWire
{
    public string? MilestoneId { get; init; }
    public string? Amount { get; init; }
    public string? ExpectedDate { get; init; }
}

public sealed record InstallmentWire
{
    public string? Date { get; init; }
    public string? Amount { get; init; }
}

public sealed record BillingWire
{
    public string? Frequency { get; init; }
    public string? Timing { get; init; }
    public List<InstallmentWire?>? Schedule { get; init; }
}

public sealed record LineWire
{
    public string? LineId { get; init; }
    public string? Amount { get; init; }
    public string? Recognition { get; init; }
    public string? ProductLine { get; init; }
    public string? Description { get; init; }
    public string? ServiceStart { get; init; }
    public string? ServiceEnd { get; init; }
    public string? ExpectedDate { get; init; }
    public List<MilestoneWire?>? Milestones { get; init; }
    public BillingWire? Billing { get; init; }
    public string? Measure { get; init; }
    public string? EstimatedTotal { get; init; }
    public string? ExpectedCompletion { get; init; }
    public string? UnitPrice { get; init; }
    public CommitmentWire? Commitment { get; init; }
}

public sealed record CommitmentWire
{
    public string? Amount { get; init; }
    public string? Per { get; init; }
}

public sealed record ContractSignedWire
{
    public string? SignedDate { get; init; }
    public string? Currency { get; init; }
    public CustomerWire? Customer { get; init; }
    public string? SalesOwner { get; init; }
    public Dictionary<string, string?>? Attributes { get; init; }
    public int? PaymentTermsDays { get; init; }
    public List<LineWire?>? Lines { get; init; }
}

public sealed record ContractAmendedWire
{
    public string? EffectiveDate { get; init; }
    public string? SignedDate { get; init; }
    public List<LineWire?>? Lines { get; init; }
}

public sealed record ContractCancelledWire
{
    public string? LastServiceDate { get; init; }
    public string? CancelledOn { get; init; }
    public string? Reason { get; init; }
}

public sealed record DeliveryCompletedWire
{
    public string? LineId { get; init; }
    public string? Date { get; init; }
}

public sealed record MilestoneCompletedWire
{
    public string? LineId { get; init; }
    public string? MilestoneId { get; init; }
    public string? Date { get; init; }
}

public sealed record InvoiceIssuedWire
{
    public string? InvoiceId { get; init; }
    public string? IssueDate { get; init; }
    public string? Amount { get; init; }
    public string? DueDate { get; init; }
}

public sealed record InvoiceVoidedWire
{
    public string? InvoiceId { get; init; }
    public string? Date { get; init; }
}

public sealed record CreditNoteIssuedWire
{
    public string? CreditNoteId { get; init; }
    public string? Date { get; init; }
    public string? Amount { get; init; }
    public string? InvoiceId { get; init; }
}

public sealed record PaymentReceivedWire
{
    public string? PaymentId { get; init; }
    public string? Date { get; init; }
    public string? Amount { get; init; }
    public string? InvoiceId { get; init; }
}

public sealed record ProgressReportedWire
{
    public string? LineId { get; init; }
    public string? Date { get; init; }
    public string? ToDate { get; init; }
    public string? EstimatedTotal { get; init; }
}

public sealed record UsageReportedWire
{
    public string? LineId { get; init; }
    public string? Date { get; init; }
    public string? Quantity { get; init; }
    public string? UsageId { get; init; }
}

/// <summary>The source-generated serializers of the event JSON.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(EventWire<JsonElement>))]
[JsonSerializable(typeof(EventWire<ContractSignedWire>))]
[JsonSerializable(typeof(EventWire<ContractAmendedWire>))]
[JsonSerializable(typeof(EventWire<ContractCancelledWire>))]
[JsonSerializable(typeof(EventWire<DeliveryCompletedWire>))]
[JsonSerializable(typeof(EventWire<MilestoneCompletedWire>))]
[JsonSerializable(typeof(EventWire<InvoiceIssuedWire>))]
[JsonSerializable(typeof(EventWire<InvoiceVoidedWire>))]
[JsonSerializable(typeof(EventWire<CreditNoteIssuedWire>))]
[JsonSerializable(typeof(EventWire<PaymentReceivedWire>))]
[JsonSerializable(typeof(EventWire<ProgressReportedWire>))]
[JsonSerializable(typeof(EventWire<UsageReportedWire>))]
public sealed partial class EventWireContext : JsonSerializerContext;
