using System.Globalization;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Events;

/// <summary>The outcome of reading one event: the event, or every reason it was refused.</summary>
public sealed record EventParseResult(ContractEvent? Event, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Event is not null;
}

/// <summary>
/// Reads and writes the v1 event JSON. Reading is also the one validator of the product: it names every
/// bad field (a JSON path such as <c>data.lines[0].amount</c>) and never returns a half-valid event.
/// </summary>
public static class EventJson
{
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2099, 12, 31);

    public const int MaxIdLength = 128;
    public const int MaxNameLength = 200;
    public const int MaxTextLength = 1000;
    public const int MaxLines = 500;
    public const int MaxMilestones = 100;
    public const int MaxAttributes = 50;
    public const int MaxDepth = 16;

    /// <summary>Largest amount the product accepts: 15 integer digits.</summary>
    public const decimal MaxAmount = 999_999_999_999_999m;

    /// <summary>Parses one event from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The raw body.</param>
    /// <param name="contractCurrency">The contract's currency when known, to check fraction digits of invoices and payments.</param>
    public static EventParseResult Parse(ReadOnlySpan<byte> utf8Json, Currency? contractCurrency = null)
    {
        using var body = EventBody.Open(utf8Json);
        return body.Read(contractCurrency);
    }

    public static EventParseResult Parse(string json, Currency? contractCurrency = null) =>
        Parse(Encoding.UTF8.GetBytes(json), contractCurrency);

    /// <summary>Parses one event from an element of a batch or a line of an NDJSON file.</summary>
    public static EventParseResult Parse(JsonElement element, Currency? contractCurrency = null)
    {
        var invalid = JsonText.FindInvalid(element);
        if (invalid.Count > 0)
        {
            var eventId = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? Truncate(JsonText.TryGetString(idElement))
                : null;
            return new EventParseResult(null, invalid.Select(path => new ValidationError(eventId?.Length > 0 ? eventId : null, path, JsonText.LoneSurrogate)).ToList());
        }

        return ParseText(element, contractCurrency);
    }

    /// <summary>Reads an event whose strings are known to be valid text.</summary>
    internal static EventParseResult ParseText(JsonElement element, Currency? contractCurrency)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Refused(null, "$", $"an event must be a JSON object, not {Kind(element.ValueKind)}");
        }

        var eventId = element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? Truncate(idElement.GetString())
            : null;
        var errors = new List<ValidationError>();
        var envelope = new ObjectReader(element, string.Empty, errors, eventId);

        var id = envelope.Id("id", required: true);
        var type = envelope.String("type", required: true, MaxIdLength);
        var source = envelope.Id("source", required: false);
        var occurredAt = envelope.Instant("occurredAt", required: true);
        var contractId = envelope.Id("contractId", required: true);
        var data = envelope.Object("data", required: true);
        envelope.RejectUnknown();

        if (type is not null && !EventTypes.All.Contains(type))
        {
            errors.Add(new(eventId, "type", $"unknown event type '{Truncate(type)}'; expected one of {string.Join(", ", EventTypes.All)}"));
            type = null;
        }

        ContractEvent? result = null;
        if (type is not null && data is { } dataReader)
        {
            // Without a valid occurredAt the event fails anyway; its data is still checked so every field is named.
            var defaultDate = occurredAt is { } occurred ? DateOnly.FromDateTime(occurred.UtcDateTime) : EarliestDate;
            result = type switch
            {
                EventTypes.ContractSigned => ReadSigned(dataReader),
                EventTypes.ContractAmended => ReadAmended(dataReader, defaultDate, contractCurrency),
                EventTypes.ContractCancelled => ReadCancelled(dataReader, defaultDate),
                EventTypes.DeliveryCompleted => ReadDelivery(dataReader),
                EventTypes.MilestoneCompleted => ReadMilestone(dataReader),
                EventTypes.InvoiceIssued => ReadInvoice(dataReader, contractCurrency),
                EventTypes.InvoiceVoided => ReadVoid(dataReader),
                EventTypes.CreditNoteIssued => ReadCreditNote(dataReader, contractCurrency),
                EventTypes.PaymentReceived => ReadPayment(dataReader, contractCurrency),
                _ => null,
            };
            dataReader.RejectUnknown();
        }

        if (errors.Count > 0 || result is null || id is null || contractId is null || occurredAt is null)
        {
            if (errors.Count == 0)
            {
                errors.Add(new(eventId, "$", "the event is incomplete"));
            }

            return new EventParseResult(null, errors);
        }

        return new EventParseResult(
            result with { Id = id, Source = source, OccurredAt = occurredAt.Value, ContractId = contractId },
            []);
    }

    private static ContractSigned? ReadSigned(ObjectReader data)
    {
        var signedDate = data.Date("signedDate", required: true);
        var currencyCode = data.String("currency", required: true, 3);
        Currency? currency = null;
        if (currencyCode is not null)
        {
            if (Currency.TryOf(currencyCode, out var known))
            {
                currency = known;
            }
            else
            {
                data.Fail("currency", $"'{currencyCode}' is not an ISO 4217 currency code");
            }
        }

        Customer? customer = null;
        if (data.Object("customer", required: true) is { } c)
        {
            var customerId = c.Id("id", required: true);
            var name = c.Text("name", required: true, MaxNameLength);
            var segment = c.Text("segment", required: false, MaxNameLength);
            var region = c.Text("region", required: false, MaxNameLength);
            c.RejectUnknown();
            if (customerId is not null && name is not null)
            {
                customer = new Customer(customerId, name, segment, region);
            }
        }

        var salesOwner = data.Text("salesOwner", required: false, MaxNameLength);
        var attributes = ReadAttributes(data);
        var lines = ReadLines(data, currency, "a contract has at least one line");

        if (signedDate is null || currency is null || customer is null || lines is null || attributes is null)
        {
            return null;
        }

        return new ContractSigned
        {
            Id = string.Empty,
            OccurredAt = default,
            ContractId = string.Empty,
            SignedDate = signedDate.Value,
            Currency = currency.Value,
            Customer = customer,
            SalesOwner = salesOwner,
            Attributes = attributes,
            Lines = lines,
        };
    }

    private static Dictionary<string, string>? ReadAttributes(ObjectReader data)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.Object("attributes", required: false) is not { } attributes)
        {
            return data.HasFailed("attributes") ? null : result;
        }

        var ok = true;
        var count = 0;
        foreach (var property in attributes.Element.EnumerateObject())
        {
            var path = attributes.PathOf(property.Name);
            if (++count > MaxAttributes)
            {
                data.Fail("attributes", $"at most {MaxAttributes} attributes");
                return null;
            }

            if (!ObjectReader.IsId(property.Name))
            {
                data.FailAt(path, "an attribute name is 1-128 characters of A-Z a-z 0-9 . _ : -");
                ok = false;
            }
            else if (property.Value.ValueKind != JsonValueKind.String)
            {
                data.FailAt(path, $"must be a string, not {Kind(property.Value.ValueKind)}");
                ok = false;
            }
            else if (ObjectReader.CheckText(property.Value.GetString()!, MaxNameLength) is { } problem)
            {
                data.FailAt(path, problem);
                ok = false;
            }
            else if (!result.TryAdd(property.Name, property.Value.GetString()!))
            {
                data.FailAt(path, "duplicate field");
                ok = false;
            }
        }

        return ok ? result : null;
    }

    private static List<ContractLine>? ReadLines(ObjectReader data, Currency? currency, string emptyReason)
    {
        if (data.Array("lines", required: true) is not { } lines)
        {
            return null;
        }

        var count = lines.GetArrayLength();
        if (count == 0)
        {
            data.Fail("lines", emptyReason);
            return null;
        }

        if (count > MaxLines)
        {
            data.Fail("lines", $"at most {MaxLines} lines");
            return null;
        }

        var result = new List<ContractLine>(count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        var index = 0;
        foreach (var element in lines.EnumerateArray())
        {
            var path = $"{data.PathOf("lines")}[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                data.FailAt(path, $"a line must be an object, not {Kind(element.ValueKind)}");
                ok = false;
                continue;
            }

            var line = ReadLine(data.Nested(element, path), currency);
            if (line is null)
            {
                ok = false;
            }
            else if (!ids.Add(line.LineId))
            {
                data.FailAt(path + ".lineId", $"line '{line.LineId}' appears twice");
                ok = false;
            }
            else
            {
                result.Add(line);
            }
        }

        return ok ? result : null;
    }

    private static ContractLine? ReadLine(ObjectReader line, Currency? currency)
    {
        var lineId = line.Id("lineId", required: true);
        var amount = line.Amount("amount", required: true, currency, AmountSign.ZeroOrPositive);
        var recognitionText = line.String("recognition", required: true, 32);
        var productLine = line.Text("productLine", required: false, MaxNameLength);
        var description = line.Text("description", required: false, MaxTextLength);

        RecognitionPattern? recognition = recognitionText switch
        {
            null => null,
            "ratable" => RecognitionPattern.Ratable,
            "point_in_time" => RecognitionPattern.PointInTime,
            "milestone" => RecognitionPattern.Milestone,
            _ => null,
        };
        if (recognitionText is not null && recognition is null)
        {
            line.Fail("recognition", $"'{Truncate(recognitionText)}' is not one of ratable, point_in_time, milestone");
        }

        DateOnly? start = null, end = null, expected = null;
        var milestones = new List<MilestoneTerms>();
        var ok = true;
        switch (recognition)
        {
            case RecognitionPattern.Ratable:
                start = line.Date("serviceStart", required: true);
                end = line.Date("serviceEnd", required: true);
                if (start is { } s && end is { } e && e < s)
                {
                    line.Fail("serviceEnd", $"the service ends ({Iso(e)}) before it starts ({Iso(s)})");
                    ok = false;
                }

                break;
            case RecognitionPattern.PointInTime:
                expected = line.Date("expectedDate", required: true);
                break;
            case RecognitionPattern.Milestone:
                ok = ReadMilestones(line, currency, amount, milestones);
                break;
            default:
                break;
        }

        line.RejectUnknown(recognition is null ? ["serviceStart", "serviceEnd", "expectedDate", "milestones"] : []);
        if (!ok || line.Failed || lineId is null || amount is null || recognition is null)
        {
            return null;
        }

        return new ContractLine
        {
            LineId = lineId,
            Amount = amount.Value,
            Recognition = recognition.Value,
            ProductLine = productLine,
            Description = description,
            ServiceStart = start,
            ServiceEnd = end,
            ExpectedDate = expected,
            Milestones = milestones,
        };
    }

    private static bool ReadMilestones(ObjectReader line, Currency? currency, decimal? lineAmount, List<MilestoneTerms> milestones)
    {
        if (line.Array("milestones", required: true) is not { } array)
        {
            return false;
        }

        var count = array.GetArrayLength();
        if (count == 0 || count > MaxMilestones)
        {
            line.Fail("milestones", $"a milestone line has 1-{MaxMilestones} milestones");
            return false;
        }

        var ok = true;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"{line.PathOf("milestones")}[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                line.FailAt(path, $"a milestone must be an object, not {Kind(element.ValueKind)}");
                ok = false;
                continue;
            }

            var m = line.Nested(element, path);
            var id = m.Id("milestoneId", required: true);
            var amount = m.Amount("amount", required: true, currency, AmountSign.ZeroOrPositive);
            var date = m.Date("expectedDate", required: true);
            m.RejectUnknown();
            if (id is null || amount is null || date is null)
            {
                ok = false;
            }
            else if (!ids.Add(id))
            {
                line.FailAt(path + ".milestoneId", $"milestone '{id}' appears twice");
                ok = false;
            }
            else
            {
                milestones.Add(new MilestoneTerms(id, amount.Value, date.Value));
            }
        }

        if (ok && lineAmount is { } total && milestones.Sum(m => m.Amount) != total)
        {
            line.Fail("milestones", $"milestone amounts add up to {milestones.Sum(m => m.Amount).ToString(CultureInfo.InvariantCulture)}, not the line amount {total.ToString(CultureInfo.InvariantCulture)}");
            ok = false;
        }

        return ok;
    }

    private static ContractAmended? ReadAmended(ObjectReader data, DateOnly defaultSigned, Currency? currency)
    {
        var effective = data.Date("effectiveDate", required: true);
        var signed = data.Date("signedDate", required: false) ?? (data.HasFailed("signedDate") ? null : defaultSigned);
        var lines = ReadLines(data, currency, "an amendment carries the complete new set of lines and cannot be empty; send contract.cancelled to end a contract");
        return effective is null || signed is null || lines is null
            ? null
            : new ContractAmended { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, Effective = effective.Value, SignedDate = signed.Value, Lines = lines };
    }

    private static ContractCancelled? ReadCancelled(ObjectReader data, DateOnly defaultDecided)
    {
        var last = data.Date("lastServiceDate", required: true);
        var decided = data.Date("cancelledOn", required: false) ?? (data.HasFailed("cancelledOn") ? null : defaultDecided);
        var reason = data.Text("reason", required: false, MaxTextLength);
        return last is null || decided is null
            ? null
            : new ContractCancelled { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, LastServiceDate = last.Value, CancelledOn = decided.Value, Reason = reason };
    }

    private static DeliveryCompleted? ReadDelivery(ObjectReader data)
    {
        var lineId = data.Id("lineId", required: true);
        var date = data.Date("date", required: true);
        return lineId is null || date is null
            ? null
            : new DeliveryCompleted { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, LineId = lineId, Date = date.Value };
    }

    private static MilestoneCompleted? ReadMilestone(ObjectReader data)
    {
        var lineId = data.Id("lineId", required: true);
        var milestoneId = data.Id("milestoneId", required: true);
        var date = data.Date("date", required: true);
        return lineId is null || milestoneId is null || date is null
            ? null
            : new MilestoneCompleted { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, LineId = lineId, MilestoneId = milestoneId, Date = date.Value };
    }

    private static InvoiceIssued? ReadInvoice(ObjectReader data, Currency? currency)
    {
        var invoiceId = data.Id("invoiceId", required: true);
        var issued = data.Date("issueDate", required: true);
        var amount = data.Amount("amount", required: true, currency, AmountSign.Positive);
        var due = data.Date("dueDate", required: false);
        if (issued is { } i && due is { } d && d < i)
        {
            data.Fail("dueDate", $"the invoice is due ({Iso(d)}) before it is issued ({Iso(i)})");
            return null;
        }

        return invoiceId is null || issued is null || amount is null || data.HasFailed("dueDate")
            ? null
            : new InvoiceIssued { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, InvoiceId = invoiceId, IssueDate = issued.Value, Amount = amount.Value, DueDate = due };
    }

    private static InvoiceVoided? ReadVoid(ObjectReader data)
    {
        var invoiceId = data.Id("invoiceId", required: true);
        var date = data.Date("date", required: true);
        return invoiceId is null || date is null
            ? null
            : new InvoiceVoided { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, InvoiceId = invoiceId, Date = date.Value };
    }

    private static CreditNoteIssued? ReadCreditNote(ObjectReader data, Currency? currency)
    {
        var creditNoteId = data.Id("creditNoteId", required: true);
        var date = data.Date("date", required: true);
        var amount = data.Amount("amount", required: true, currency, AmountSign.Positive);
        var invoiceId = data.Id("invoiceId", required: false);
        return creditNoteId is null || date is null || amount is null || data.HasFailed("invoiceId")
            ? null
            : new CreditNoteIssued { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, CreditNoteId = creditNoteId, Date = date.Value, Amount = amount.Value, InvoiceId = invoiceId };
    }

    private static PaymentReceived? ReadPayment(ObjectReader data, Currency? currency)
    {
        var paymentId = data.Id("paymentId", required: true);
        var date = data.Date("date", required: true);
        var amount = data.Amount("amount", required: true, currency, AmountSign.NonZero);
        var invoiceId = data.Id("invoiceId", required: false);
        return paymentId is null || date is null || amount is null || data.HasFailed("invoiceId")
            ? null
            : new PaymentReceived { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, PaymentId = paymentId, Date = date.Value, Amount = amount.Value, InvoiceId = invoiceId };
    }

    private static EventParseResult Refused(string? eventId, string field, string reason) =>
        new(null, [new ValidationError(eventId, field, reason)]);

    internal static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>True for an id as events carry it: 1-128 characters of A-Z a-z 0-9 . _ : -.</summary>
    public static bool IsId(string value) => ObjectReader.IsId(value);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string Truncate(string? text) =>
        text is null ? string.Empty : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");
}
