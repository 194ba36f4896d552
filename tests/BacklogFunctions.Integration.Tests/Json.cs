using System.Globalization;
using System.Text.Json;

namespace BacklogFunctions.Integration.Tests;

/// <summary>Events as billing systems send them, for a contract id unique to each test.</summary>
internal static class Json
{
    public static string NewContractId() => "C-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Each test's contract comes from a billing system of its own: (source, id) identifies one event across all
    /// contracts, and the tests reuse short ids such as <c>sig-1</c>.
    /// </summary>
    public static string SourceOf(string contractId) => "billing-" + contractId;

    public static string Signed(string contractId, string id = "sig-1", string amount = "1200.00", string currency = "USD") => $$$"""
        {"id":"{{{id}}}","type":"contract.signed","source":"{{{SourceOf(contractId)}}}","occurredAt":"2026-10-01T10:00:00Z","contractId":"{{{contractId}}}",
         "data":{"signedDate":"2026-10-01","currency":"{{{currency}}}","customer":{"id":"CUST-1","name":"Contoso"},
                 "lines":[{"lineId":"L1","amount":"{{{amount}}}","recognition":"ratable","serviceStart":"2026-10-01","serviceEnd":"2027-09-30"}]}}
        """;

    public static string Invoice(string contractId, string id, string amount = "100.00", string date = "2026-10-05") => $$$"""
        {"id":"{{{id}}}","type":"invoice.issued","source":"{{{SourceOf(contractId)}}}","occurredAt":"{{{date}}}T08:00:00Z","contractId":"{{{contractId}}}",
         "data":{"invoiceId":"INV-{{{id}}}","issueDate":"{{{date}}}","amount":"{{{amount}}}"}}
        """;

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) => Parse(await response.Content.ReadAsStringAsync());

    public static string Compact(string json) => JsonSerializer.Serialize(Parse(json));

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
