using BacklogFunctions.Application.Events;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Recognition;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Domain.Tests.Events;

/// <summary>Progress lines and <c>progress.reported</c> (recognition.md, "Progress lines"): read, refused with the field named, written back.</summary>
public class ProgressEventTests
{
    internal const string SignedJson = """
        {"id":"evt_p1","type":"contract.signed","occurredAt":"2026-01-05T12:00:00Z","contractId":"C-P",
         "data":{"signedDate":"2026-01-05","currency":"USD","customer":{"id":"CUST-1","name":"Contoso Ltd"},
                 "lines":[{"lineId":"B1","amount":"1000000.00","recognition":"progress","measure":"cost","estimatedTotal":"700000","expectedCompletion":"2027-06-30"},
                          {"lineId":"L2","amount":"300.00","recognition":"point_in_time","expectedDate":"2026-11-15"}]}}
        """;

    internal const string ReportJson = """
        {"id":"evt_p2","type":"progress.reported","occurredAt":"2026-12-31T18:00:00Z","contractId":"C-P",
         "data":{"lineId":"B1","date":"2026-12-31","toDate":"420000.50","estimatedTotal":"700000.125"}}
        """;

    [Fact]
    public void A_progress_line_and_a_progress_report_are_read_with_every_field_and_written_back_the_same()
    {
        var signed = Assert.IsType<ContractSigned>(EventReader.Parse(SignedJson).Event);
        var report = Assert.IsType<ProgressReported>(EventReader.Parse(ReportJson).Event);

        var line = signed.Lines[0];
        Assert.Equal((RecognitionPattern.Progress, ProgressMeasure.Cost, 700_000m, new DateOnly(2027, 6, 30)), (line.Recognition, line.Measure, line.EstimatedTotal, line.ExpectedCompletion));
        Assert.Equal(("B1", new DateOnly(2026, 12, 31), 420_000.50m, 700_000.125m), (report.LineId, report.Date, report.ToDate, report.EstimatedTotal));
        foreach (var e in new ContractEvent[] { signed, report })
        {
            var again = EventReader.Parse(EventJson.Write(e)).Event!;
            Assert.Equal(EventJson.Canonical(e), EventJson.Canonical(again));
            Assert.Equal(EventJson.Canonical(e), EventJson.Canonical(EventJson.ReadStored(EventJson.Canonical(e)).Event!));
        }

        Assert.Null(Assert.IsType<ProgressReported>(EventReader.Parse(JsonEdit.Set(ReportJson, "data.estimatedTotal", null)).Event).EstimatedTotal);
    }

    public static TheoryData<string, string, string?, string, string> BadFields => new()
    {
        // which event, JSON path, replacement (null: removed), expected field, expected words
        { "report", "data.toDate", "\"-1\"", "data.toDate", "must not be negative" },
        { "report", "data.toDate", "\"1.1234567\"", "data.toDate", "a quantity allows 6" },
        { "report", "data.toDate", "12", "data.toDate", "must be a string" },
        { "report", "data.toDate", "\"1e3\"", "data.toDate", "is not a decimal quantity" },
        { "report", "data.toDate", null, "data.toDate", "is required" },
        { "report", "data.lineId", null, "data.lineId", "is required" },
        { "report", "data.date", "\"2026-02-30\"", "data.date", "is not a date" },
        { "report", "data.estimatedTotal", "\"0\"", "data.estimatedTotal", "must be greater than zero" },
        { "report", "data.estimatedTotal", "\"-5\"", "data.estimatedTotal", "must be greater than zero" },
        { "report", "data.costs", "\"5\"", "data.costs", "unknown field" },
        { "signed", "data.lines[0].measure", "\"hours\"", "data.lines[0].measure", "is not one of cost, units" },
        { "signed", "data.lines[0].measure", null, "data.lines[0].measure", "is required" },
        { "signed", "data.lines[0].estimatedTotal", null, "data.lines[0].estimatedTotal", "is required" },
        { "signed", "data.lines[0].estimatedTotal", "\"0.000\"", "data.lines[0].estimatedTotal", "must be greater than zero" },
        { "signed", "data.lines[0].estimatedTotal", "\"10.0000001\"", "data.lines[0].estimatedTotal", "a quantity allows 6" },
        { "signed", "data.lines[0].expectedCompletion", "\"soon\"", "data.lines[0].expectedCompletion", "is not a date" },
        { "signed", "data.lines[0].serviceStart", "\"2026-01-01\"", "data.lines[0].serviceStart", "unknown field" },
        { "signed", "data.lines[1].measure", "\"cost\"", "data.lines[1].measure", "unknown field" },
        { "signed", "data.lines[1].estimatedTotal", "\"5\"", "data.lines[1].estimatedTotal", "unknown field" },
        { "signed", "data.lines[0].amount", "\"10.001\"", "data.lines[0].amount", "USD allows 2" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void A_bad_progress_field_is_refused_with_its_field_named(string which, string path, string? replacement, string field, string words)
    {
        var json = JsonEdit.Set(which == "signed" ? SignedJson : ReportJson, path, replacement);

        var result = EventReader.Parse(json);

        Assert.Null(result.Event);
        Assert.Contains(result.Errors, e => e.Field == field && e.Reason.Contains(words, StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> HistoryProblems => new()
    {
        // the report (date, lineId, toDate) after a first report of 100 on 2026-03-31; expected field, words
        { "2026-04-30|B1|99", "data.toDate", "less than" },
        { "2026-04-30|L2|5", "data.lineId", "no progress line L2" },
        { "2026-04-30|X9|5", "data.lineId", "no progress line X9" },
        { "2025-12-31|B1|5", "data", "before the contract was signed" },
    };

    [Theory]
    [MemberData(nameof(HistoryProblems))]
    public void A_progress_report_that_contradicts_the_contract_is_a_replay_issue_naming_the_field(string report, string field, string words)
    {
        var parts = report.Split('|');
        var events = new List<ContractEvent>
        {
            EventReader.Parse(SignedJson).Event!,
            Report("evt_r1", "2026-03-31", "B1", 100m),
            Report("evt_r2", parts[0], parts[1], decimal.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)),
        };
        var issues = new List<ReplayIssue>();

        ContractHistory.Create("C-P", events, issues);

        var issue = Assert.Single(issues);
        Assert.Equal(("evt_r2", field), (issue.EventId, issue.Field));
        Assert.Contains(words, issue.Reason, StringComparison.Ordinal);

        // The report that contradicts the history changes nothing: 100 of 700,000 as reported before.
        var history = ContractHistory.Create("C-P", events);
        var without = ContractHistory.Create("C-P", events.Take(2));
        foreach (var day in new[] { new DateOnly(2026, 2, 1), new DateOnly(2026, 6, 30) })
        {
            Assert.Equal(without.At(day, ProrationPolicy.Daily).RecognizedThrough(day), history.At(day, ProrationPolicy.Daily).RecognizedThrough(day));
        }
    }

    [Fact]
    public void A_stream_with_a_decreasing_progress_report_is_refused_on_the_report_s_line()
    {
        var text = string.Join("\n", System.Text.Json.Nodes.JsonNode.Parse(SignedJson)!.ToJsonString(), EventJson.Write(Report("evt_r1", "2026-03-31", "B1", 100m)), EventJson.Write(Report("evt_r2", "2026-04-30", "B1", 50m)));

        var result = EventStream.Read(new StringReader(text));

        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "data.toDate"), (error.Line, error.Field));
    }

    internal static ProgressReported Report(string id, string date, string lineId, decimal toDate, decimal? estimate = null) => new()
    {
        Id = id,
        OccurredAt = DateTimeOffset.Parse(date + "T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        ContractId = "C-P",
        LineId = lineId,
        Date = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
        ToDate = toDate,
        EstimatedTotal = estimate,
    };
}
