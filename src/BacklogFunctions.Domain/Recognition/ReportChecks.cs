using System.Globalization;
using BacklogFunctions.Domain.Events;

namespace BacklogFunctions.Domain.Recognition;

/// <summary>A field of an event and why the event cannot be accepted.</summary>
public readonly record struct ReportProblem(string Field, string Reason);

/// <summary>
/// A progress or usage report judged against what is already stored of its contract (recognition.md), so that a
/// sender hears at once what the replay would otherwise ignore. It is refused when:
/// <list type="bullet">
/// <item>it is dated before the stored signing (a contract is signed on one day);</item>
/// <item>its line is a line of the contract, but no stored signing or amendment ever made it a line of the report's
/// kind (usage on a ratable line). A line the stored terms do not know at all is not judged: the amendment that
/// adds it may still be on its way, and the replay judges the report once the events are put together;</item>
/// <item>(progress) its <c>toDate</c> is below one stored for an earlier day of the line, or above one stored for a
/// later day (<c>toDate</c> is cumulative and may not decrease); reports dated before the signing count for
/// nothing and are not compared.</item>
/// </list>
/// Without a stored signing nothing is judged here; the replay reports what it finds (<see cref="ContractHistory"/>).
/// </summary>
public static class ReportChecks
{
    /// <summary>
    /// The problems of <paramref name="report"/> given <paramref name="known"/>, the contract's stored signing,
    /// amendments and progress reports (in any order; other events are ignored). Empty when it is acceptable.
    /// </summary>
    public static IReadOnlyList<ReportProblem> Against(ContractEvent report, IEnumerable<ContractEvent> known)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(known);
        var (lineId, pattern) = report switch
        {
            ProgressReported p => (p.LineId, RecognitionPattern.Progress),
            UsageReported u => (u.LineId, RecognitionPattern.Usage),
            _ => (null, default),
        };
        var history = known as IReadOnlyCollection<ContractEvent> ?? [.. known];
        if (lineId is null || history.OfType<ContractSigned>().FirstOrDefault() is not { } signing)
        {
            return [];
        }

        var problems = new List<ReportProblem>();
        if (report.BusinessDate < signing.SignedDate)
        {
            problems.Add(new ReportProblem("data.date", $"{Iso(report.BusinessDate)} is before the contract was signed ({Iso(signing.SignedDate)})"));
        }

        var declared = history.SelectMany(TermsOf).Where(l => l.LineId == lineId).Select(l => l.Recognition).Distinct().ToList();
        if (declared.Count > 0 && !declared.Contains(pattern))
        {
            problems.Add(new ReportProblem("data.lineId", $"line {lineId} of contract {report.ContractId} is a {string.Join(" and ", declared.Select(EventJson.Recognitions.NameOf).Order(StringComparer.Ordinal))} line in every stored signing and amendment, not a {EventJson.Recognitions.NameOf(pattern)} line"));
        }

        if (report is ProgressReported progress && declared.Contains(pattern))
        {
            var counted = history.OfType<ProgressReported>().Where(p => p.LineId == lineId && p.Key != report.Key && p.Date >= signing.SignedDate);
            foreach (var other in counted.OrderBy(p => p.Date).ThenBy(p => p.Id, StringComparer.Ordinal))
            {
                if (other.Date < progress.Date && other.ToDate > progress.ToDate)
                {
                    problems.Add(new ReportProblem("data.toDate", $"{Number(progress.ToDate)} is below the {Number(other.ToDate)} reported for {Iso(other.Date)} (event {other.Id}); toDate is cumulative and may not decrease"));
                    break;
                }

                if (other.Date > progress.Date && other.ToDate < progress.ToDate)
                {
                    problems.Add(new ReportProblem("data.toDate", $"{Number(progress.ToDate)} is above the {Number(other.ToDate)} reported for the later {Iso(other.Date)} (event {other.Id}); toDate is cumulative and may not decrease"));
                    break;
                }
            }
        }

        return problems;
    }

    /// <summary>True when a signing or amendment among <paramref name="known"/> makes <paramref name="lineId"/> a line of <paramref name="pattern"/>.</summary>
    public static bool Declares(IEnumerable<ContractEvent> known, string lineId, RecognitionPattern pattern) =>
        known.SelectMany(TermsOf).Any(l => l.LineId == lineId && l.Recognition == pattern);

    /// <summary>The lines a signing or amendment states; none for the other events.</summary>
    private static IReadOnlyList<ContractLine> TermsOf(ContractEvent e) => e switch
    {
        ContractSigned s => s.Lines,
        ContractAmended a => a.Lines,
        _ => [],
    };

    private static string Iso(DateOnly date) => EventJson.Iso(date);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
