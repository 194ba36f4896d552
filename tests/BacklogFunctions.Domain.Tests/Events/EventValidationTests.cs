using System.Text.Json.Nodes;
using BacklogFunctions.Application.Events;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Domain.Tests.Events;

public class EventValidationTests
{
    internal const string SignedJson = Signed;

    private const string Signed = """
        {"id":"evt_1","type":"contract.signed","source":"billing-eu","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-1001",
         "data":{"signedDate":"2026-10-03","currency":"USD","customer":{"id":"CUST-1","name":"Contoso Ltd","segment":"Enterprise","region":"EMEA"},
                 "salesOwner":"a.lopez","attributes":{"channel":"direct"},
                 "lines":[{"lineId":"L1","amount":"1200.00","recognition":"ratable","productLine":"Subscriptions","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"},
                          {"lineId":"L2","amount":"300.00","recognition":"point_in_time","expectedDate":"2026-11-15"},
                          {"lineId":"L3","amount":"500.00","recognition":"milestone","milestones":[{"milestoneId":"M1","amount":"200.00","expectedDate":"2026-12-01"},{"milestoneId":"M2","amount":"300.00","expectedDate":"2027-01-15"}]}]}}
        """;

    [Fact]
    public void A_valid_signing_is_read_with_every_field()
    {
        var result = EventReader.Parse(Signed);

        Assert.Empty(result.Errors);
        var e = Assert.IsType<ContractSigned>(result.Event);
        Assert.Equal("evt_1", e.Id);
        Assert.Equal("billing-eu", e.Source);
        Assert.Equal("C-1001", e.ContractId);
        Assert.Equal(Currency.USD, e.Currency);
        Assert.Equal(new DateOnly(2026, 10, 3), e.SignedDate);
        Assert.Equal(3, e.Lines.Count);
        Assert.Equal(1200.00m, e.Lines[0].Amount);
        Assert.Equal(2, e.Lines[2].Milestones.Count);
        Assert.Equal("direct", e.Attributes["channel"]);
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        // mutation (JSON path = replacement), expected field, expected words in the reason
        { "id=\"bad id!\"", "id", "not an id" },
        { "id=", "id", "required" },
        { "contractId=\"\"", "contractId", "not an id" },
        { "type=\"contract.renamed\"", "type", "unknown event type" },
        { "occurredAt=\"2026-10-03 12:00\"", "occurredAt", "RFC 3339" },
        { "occurredAt=\"2026-10-03T12:00:00\"", "occurredAt", "offset" },
        { "source=\"a b\"", "source", "not an id" },
        { "extra=1", "extra", "unknown field" },
        { "data.currency=\"XYZ\"", "data.currency", "ISO 4217" },
        { "data.currency=\"usd\"", "data.currency", "ISO 4217" },
        { "data.signedDate=\"2026-02-30\"", "data.signedDate", "not a date" },
        { "data.signedDate=\"1999-12-31\"", "data.signedDate", "out of range" },
        { "data.signedDate=\"2100-01-01\"", "data.signedDate", "out of range" },
        { "data.customer.name=\"\"", "data.customer.name", "empty" },
        { "data.customer.name=\"a\\u0007b\"", "data.customer.name", "control character" },
        { "data.customer=", "data.customer", "required" },
        { "data.lines=[]", "data.lines", "at least one line" },
        { "data.lines[0].amount=\"1200.001\"", "data.lines[0].amount", "USD allows 2" },
        { "data.lines[0].amount=1200", "data.lines[0].amount", "not JSON numbers" },
        { "data.lines[0].amount=\"-5.00\"", "data.lines[0].amount", "negative" },
        { "data.lines[0].amount=\"1e3\"", "data.lines[0].amount", "not a decimal amount" },
        { "data.lines[0].amount=\"1234567890123456\"", "data.lines[0].amount", "not a decimal amount" },
        { "data.lines[0].serviceEnd=\"2026-10-31\"", "data.lines[0].serviceEnd", "before it starts" },
        { "data.lines[0].recognition=\"metered\"", "data.lines[0].recognition", "not one of" },
        { "data.lines[0].expectedDate=\"2026-11-15\"", "data.lines[0].expectedDate", "unknown field" },
        { "data.lines[1].expectedDate=", "data.lines[1].expectedDate", "required" },
        { "data.lines[1].lineId=\"L1\"", "data.lines[1].lineId", "appears twice" },
        { "data.lines[2].milestones[1].amount=\"250.00\"", "data.lines[2].milestones", "add up to 450" },
        { "data.lines[2].milestones=[]", "data.lines[2].milestones", "1-100 milestones" },
        { "data.attributes.channel=5", "data.attributes.channel", "must be a string" },
        { "data=[]", "data", "must be an object" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Each_bad_field_is_named_with_a_reason(string mutation, string field, string reason)
    {
        var result = EventReader.Parse(Mutate(Signed, mutation));

        Assert.Null(result.Event);
        var error = Assert.Single(result.Errors, e => e.Field == field);
        Assert.Contains(reason, error.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(mutation.StartsWith("id=", StringComparison.Ordinal) ? null : "evt_1", mutation.StartsWith("id=", StringComparison.Ordinal) ? null : error.EventId);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var json = Mutate(Mutate(Mutate(Signed, "data.currency=\"XYZ\""), "data.lines[0].serviceEnd=\"2026-01-01\""), "occurredAt=\"yesterday\"");

        var fields = EventReader.Parse(json).Errors.Select(e => e.Field).ToList();

        Assert.Contains("data.currency", fields);
        Assert.Contains("data.lines[0].serviceEnd", fields);
        Assert.Contains("occurredAt", fields);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{", "malformed JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"id\":\"a\"} {\"id\":\"b\"}", "more than one JSON value")]
    [InlineData("\"text\"", "must be a JSON object")]
    public void Malformed_bodies_are_refused_with_a_reason(string body, string reason)
    {
        var result = EventReader.Parse(body);

        Assert.Null(result.Event);
        Assert.Contains(result.Errors, e => e.Reason.Contains(reason, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Invalid_utf8_is_refused_before_it_is_read()
    {
        byte[] body = [.. "{\"id\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var result = EventReader.Parse(body);

        Assert.Null(result.Event);
        Assert.Equal("the body is not valid UTF-8", Assert.Single(result.Errors).Reason);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var json = Signed.Replace("\"data\":{", "\"deep\":" + deep + ",\"data\":{", StringComparison.Ordinal);

        Assert.Contains(EventReader.Parse(json).Errors, e => e.Reason.Contains("malformed JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_fields_are_refused()
    {
        var json = Signed.Replace("\"source\":\"billing-eu\"", "\"source\":\"billing-eu\",\"source\":\"billing-us\"", StringComparison.Ordinal);

        Assert.Contains(EventReader.Parse(json).Errors, e => e.Field == "source" && e.Reason == "duplicate field");
    }

    public static TheoryData<string, string, string> OtherTypes => new()
    {
        { """{"type":"contract.amended","data":{"effectiveDate":"2026-11-01","lines":[]}}""", "data.lines", "cannot be empty" },
        { """{"type":"contract.amended","data":{"lines":[{"lineId":"L1","amount":"1.00","recognition":"point_in_time","expectedDate":"2026-11-01"}]}}""", "data.effectiveDate", "required" },
        { """{"type":"contract.cancelled","data":{"lastServiceDate":"2026-13-01"}}""", "data.lastServiceDate", "not a date" },
        { """{"type":"delivery.completed","data":{"lineId":"L1"}}""", "data.date", "required" },
        { """{"type":"milestone.completed","data":{"lineId":"L1","date":"2026-11-01"}}""", "data.milestoneId", "required" },
        { """{"type":"invoice.issued","data":{"invoiceId":"I-1","issueDate":"2026-11-01","amount":"0.00"}}""", "data.amount", "greater than zero" },
        { """{"type":"invoice.issued","data":{"invoiceId":"I-1","issueDate":"2026-11-01","amount":"10.00","dueDate":"2026-10-01"}}""", "data.dueDate", "before it is issued" },
        { """{"type":"invoice.issued","data":{"invoiceId":"I-1","issueDate":"2026-11-01","amount":"10.12345"}}""", "data.amount", "no currency allows more than 4" },
        { """{"type":"invoice.voided","data":{"invoiceId":"I 1","date":"2026-11-01"}}""", "data.invoiceId", "not an id" },
        { """{"type":"credit_note.issued","data":{"creditNoteId":"CN-1","date":"2026-11-01","amount":"-3.00"}}""", "data.amount", "greater than zero" },
        { """{"type":"payment.received","data":{"paymentId":"P-1","date":"2026-11-01","amount":"0"}}""", "data.amount", "must not be zero" },
        { """{"type":"payment.received","data":{"paymentId":"P-1","date":"2026-11-01","amount":"5.00","memo":"x"}}""", "data.memo", "unknown field" },
    };

    [Theory]
    [MemberData(nameof(OtherTypes))]
    public void Other_event_types_name_their_bad_fields(string partial, string field, string reason)
    {
        var node = JsonNode.Parse(partial)!.AsObject();
        node["id"] = "evt_9";
        node["occurredAt"] = "2026-11-01T09:00:00+02:00";
        node["contractId"] = "C-1";

        var result = EventReader.Parse(node.ToJsonString());

        Assert.Null(result.Event);
        Assert.Contains(result.Errors, e => e.Field == field && e.Reason.Contains(reason, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Known_contract_currency_limits_the_digits_of_payments()
    {
        const string payment = """{"id":"p1","type":"payment.received","occurredAt":"2026-11-01T09:00:00Z","contractId":"C-1","data":{"paymentId":"P-1","date":"2026-11-01","amount":"100.5"}}""";

        Assert.True(EventReader.Parse(payment, Currency.USD).IsValid);
        Assert.Contains("JPY allows 0", EventReader.Parse(payment, Currency.JPY).Errors.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_come_from_the_occurrence_date_in_utc()
    {
        const string cancelled = """{"id":"c1","type":"contract.cancelled","occurredAt":"2026-11-01T01:30:00+03:00","contractId":"C-1","data":{"lastServiceDate":"2026-11-30"}}""";

        var e = Assert.IsType<ContractCancelled>(EventReader.Parse(cancelled).Event);

        Assert.Equal(new DateOnly(2026, 10, 31), e.CancelledOn);
        Assert.Equal(TimeSpan.Zero, e.OccurredAt.Offset);
    }

    [Fact]
    public void Written_events_read_back_identically_and_canonical_forms_ignore_formatting()
    {
        var original = EventReader.Parse(Signed).Event!;

        var written = EventJson.Write(original);
        var reread = EventReader.Parse(written).Event!;

        Assert.Equal(EventJson.Canonical(original), EventJson.Canonical(reread));
        var reformatted = EventReader.Parse(Signed.Replace("\"1200.00\"", "\"1200\"", StringComparison.Ordinal).Replace("12:00:00Z", "14:00:00+02:00", StringComparison.Ordinal)).Event!;
        Assert.Equal(EventJson.ContentHash(original), EventJson.ContentHash(reformatted));
        var changed = EventReader.Parse(Signed.Replace("\"1200.00\"", "\"1300.00\"", StringComparison.Ordinal)).Event!;
        Assert.NotEqual(EventJson.ContentHash(original), EventJson.ContentHash(changed));
    }

    /// <summary>Applies "path=json" (or "path=" to remove) to a JSON document.</summary>
    internal static string Mutate(string json, string mutation)
    {
        var separator = mutation.IndexOf('=', StringComparison.Ordinal);
        var value = mutation[(separator + 1)..];
        return JsonEdit.Set(json, mutation[..separator], value.Length == 0 ? null : value);
    }
}
