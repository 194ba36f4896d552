using BacklogFunctions.Application.Ingest;

namespace BacklogFunctions.Application.Tests;

/// <summary>The ingest use case on the event store port: every answer of the webhook contract, without storage.</summary>
public sealed class IngestTests
{
    private static string Signed(string contract, string id = "sig-1", string amount = "1200.00", string source = "billing-a") => $$$"""
        {"id":"{{{id}}}","type":"contract.signed","source":"{{{source}}}","occurredAt":"2026-01-05T10:00:00Z","contractId":"{{{contract}}}",
         "data":{"signedDate":"2026-01-05","currency":"EUR","customer":{"id":"CUST-1","name":"Contoso"},
                 "lines":[{"lineId":"L1","amount":"{{{amount}}}","recognition":"ratable","serviceStart":"2026-02-01","serviceEnd":"2027-01-31"}]}}
        """.ReplaceLineEndings(string.Empty);

    private static string Invoice(string contract, string id, string amount) => $$$"""
        {"id":"{{{id}}}","type":"invoice.issued","source":"billing-a","occurredAt":"2026-02-01T08:00:00Z","contractId":"{{{contract}}}",
         "data":{"invoiceId":"INV-{{{id}}}","issueDate":"2026-02-01","amount":"{{{amount}}}"}}
        """.ReplaceLineEndings(string.Empty);

    public static TheoryData<string, string[], IngestStatus, string> Cases => new()
    {
        // name, what was stored before, the event, its answer
        { "new", [], IngestStatus.Accepted, Signed("C-1") },
        { "same again", [Signed("C-1")], IngestStatus.Duplicate, Signed("C-1") },
        { "same content, other spelling", [Signed("C-1")], IngestStatus.Duplicate, Signed("C-1", amount: "1200") },
        { "same key, other content", [Signed("C-1")], IngestStatus.Conflict, Signed("C-1", amount: "1300.00") },
        { "same key, other contract", [Signed("C-1")], IngestStatus.Conflict, Signed("C-2") },
        { "same id, other source", [Signed("C-1")], IngestStatus.Accepted, Signed("C-2", source: "billing-b") },
        { "invoice within the contract's digits", [Signed("C-1")], IngestStatus.Accepted, Invoice("C-1", "inv-1", "100.50") },
        { "invoice beyond the contract's digits", [Signed("C-1")], IngestStatus.Invalid, Invoice("C-1", "inv-1", "100.505") },
        { "a lone surrogate", [], IngestStatus.Invalid, Signed("C-1").Replace("Contoso", "Contoso\\ud800", StringComparison.Ordinal) },
        { "a bidirectional override", [], IngestStatus.Invalid, Signed("C-1").Replace("Contoso", "Contoso\\u202E", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_event_gets_its_answer_and_only_accepted_events_are_stored(string name, string[] before, IngestStatus expected, string json)
    {
        var world = new UseCases(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        await world.IngestAsync(before);
        var stored = world.Events.Count;

        var result = (await world.IngestAsync([json])).Single();

        Assert.True(expected == result.Status, $"{name}: {result.Status} {string.Join("; ", result.Errors)}");
        Assert.Equal(stored + (expected == IngestStatus.Accepted ? 1 : 0), world.Events.Count);
    }

    [Fact]
    public async Task A_conflict_across_contracts_names_the_contract_that_holds_the_key()
    {
        var world = new UseCases(DateTimeOffset.UnixEpoch);
        await world.IngestAsync([Signed("C-1")]);

        var result = (await world.IngestAsync([Signed("C-2")])).Single();

        Assert.Equal(IngestStatus.Conflict, result.Status);
        Assert.Contains("contract C-1", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_answers_each_event_in_order_and_stores_the_valid_ones()
    {
        var world = new UseCases(DateTimeOffset.UnixEpoch);

        var results = await world.IngestAsync([Signed("C-1"), "{\"id\":", Invoice("C-1", "inv-1", "10.00"), Signed("C-1"), Signed("C-9", id: "sig-1")]);

        Assert.Equal([IngestStatus.Accepted, IngestStatus.Invalid, IngestStatus.Accepted, IngestStatus.Duplicate, IngestStatus.Conflict], results.Select(r => r.Status));
        Assert.Equal(2, world.Events.Count);
    }

    [Fact]
    public async Task The_contract_currency_is_looked_up_only_for_events_whose_amounts_carry_none()
    {
        var world = new UseCases(DateTimeOffset.UnixEpoch);

        await world.IngestAsync([Signed("C-1")]);
        Assert.Equal(0, world.Events.CurrencyLookups);

        await world.IngestAsync(["{\"id\":", "[]", Signed("C-2").Replace("Contoso", "Contoso\\ud800", StringComparison.Ordinal)]);
        Assert.Equal(0, world.Events.CurrencyLookups);

        var invoice = (await world.IngestAsync([Invoice("C-1", "inv-1", "100.505")])).Single();
        Assert.Equal(1, world.Events.CurrencyLookups);
        Assert.Equal(IngestStatus.Invalid, invoice.Status);
        Assert.Contains("EUR allows 2", Assert.Single(invoice.Errors).Reason, StringComparison.Ordinal);
    }
}
