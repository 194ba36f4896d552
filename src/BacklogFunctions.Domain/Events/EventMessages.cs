namespace BacklogFunctions.Domain.Events;

/// <summary>
/// The reasons a refused event's fields are given, in one place: the schema's findings and the domain's own checks
/// name the same problem with the same words.
/// </summary>
public static class EventMessages
{
    public const string Required = "is required";
    public const string UnknownField = "unknown field";
    public const string DuplicateField = "duplicate field";
    public const string Empty = "must not be empty";
    public const string AmountIsNumber = "amounts are decimal strings (\"1200.00\"), not JSON numbers";
    public const string AttributeName = "an attribute name is 1-128 characters of A-Z a-z 0-9 . _ : -";
    public const string TooManyAttributes = "at most 50 attributes";
    public const string ContractWithoutLines = "a contract has at least one line";
    public const string AmendmentWithoutLines = "an amendment carries the complete new set of lines and cannot be empty; send contract.cancelled to end a contract";
    public const string TooManyLines = "at most 500 lines";
    public const string MilestoneCount = "a milestone line has 1-100 milestones";
    public const string ScheduleCount = "a billing schedule has 1-500 installments";
    public const string FrequencyAndSchedule = "a billing plan is a frequency or a schedule, not both";
    public const string TimingOfRatableOnly = "applies to ratable lines only";

    public static string NotAnId(string? value) => $"'{EventJson.Truncate(value)}' is not an id: 1-{EventJson.MaxIdLength} characters of A-Z a-z 0-9 . _ : -";

    public static string NotADate(string? value) => $"'{EventJson.Truncate(value)}' is not a date (yyyy-MM-dd)";

    public static string NotAnInstant(string? value) => $"'{EventJson.Truncate(value)}' is not an RFC 3339 timestamp with an offset (2026-10-03T12:00:00Z)";

    public static string NotAnAmount(string? value) => $"'{EventJson.Truncate(value)}' is not a decimal amount (digits, an optional '-' and '.', at most 15 integer digits)";

    public static string NotAQuantity(string? value) => $"'{EventJson.Truncate(value)}' is not a decimal quantity (digits, an optional '.', at most 15 integer and {EventJson.MaxQuantityDecimals} fraction digits)";

    public static string NotACurrency(string? value) => $"'{EventJson.Truncate(value)}' is not an ISO 4217 currency code";

    public static string UnknownEventType(string? value) => $"unknown event type '{EventJson.Truncate(value)}'; expected one of {string.Join(", ", EventTypes.All)}";

    public static string NotOneOf(string? value, IEnumerable<string> names) => $"'{EventJson.Truncate(value)}' is not one of {string.Join(", ", names)}";

    public static string TextTooLong(int maxLength, int length) => $"must be at most {maxLength} characters (got {length})";

    public static string Length(int maxLength) => $"must be 1-{maxLength} characters";

    public static string PaymentTerms(string value) => $"{value} is not a number of days from 0 to 365";

    public static string WrongKind(string expected, string actual) => $"must be {expected}, not {actual}";
}
