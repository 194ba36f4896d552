using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Tests.Recognition;

/// <summary>
/// A progress or usage report against the contract's stored history (recognition.md): what the stored signing,
/// amendments and progress reports already make wrong for good, and what they leave open.
/// </summary>
public class ReportChecksTests
{
    private static readonly DateOnly Signed = new(2026, 10, 3);

    private static ContractLine Line(string id, RecognitionPattern pattern) => pattern switch
    {
        RecognitionPattern.Progress => new() { LineId = id, Amount = 1000m, Recognition = pattern, Measure = ProgressMeasure.Cost, EstimatedTotal = 700m },
        RecognitionPattern.Usage => new() { LineId = id, Amount = 0m, Recognition = pattern, UnitPrice = 0.5m, ServiceStart = Signed, ServiceEnd = Signed.AddYears(1) },
        _ => new() { LineId = id, Amount = 1200m, Recognition = pattern, ServiceStart = Signed, ServiceEnd = Signed.AddYears(1) },
    };

    private static ContractSigned Signing(params ContractLine[] lines) => new()
    {
        Id = "s",
        OccurredAt = new DateTimeOffset(2026, 10, 3, 12, 0, 0, TimeSpan.Zero),
        ContractId = "C",
        SignedDate = Signed,
        Currency = Currency.USD,
        Customer = new Customer("K", "Kunde", null, null),
        Lines = lines,
    };

    private static ContractAmended Amendment(DateOnly effective, params ContractLine[] lines) => new()
    {
        Id = "a",
        OccurredAt = new DateTimeOffset(effective.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        ContractId = "C",
        Effective = effective,
        SignedDate = effective,
        Lines = lines,
    };

    private static ProgressReported Progress(string id, DateOnly date, decimal toDate, string line = "B1") => new()
    {
        Id = id,
        OccurredAt = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        ContractId = "C",
        LineId = line,
        Date = date,
        ToDate = toDate,
    };

    private static UsageReported Usage(DateOnly date, string line) => new()
    {
        Id = "u",
        OccurredAt = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        ContractId = "C",
        LineId = line,
        Date = date,
        Quantity = 10m,
    };

    private static readonly ContractSigned Mixed = Signing(Line("B1", RecognitionPattern.Progress), Line("U1", RecognitionPattern.Usage), Line("L1", RecognitionPattern.Ratable));

    public static TheoryData<string, ContractEvent, ContractEvent[], string?> Cases() => new()
    {
        { "no stored signing: nothing to judge", Usage(Signed.AddDays(-30), "X"), [], null },
        { "usage on its usage line", Usage(Signed.AddDays(40), "U1"), [Mixed], null },
        { "usage on the signing day", Usage(Signed, "U1"), [Mixed], null },
        { "usage before the signing", Usage(Signed.AddDays(-1), "U1"), [Mixed], "data.date" },
        { "progress before the signing", Progress("p", Signed.AddDays(-2), 5m), [Mixed], "data.date" },
        { "usage on a ratable line", Usage(Signed.AddDays(40), "L1"), [Mixed], "data.lineId" },
        { "usage on a progress line", Usage(Signed.AddDays(40), "B1"), [Mixed], "data.lineId" },
        { "usage on a line the stored terms do not know (its amendment may be on its way)", Usage(Signed.AddDays(40), "X9"), [Mixed], null },
        { "progress on a line the stored terms do not know", Progress("p", Signed.AddDays(40), 5m, "X9"), [Mixed, Progress("p0", Signed.AddDays(30), 400m, "X9")], null },
        { "a report before the signing counts for nothing", Progress("p2", Signed.AddDays(60), 10m), [Mixed, Progress("p1", Signed.AddDays(-5), 400m)], null },
        { "progress on a usage line", Progress("p", Signed.AddDays(40), 5m, "U1"), [Mixed], "data.lineId" },
        { "usage on a line an amendment added", Usage(Signed.AddDays(70), "U2"), [Mixed, Amendment(Signed.AddDays(60), Line("U2", RecognitionPattern.Usage))], null },
        { "usage on a line once usage, amended to ratable (the replay judges the day)", Usage(Signed.AddDays(70), "U1"), [Mixed, Amendment(Signed.AddDays(60), Line("U1", RecognitionPattern.Ratable))], null },
        { "progress rising", Progress("p2", Signed.AddDays(60), 500m), [Mixed, Progress("p1", Signed.AddDays(30), 400m)], null },
        { "progress equal to the one before", Progress("p2", Signed.AddDays(60), 400m), [Mixed, Progress("p1", Signed.AddDays(30), 400m)], null },
        { "progress decreasing", Progress("p2", Signed.AddDays(60), 399m), [Mixed, Progress("p1", Signed.AddDays(30), 400m)], "data.toDate" },
        { "progress above a later report", Progress("p2", Signed.AddDays(20), 401m), [Mixed, Progress("p1", Signed.AddDays(30), 400m)], "data.toDate" },
        { "progress between its neighbours", Progress("p2", Signed.AddDays(20), 350m), [Mixed, Progress("p1", Signed.AddDays(10), 300m), Progress("p3", Signed.AddDays(30), 400m)], null },
        { "a correction on the same day", Progress("p2", Signed.AddDays(30), 380m), [Mixed, Progress("p1", Signed.AddDays(30), 400m)], null },
        { "another line's reports do not count", Progress("p2", Signed.AddDays(60), 10m), [Signing(Line("B1", RecognitionPattern.Progress), Line("B2", RecognitionPattern.Progress)), Progress("p1", Signed.AddDays(30), 400m, "B2")], null },
        { "the same report again is no decrease", Progress("p1", Signed.AddDays(30), 400m), [Mixed, Progress("p1", Signed.AddDays(30), 400m)], null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_report_is_judged_against_the_stored_history(string name, ContractEvent report, ContractEvent[] known, string? field)
    {
        var problems = ReportChecks.Against(report, known);

        Assert.True(field is null ? problems.Count == 0 : problems.Count == 1 && problems[0].Field == field, $"{name}: {string.Join("; ", problems)}");
    }

    [Fact]
    public void The_reason_says_what_the_history_holds()
    {
        var problems = ReportChecks.Against(Usage(Signed.AddDays(-3), "L1"), [Mixed]);

        Assert.Equal(
            [
                new ReportProblem("data.date", "2026-09-30 is before the contract was signed (2026-10-03)"),
                new ReportProblem("data.lineId", "line L1 of contract C is a ratable line in every stored signing and amendment, not a usage line"),
            ],
            problems);
    }
}
