using System.Globalization;
using BacklogFunctions.Domain.Events;

namespace BacklogFunctions.Domain.Recognition;

/// <summary>A field of an event and why the event cannot be accepted.</summary>
public readonly record struct ReportProblem(string Field, string Reason);

/// <summary>
/// A progress or usage report judged against what is already stored of its contract (recognition.md): refused when
/// the stored history already makes it wrong for good — dated before the stored signing, on a line no stored
/// signing or amendment ever made a line of its kind, or a progress <c>toDate</c> below one reported for an earlier
/// day (or above one reported for a later day; <c>toDate</c> is cumulative and may not decrease). Nothing later can
/// make such a report right: a signing is never replaced, and a stored report or line is never taken back. Without a
/// stored signing nothing is judged here; the replay reports what it finds (<see cref="ContractHistory"/>).
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

        var terms = history.Select(e => e switch
        {
            ContractSigned s => s.Lines,
            ContractAmended a => a.Lines,
            _ => null,
        }).OfType<IReadOnlyList<ContractLine>>().ToList();
        if (!terms.Any(lines => lines.Any(l => l.LineId == lineId && l.Recognition == pattern)))
        {
            var kinds = terms.SelectMany(lines => lines).Select(l => $"{l.LineId} ({EventJson.Recognitions.NameOf(l.Recognition)})").Distinct().Order(StringComparer.Ordinal);
            problems.Add(new ReportProblem("data.lineId", $"line {lineId} is not a {EventJson.Recognitions.NameOf(pattern)} line of contract {report.ContractId} in any stored signing or amendment (its lines: {string.Join(", ", kinds)})"));
        }

        if (report is ProgressReported progress)
        {
            foreach (var other in history.OfType<ProgressReported>().Where(p => p.LineId == lineId && p.Key != report.Key).OrderBy(p => p.Date).ThenBy(p => p.Id, StringComparer.Ordinal))
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

    private static string Iso(DateOnly date) => EventJson.Iso(date);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
