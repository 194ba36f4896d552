using BacklogFunctions.Application.Events;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Explain;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Application.Tests;

/// <summary>
/// A usage line explained in the rule's terms (recognition.md, journal.md "Explained figures"): quantity × unit price
/// with the rounding, the shortfalls of the commitment periods ended, usage beyond the commitments, the commitment
/// periods of the month and the usage reports that counted in it.
/// </summary>
public sealed class UsageExplanationTests
{
    /// <summary>1.00 a unit, 100.00 committed a month in 2026; 130 used in January, 60 in February, January's report repeated.</summary>
    private static readonly string[] Events =
    [
        """{"id":"s","type":"contract.signed","occurredAt":"2025-12-20T12:00:00Z","contractId":"C-U","data":{"signedDate":"2025-12-20","currency":"USD","customer":{"id":"CUST-1","name":"Contoso"},"lines":[{"lineId":"U1","recognition":"usage","unitPrice":"1.00","serviceStart":"2026-01-01","serviceEnd":"2026-12-31","commitment":{"amount":"100.00","per":"month"}}]}}""",
        """{"id":"u1","type":"usage.reported","occurredAt":"2026-01-20T23:00:00Z","contractId":"C-U","data":{"lineId":"U1","date":"2026-01-20","quantity":"130","usageId":"jan"}}""",
        """{"id":"u2","type":"usage.reported","occurredAt":"2026-02-10T23:00:00Z","contractId":"C-U","data":{"lineId":"U1","date":"2026-02-10","quantity":"60","usageId":"feb"}}""",
        """{"id":"u3","type":"usage.reported","occurredAt":"2026-02-11T23:00:00Z","contractId":"C-U","data":{"lineId":"U1","date":"2026-02-11","quantity":"130","usageId":"jan"}}""",
    ];

    private static ContractExplanation February()
    {
        var stream = EventStream.Read(new StringReader(string.Join('\n', Events)));
        Assert.True(stream.IsValid, string.Join("\n", stream.Errors));
        return ContractExplanation.Of(Assert.Single(stream.Contracts), new DateOnly(2026, 1, 31), new DateOnly(2026, 2, 28), SnapshotOptions.Default);
    }

    [Fact]
    public void February_earns_its_60_used_and_the_40_shortfall_and_january_keeps_its_30_beyond_the_commitment()
    {
        var line = Assert.Single(February().Lines);
        var start = Assert.Single(Assert.Single(line.Obligations).Start.Pieces).Usage!;
        var end = Assert.Single(line.Obligations[0].End.Pieces).Usage!;

        Assert.Equal((130m, 130.00m, 0m, 30.00m), (start.Quantity, start.Used, start.Shortfalls, start.BeyondCommitments));
        Assert.Equal((190m, 190.00m, 40.00m, 30.00m), (end.Quantity, end.Used, end.Shortfalls, end.BeyondCommitments));
        Assert.Equal(new CommitmentEarning(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28), 100m, 60m, 40m, 0m, Ended: true), end.Periods[1]);
        Assert.Equal((100.00m, 1200.00m, 1000.00m), (line.Revenue, line.Tcv, line.Backlog));

        // The repeated January report does not count again.
        var reported = Assert.Single(line.Usages);
        Assert.Equal(("u2", 60m), (reported.Event.Id, reported.Quantity));
    }

    [Fact]
    public void The_text_says_quantity_times_price_the_shortfall_the_period_and_the_reports()
    {
        using var text = new StringWriter();
        ExplanationFormats.WriteTable(text, February(), new Period(2026, 2), EventOrigin.Offline);
        var lines = text.ToString().Split(Environment.NewLine);

        Assert.Contains("Line U1: usage, 1 a unit, committed 100.00 a month, service 2026-01-01..2026-12-31", lines);
        Assert.Contains("    usage from 2026-01-01: 130 units x 1 = 130 -> 130.00; shortfalls of ended commitment periods 0.00; 130.00 + 0.00 = 130.00, of which beyond commitments 30.00", lines);
        Assert.Contains("    usage from 2026-01-01: 190 units x 1 = 190 -> 190.00; shortfalls of ended commitment periods 40.00; 190.00 + 40.00 = 230.00, of which beyond commitments 30.00", lines);
        Assert.Contains("      commitment 2026-02-01..2026-02-28: committed 100.00, used 60.00, beyond 0.00 (ended, shortfall 40.00)", lines);
        Assert.Contains("  usage reported in the period (60 units):", lines);
        Assert.Contains(lines, l => l.StartsWith("    usage.reported     u2 ", StringComparison.Ordinal) && l.EndsWith("2026-02-10  quantity 60", StringComparison.Ordinal));
        Assert.Contains("  recognized 230.00 - 130.00 = revenue 100.00; TCV 1,200.00, backlog 1,000.00", lines);
        Assert.DoesNotContain(lines, l => l.Contains("delivery:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_json_carries_the_usage_of_each_piece_and_the_reports_with_their_quantities()
    {
        var document = ExplanationDocument.From(February(), new Period(2026, 2), EventOrigin.Offline);

        var line = Assert.Single(document.Lines);
        var usage = Assert.Single(Assert.Single(line.Obligations).End.Pieces).Usage!;
        Assert.Equal(("190", "1", "190.00", "40.00", "30.00"), (usage.Quantity, usage.UnitPrice, usage.Used, usage.Shortfalls, usage.BeyondCommitments));
        Assert.Equal(12, usage.Periods.Count);
        Assert.Equal(("u2", "60"), (Assert.Single(line.Usages!).Id, line.Usages![0].Quantity));
        Assert.Null(line.ExpectedDate);
        Assert.Null(line.Obligations[0].ExpectedDate);
        Assert.Equal(Currency.USD.Code, document.Currency);
    }
}
