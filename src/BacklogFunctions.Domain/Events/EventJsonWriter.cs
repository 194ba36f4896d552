using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Events;

/// <summary>Writes events in the v1 wire shape, and in a canonical form used to compare and hash content.</summary>
public static class EventJsonWriter
{
    /// <summary>The event as one line of compact JSON, amounts with the currency's digits when it is known.</summary>
    public static string Write(ContractEvent e, Currency? currency = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteEvent(writer, e, currency);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The content of an event in one fixed form: fixed field order, amounts without trailing zeros, instants in
    /// UTC. Two deliveries are "the same event" exactly when their canonical forms are equal.
    /// </summary>
    public static string Canonical(ContractEvent e) => Write(e, currency: null);

    /// <summary>Lower-case hex SHA-256 of the canonical form.</summary>
    public static string ContentHash(ContractEvent e) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e))));

    private static void WriteEvent(Utf8JsonWriter w, ContractEvent e, Currency? currency)
    {
        if (e is ContractSigned signed)
        {
            currency = signed.Currency;
        }

        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WriteString("type", e.Type);
        if (e.Source is not null)
        {
            w.WriteString("source", e.Source);
        }

        w.WriteString("occurredAt", e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        w.WriteString("contractId", e.ContractId);
        w.WriteStartObject("data");
        switch (e)
        {
            case ContractSigned s:
                Date(w, "signedDate", s.SignedDate);
                w.WriteString("currency", s.Currency.Code);
                w.WriteStartObject("customer");
                w.WriteString("id", s.Customer.Id);
                w.WriteString("name", s.Customer.Name);
                Optional(w, "segment", s.Customer.Segment);
                Optional(w, "region", s.Customer.Region);
                w.WriteEndObject();
                Optional(w, "salesOwner", s.SalesOwner);
                if (s.Attributes.Count > 0)
                {
                    w.WriteStartObject("attributes");
                    foreach (var (key, value) in s.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                    {
                        w.WriteString(key, value);
                    }

                    w.WriteEndObject();
                }

                Lines(w, s.Lines, currency);
                break;
            case ContractAmended a:
                Date(w, "effectiveDate", a.Effective);
                Date(w, "signedDate", a.SignedDate);
                Lines(w, a.Lines, currency);
                break;
            case ContractCancelled c:
                Date(w, "lastServiceDate", c.LastServiceDate);
                Date(w, "cancelledOn", c.CancelledOn);
                Optional(w, "reason", c.Reason);
                break;
            case DeliveryCompleted d:
                w.WriteString("lineId", d.LineId);
                Date(w, "date", d.Date);
                break;
            case MilestoneCompleted m:
                w.WriteString("lineId", m.LineId);
                w.WriteString("milestoneId", m.MilestoneId);
                Date(w, "date", m.Date);
                break;
            case InvoiceIssued i:
                w.WriteString("invoiceId", i.InvoiceId);
                Date(w, "issueDate", i.IssueDate);
                Amount(w, "amount", i.Amount, currency);
                if (i.DueDate is { } due)
                {
                    Date(w, "dueDate", due);
                }

                break;
            case InvoiceVoided v:
                w.WriteString("invoiceId", v.InvoiceId);
                Date(w, "date", v.Date);
                break;
            case CreditNoteIssued n:
                w.WriteString("creditNoteId", n.CreditNoteId);
                Date(w, "date", n.Date);
                Amount(w, "amount", n.Amount, currency);
                Optional(w, "invoiceId", n.InvoiceId);
                break;
            case PaymentReceived p:
                w.WriteString("paymentId", p.PaymentId);
                Date(w, "date", p.Date);
                Amount(w, "amount", p.Amount, currency);
                Optional(w, "invoiceId", p.InvoiceId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Type, "unknown event type");
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Lines(Utf8JsonWriter w, IReadOnlyList<ContractLine> lines, Currency? currency)
    {
        w.WriteStartArray("lines");
        foreach (var line in lines)
        {
            w.WriteStartObject();
            w.WriteString("lineId", line.LineId);
            Amount(w, "amount", line.Amount, currency);
            w.WriteString("recognition", line.Recognition switch
            {
                RecognitionPattern.Ratable => "ratable",
                RecognitionPattern.PointInTime => "point_in_time",
                _ => "milestone",
            });
            Optional(w, "productLine", line.ProductLine);
            Optional(w, "description", line.Description);
            if (line.ServiceStart is { } start)
            {
                Date(w, "serviceStart", start);
            }

            if (line.ServiceEnd is { } end)
            {
                Date(w, "serviceEnd", end);
            }

            if (line.ExpectedDate is { } expected)
            {
                Date(w, "expectedDate", expected);
            }

            if (line.Recognition == RecognitionPattern.Milestone)
            {
                w.WriteStartArray("milestones");
                foreach (var m in line.Milestones)
                {
                    w.WriteStartObject();
                    w.WriteString("milestoneId", m.MilestoneId);
                    Amount(w, "amount", m.Amount, currency);
                    Date(w, "expectedDate", m.ExpectedDate);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Amount(Utf8JsonWriter w, string name, decimal amount, Currency? currency) =>
        w.WriteString(name, currency is { } c ? c.Format(amount) : Normalize(amount));

    /// <summary>"1200.00" and "1200" are the same amount: drop trailing fraction zeros.</summary>
    private static string Normalize(decimal amount) =>
        (amount / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static void Date(Utf8JsonWriter w, string name, DateOnly date) => w.WriteString(name, EventJson.Iso(date));

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
