namespace BacklogFunctions.Domain.Events;

/// <summary>How often a line is invoiced (forward.md, "Billing plan installments").</summary>
public enum BillingFrequency
{
    /// <summary>The whole amount on the contract's signing date.</summary>
    Upfront,

    Monthly,
    Quarterly,
    Semiannual,
    Annual,

    /// <summary>On delivery (point-in-time lines) or on each milestone's completion (milestone lines).</summary>
    OnDelivery,
}

/// <summary>Whether a ratable line's periodic installment is dated on its billing period's first or last day.</summary>
public enum BillingTiming
{
    Advance,
    Arrears,
}

/// <summary>One explicitly scheduled invoice of a line.</summary>
public sealed record BillingInstallment(DateOnly Date, decimal Amount);

/// <summary>
/// A line's billing plan: a frequency (with a timing for ratable lines), or an explicit schedule whose amounts add
/// up to the line amount. A line without a plan has none; an amendment's line carries its own plan.
/// </summary>
public sealed record BillingPlan
{
    /// <summary>The frequency; null for an explicit schedule.</summary>
    public BillingFrequency? Frequency { get; init; }

    public BillingTiming Timing { get; init; } = BillingTiming.Advance;

    /// <summary>The installments of an explicit schedule, in the order sent; empty for a frequency.</summary>
    public IReadOnlyList<BillingInstallment> Schedule { get; init; } = [];

    public bool IsSchedule => Frequency is null;
}
