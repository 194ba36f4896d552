using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BacklogFunctions.Domain.Events.Wire;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Events;

/// <summary>The outcome of reading one event: the event, or every reason it was refused.</summary>
public sealed record EventParseResult(ContractEvent? Event, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Event is not null;

    public static EventParseResult Refused(string? eventId, string field, string reason) =>
        new(null, [new ValidationError(eventId, field, reason)]);
}

/// <summary>
/// Turns the event JSON (<see cref="EventWire{TData}"/>, shaped by docs/events.schema.json) into events and back.
/// Reading checks what the schema cannot: calendar dates and their range, ISO 4217 codes, the fraction digits a
/// currency allows, signs, free text, unique ids, sums that must match and dates that must be in order. Untrusted
/// input goes through the schema first (the Application's <c>EventReader</c>); stored events, which were valid when
/// they were stored, are read here directly.
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

    /// <summary>Fraction digits a quantity of costs or units (a progress report, an estimated total) may have.</summary>
    public const int MaxQuantityDecimals = 6;

    public static readonly NameTable<RecognitionPattern> Recognitions = new(
        (RecognitionPattern.Ratable, "ratable"),
        (RecognitionPattern.PointInTime, "point_in_time"),
        (RecognitionPattern.Milestone, "milestone"),
        (RecognitionPattern.Progress, "progress"),
        (RecognitionPattern.Usage, "usage"));

    public static readonly NameTable<CommitmentPer> CommitmentPers = new(
        (CommitmentPer.Month, "month"),
        (CommitmentPer.Year, "year"),
        (CommitmentPer.Term, "term"));

    public static readonly NameTable<ProgressMeasure> Measures = new(
        (ProgressMeasure.Cost, "cost"),
        (ProgressMeasure.Units, "units"));

    public static readonly NameTable<BillingFrequency> Frequencies = new(
        (BillingFrequency.Upfront, "upfront"),
        (BillingFrequency.Monthly, "monthly"),
        (BillingFrequency.Quarterly, "quarterly"),
        (BillingFrequency.Semiannual, "semiannual"),
        (BillingFrequency.Annual, "annual"),
        (BillingFrequency.OnDelivery, "on_delivery"));

    public static readonly NameTable<BillingTiming> Timings = new(
        (BillingTiming.Advance, "advance"),
        (BillingTiming.Arrears, "arrears"));

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads an event this product stored: it was valid when stored, so no schema runs again.</summary>
    public static EventParseResult ReadStored(string json) => ReadStored(Encoding.UTF8.GetBytes(json));

    /// <inheritdoc cref="ReadStored(string)"/>
    public static EventParseResult ReadStored(ReadOnlySpan<byte> utf8Json)
    {
        EventWire<JsonElement>? wire;
        try
        {
            wire = JsonSerializer.Deserialize(utf8Json, EventWireContext.Default.EventWireJsonElement);
        }
        catch (JsonException ex)
        {
            return EventParseResult.Refused(null, "$", $"the stored event is not event JSON ({ex.Message})");
        }

        return wire is null ? EventParseResult.Refused(null, "$", "the stored event is null") : FromWire(wire, null);
    }

    /// <summary>
    /// Reads an envelope whose JSON passed (or was checked against) the schema: every field the domain refuses is
    /// named; a field of the wrong JSON kind is refused as a whole event.
    /// </summary>
    /// <param name="wire">The envelope, its data still JSON.</param>
    /// <param name="contractCurrency">The contract's currency when known, to check fraction digits of amounts that carry none.</param>
    public static EventParseResult FromWire(EventWire<JsonElement> wire, Currency? contractCurrency)
    {
        var errors = new FieldErrors(wire.Id is { Length: > 0 } id ? Truncate(id) : null);
        var eventId = errors.Id("id", wire.Id, required: true);
        var type = wire.Type;
        if (type is null)
        {
            errors.Add("type", EventMessages.Required);
        }
        else if (!EventTypes.All.Contains(type))
        {
            errors.Add("type", EventMessages.UnknownEventType(type));
            type = null;
        }

        var source = errors.Id("source", wire.Source, required: false);
        var occurredAt = errors.Instant("occurredAt", wire.OccurredAt);
        var contractId = errors.Id("contractId", wire.ContractId, required: true);

        ContractEvent? result = null;
        if (wire.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            errors.Add("data", EventMessages.Required);
        }
        else if (wire.Data.ValueKind != JsonValueKind.Object)
        {
            errors.Add("data", EventMessages.WrongKind("an object", Kind(wire.Data.ValueKind)));
        }
        else if (type is not null)
        {
            // Without a valid occurredAt the event fails anyway; its data is still checked so every field is named.
            var defaultDate = occurredAt is { } occurred ? DateOnly.FromDateTime(occurred.UtcDateTime) : EarliestDate;
            try
            {
                result = type switch
                {
                    EventTypes.ContractSigned => ReadSigned(Data(wire, EventWireContext.Default.ContractSignedWire), errors),
                    EventTypes.ContractAmended => ReadAmended(Data(wire, EventWireContext.Default.ContractAmendedWire), defaultDate, contractCurrency, errors),
                    EventTypes.ContractCancelled => ReadCancelled(Data(wire, EventWireContext.Default.ContractCancelledWire), defaultDate, errors),
                    EventTypes.DeliveryCompleted => ReadDelivery(Data(wire, EventWireContext.Default.DeliveryCompletedWire), errors),
                    EventTypes.MilestoneCompleted => ReadMilestone(Data(wire, EventWireContext.Default.MilestoneCompletedWire), errors),
                    EventTypes.InvoiceIssued => ReadInvoice(Data(wire, EventWireContext.Default.InvoiceIssuedWire), contractCurrency, errors),
                    EventTypes.InvoiceVoided => ReadVoid(Data(wire, EventWireContext.Default.InvoiceVoidedWire), errors),
                    EventTypes.CreditNoteIssued => ReadCreditNote(Data(wire, EventWireContext.Default.CreditNoteIssuedWire), contractCurrency, errors),
                    EventTypes.PaymentReceived => ReadPayment(Data(wire, EventWireContext.Default.PaymentReceivedWire), contractCurrency, errors),
                    EventTypes.ProgressReported => ReadProgress(Data(wire, EventWireContext.Default.ProgressReportedWire), errors),
                    EventTypes.UsageReported => ReadUsage(Data(wire, EventWireContext.Default.UsageReportedWire), errors),
                    _ => null,
                };
            }
            catch (JsonException ex)
            {
                errors.Add("data" + JsonPathSuffix(ex.Path), "has a field of the wrong JSON kind");
            }
        }

        if (errors.Count > 0 || result is null || eventId is null || contractId is null || occurredAt is null)
        {
            if (errors.Count == 0)
            {
                errors.Add("$", "the event is incomplete");
            }

            return new EventParseResult(null, errors.List);
        }

        return new EventParseResult(result with { Id = eventId, Source = source, OccurredAt = occurredAt.Value, ContractId = contractId }, []);
    }

    /// <summary>The event as one line of compact JSON, amounts with the currency's digits when it is known.</summary>
    public static string Write(ContractEvent e, Currency? currency = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteWire(writer, e, e is ContractSigned signed ? signed.Currency : currency);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The content of an event in one fixed form: fixed field order, amounts without trailing zeros, instants in
    /// UTC, defaults left out; a signing's amounts carry its currency's digits. Two deliveries are "the same event" exactly when their canonical forms are equal.
    /// </summary>
    public static string Canonical(ContractEvent e) => Write(e, currency: null);

    /// <summary>Lower-case hex SHA-256 of the canonical form.</summary>
    public static string ContentHash(ContractEvent e) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e))));

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>True for an id as events carry it: 1-128 characters of A-Z a-z 0-9 . _ : -.</summary>
    public static bool IsId(string value) => FieldErrors.IsId(value);

    /// <summary>The problem with a free-text value (names, descriptions), or null when it is fine.</summary>
    public static string? CheckText(string value, int maxLength) => FieldErrors.CheckText(value, maxLength);

    public static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string Truncate(string? text) =>
        text is null ? string.Empty : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");

    private static T Data<T>(EventWire<JsonElement> wire, JsonTypeInfo<T> type)
        where T : class =>
        wire.Data.Deserialize(type) ?? throw new JsonException("data is null");

    private static string JsonPathSuffix(string? path) =>
        path is null or "$" ? string.Empty : path.StartsWith("$.", StringComparison.Ordinal) ? "." + path[2..] : path[1..];

    private static ContractSigned? ReadSigned(ContractSignedWire data, FieldErrors errors)
    {
        var signedDate = errors.Date("data.signedDate", data.SignedDate, required: true);
        var currency = errors.Currency("data.currency", data.Currency);

        Customer? customer = null;
        if (data.Customer is not { } c)
        {
            errors.Add("data.customer", EventMessages.Required);
        }
        else
        {
            var customerId = errors.Id("data.customer.id", c.Id, required: true);
            var name = errors.Text("data.customer.name", c.Name, required: true, MaxNameLength);
            var segment = errors.Text("data.customer.segment", c.Segment, required: false, MaxNameLength);
            var region = errors.Text("data.customer.region", c.Region, required: false, MaxNameLength);
            if (customerId is not null && name is not null)
            {
                customer = new Customer(customerId, name, segment, region);
            }
        }

        var salesOwner = errors.Text("data.salesOwner", data.SalesOwner, required: false, MaxNameLength);
        var attributes = ReadAttributes(data.Attributes, errors);
        var terms = data.PaymentTermsDays ?? ContractSigned.DefaultPaymentTermsDays;
        if (terms is < 0 or > 365)
        {
            errors.Add("data.paymentTermsDays", EventMessages.PaymentTerms(terms.ToString(CultureInfo.InvariantCulture)));
        }

        var lines = ReadLines(data.Lines, currency, EventMessages.ContractWithoutLines, errors);
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
            PaymentTermsDays = terms,
            Lines = lines,
        };
    }

    private static Dictionary<string, string>? ReadAttributes(Dictionary<string, string?>? attributes, FieldErrors errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (attributes is null)
        {
            return result;
        }

        if (attributes.Count > MaxAttributes)
        {
            errors.Add("data.attributes", EventMessages.TooManyAttributes);
            return null;
        }

        var ok = true;
        foreach (var (name, value) in attributes)
        {
            var path = $"data.attributes.{Truncate(name)}";
            if (!FieldErrors.IsId(name))
            {
                errors.Add(path, EventMessages.AttributeName);
                ok = false;
            }
            else if (errors.Text(path, value, required: true, MaxNameLength) is { } text)
            {
                result.Add(name, text);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? result : null;
    }

    private static List<ContractLine>? ReadLines(List<LineWire?>? lines, Currency? currency, string emptyReason, FieldErrors errors)
    {
        if (lines is null)
        {
            errors.Add("data.lines", EventMessages.Required);
            return null;
        }

        if (lines.Count == 0)
        {
            errors.Add("data.lines", emptyReason);
            return null;
        }

        if (lines.Count > MaxLines)
        {
            errors.Add("data.lines", EventMessages.TooManyLines);
            return null;
        }

        var result = new List<ContractLine>(lines.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        for (var index = 0; index < lines.Count; index++)
        {
            var path = $"data.lines[{index}]";
            if (lines[index] is not { } wire)
            {
                errors.Add(path, "a line must be an object, not null");
                ok = false;
                continue;
            }

            var line = ReadLine(wire, path, currency, errors);
            if (line is null)
            {
                ok = false;
            }
            else if (!ids.Add(line.LineId))
            {
                errors.Add(path + ".lineId", $"line '{line.LineId}' appears twice");
                ok = false;
            }
            else
            {
                result.Add(line);
            }
        }

        return ok ? result : null;
    }

    private static ContractLine? ReadLine(LineWire line, string path, Currency? currency, FieldErrors errors)
    {
        var failedBefore = errors.Count;
        var lineId = errors.Id(path + ".lineId", line.LineId, required: true);
        // A usage line states no amount: its amount is the committed total (recognition.md, "Usage lines").
        var isUsage = line.Recognition == "usage";
        var amount = isUsage ? 0m : errors.Amount(path + ".amount", line.Amount, required: true, currency, AmountSign.ZeroOrPositive);
        var productLine = errors.Text(path + ".productLine", line.ProductLine, required: false, MaxNameLength);
        var description = errors.Text(path + ".description", line.Description, required: false, MaxTextLength);

        RecognitionPattern? recognition = null;
        if (line.Recognition is null)
        {
            errors.Add(path + ".recognition", EventMessages.Required);
        }
        else if (Recognitions.TryParse(line.Recognition, out var known))
        {
            recognition = known;
        }
        else
        {
            errors.Add(path + ".recognition", EventMessages.NotOneOf(line.Recognition, Recognitions.Names));
        }

        DateOnly? start = null, end = null, expected = null, completion = null;
        ProgressMeasure? measure = null;
        decimal? estimatedTotal = null, unitPrice = null;
        Commitment? commitment = null;
        List<MilestoneTerms>? milestones = [];
        if (!isUsage)
        {
            Forbid(errors, path, ("unitPrice", line.UnitPrice), ("commitment", line.Commitment));
        }

        switch (recognition)
        {
            case RecognitionPattern.Ratable:
                start = errors.Date(path + ".serviceStart", line.ServiceStart, required: true);
                end = errors.Date(path + ".serviceEnd", line.ServiceEnd, required: true);
                if (start is { } s && end is { } e && e < s)
                {
                    errors.Add(path + ".serviceEnd", $"the service ends ({Iso(e)}) before it starts ({Iso(s)})");
                }

                Forbid(errors, path, ("expectedDate", line.ExpectedDate), ("milestones", line.Milestones), ("measure", line.Measure), ("estimatedTotal", line.EstimatedTotal), ("expectedCompletion", line.ExpectedCompletion));
                break;
            case RecognitionPattern.PointInTime:
                expected = errors.Date(path + ".expectedDate", line.ExpectedDate, required: true);
                Forbid(errors, path, ("serviceStart", line.ServiceStart), ("serviceEnd", line.ServiceEnd), ("milestones", line.Milestones), ("measure", line.Measure), ("estimatedTotal", line.EstimatedTotal), ("expectedCompletion", line.ExpectedCompletion));
                break;
            case RecognitionPattern.Milestone:
                milestones = ReadMilestones(line.Milestones, path + ".milestones", currency, amount, errors);
                Forbid(errors, path, ("serviceStart", line.ServiceStart), ("serviceEnd", line.ServiceEnd), ("expectedDate", line.ExpectedDate), ("measure", line.Measure), ("estimatedTotal", line.EstimatedTotal), ("expectedCompletion", line.ExpectedCompletion));
                break;
            case RecognitionPattern.Progress:
                if (line.Measure is null)
                {
                    errors.Add(path + ".measure", EventMessages.Required);
                }
                else if (Measures.TryParse(line.Measure, out var m))
                {
                    measure = m;
                }
                else
                {
                    errors.Add(path + ".measure", EventMessages.NotOneOf(line.Measure, Measures.Names));
                }

                estimatedTotal = errors.Quantity(path + ".estimatedTotal", line.EstimatedTotal, required: true, positive: true);
                completion = errors.Date(path + ".expectedCompletion", line.ExpectedCompletion, required: false);
                Forbid(errors, path, ("serviceStart", line.ServiceStart), ("serviceEnd", line.ServiceEnd), ("expectedDate", line.ExpectedDate), ("milestones", line.Milestones));
                break;
            case RecognitionPattern.Usage:
                start = errors.Date(path + ".serviceStart", line.ServiceStart, required: true);
                end = errors.Date(path + ".serviceEnd", line.ServiceEnd, required: true);
                if (start is { } us && end is { } ue && ue < us)
                {
                    errors.Add(path + ".serviceEnd", $"the service ends ({Iso(ue)}) before it starts ({Iso(us)})");
                }

                unitPrice = errors.Quantity(path + ".unitPrice", line.UnitPrice, required: true, positive: false);
                commitment = line.Commitment is { } committed ? ReadCommitment(committed, path + ".commitment", currency, errors) : null;
                Forbid(errors, path, ("amount", line.Amount), ("expectedDate", line.ExpectedDate), ("milestones", line.Milestones), ("measure", line.Measure), ("estimatedTotal", line.EstimatedTotal), ("expectedCompletion", line.ExpectedCompletion), ("billing", line.Billing));
                if (commitment is not null && start is { } cs && end is { } ce && ce >= cs)
                {
                    amount = UsageCommitments.PeriodsOf(cs, ce, commitment).Sum(p => p.Committed);
                }

                break;
            default:
                break;
        }

        var billing = line.Billing is { } plan && recognition is { } r && r != RecognitionPattern.Usage ? ReadBilling(plan, path + ".billing", r, currency, amount, errors) : null;
        if (errors.Count > failedBefore || lineId is null || amount is null || recognition is null || milestones is null)
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
            Billing = billing,
            Measure = measure,
            EstimatedTotal = estimatedTotal,
            ExpectedCompletion = completion,
            UnitPrice = unitPrice,
            Commitment = commitment,
        };
    }

    /// <summary>A usage line's take-or-pay minimum: an amount greater than zero in the currency, per month, year or term.</summary>
    private static Commitment? ReadCommitment(CommitmentWire wire, string path, Currency? currency, FieldErrors errors)
    {
        var amount = errors.Amount(path + ".amount", wire.Amount, required: true, currency, AmountSign.Positive);
        CommitmentPer? per = null;
        if (wire.Per is null)
        {
            errors.Add(path + ".per", EventMessages.Required);
        }
        else if (CommitmentPers.TryParse(wire.Per, out var known))
        {
            per = known;
        }
        else
        {
            errors.Add(path + ".per", EventMessages.NotOneOf(wire.Per, CommitmentPers.Names));
        }

        return amount is { } a && per is { } p ? new Commitment(a, p) : null;
    }

    private static void Forbid(FieldErrors errors, string path, params ReadOnlySpan<(string Name, object? Value)> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                errors.Add($"{path}.{name}", EventMessages.UnknownField);
            }
        }
    }

    private static List<MilestoneTerms>? ReadMilestones(List<MilestoneWire?>? wire, string path, Currency? currency, decimal? lineAmount, FieldErrors errors)
    {
        if (wire is null)
        {
            errors.Add(path, EventMessages.Required);
            return null;
        }

        if (wire.Count is 0 or > MaxMilestones)
        {
            errors.Add(path, EventMessages.MilestoneCount);
            return null;
        }

        var ok = true;
        var milestones = new List<MilestoneTerms>(wire.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < wire.Count; index++)
        {
            var at = $"{path}[{index}]";
            if (wire[index] is not { } m)
            {
                errors.Add(at, "a milestone must be an object, not null");
                ok = false;
                continue;
            }

            var id = errors.Id(at + ".milestoneId", m.MilestoneId, required: true);
            var amount = errors.Amount(at + ".amount", m.Amount, required: true, currency, AmountSign.ZeroOrPositive);
            var date = errors.Date(at + ".expectedDate", m.ExpectedDate, required: true);
            if (id is null || amount is null || date is null)
            {
                ok = false;
            }
            else if (!ids.Add(id))
            {
                errors.Add(at + ".milestoneId", $"milestone '{id}' appears twice");
                ok = false;
            }
            else
            {
                milestones.Add(new MilestoneTerms(id, amount.Value, date.Value));
            }
        }

        if (ok && lineAmount is { } total && milestones.Sum(m => m.Amount) is var sum && sum != total)
        {
            errors.Add(path, $"milestone amounts add up to {sum.ToString(CultureInfo.InvariantCulture)}, not the line amount {total.ToString(CultureInfo.InvariantCulture)}");
            ok = false;
        }

        return ok ? milestones : null;
    }

    private static BillingPlan? ReadBilling(BillingWire wire, string path, RecognitionPattern recognition, Currency? currency, decimal? lineAmount, FieldErrors errors)
    {
        if (wire.Schedule is { } schedule)
        {
            if (wire.Frequency is not null || wire.Timing is not null)
            {
                errors.Add(path, EventMessages.FrequencyAndSchedule);
                return null;
            }

            return ReadSchedule(schedule, path + ".schedule", currency, lineAmount, errors);
        }

        if (wire.Frequency is null)
        {
            errors.Add(path + ".frequency", "is required (or a schedule)");
            return null;
        }

        var allowed = recognition == RecognitionPattern.Ratable
            ? [BillingFrequency.Upfront, BillingFrequency.Monthly, BillingFrequency.Quarterly, BillingFrequency.Semiannual, BillingFrequency.Annual]
            : new[] { BillingFrequency.Upfront, BillingFrequency.OnDelivery };
        if (!Frequencies.TryParse(wire.Frequency, out var frequency) || !allowed.Contains(frequency))
        {
            errors.Add(path + ".frequency", $"'{Truncate(wire.Frequency)}' is not one of {string.Join(", ", allowed.Select(Frequencies.NameOf))} for a {Recognitions.NameOf(recognition)} line");
            return null;
        }

        var timing = BillingTiming.Advance;
        if (wire.Timing is { } timingName)
        {
            if (recognition != RecognitionPattern.Ratable)
            {
                errors.Add(path + ".timing", EventMessages.TimingOfRatableOnly);
                return null;
            }

            if (!Timings.TryParse(timingName, out timing))
            {
                errors.Add(path + ".timing", EventMessages.NotOneOf(timingName, Timings.Names));
                return null;
            }
        }

        return new BillingPlan { Frequency = frequency, Timing = timing };
    }

    private static BillingPlan? ReadSchedule(List<InstallmentWire?> wire, string path, Currency? currency, decimal? lineAmount, FieldErrors errors)
    {
        if (wire.Count is 0 or > MaxLines)
        {
            errors.Add(path, EventMessages.ScheduleCount);
            return null;
        }

        var ok = true;
        var installments = new List<BillingInstallment>(wire.Count);
        for (var index = 0; index < wire.Count; index++)
        {
            var at = $"{path}[{index}]";
            if (wire[index] is not { } i)
            {
                errors.Add(at, "an installment must be an object, not null");
                ok = false;
                continue;
            }

            var date = errors.Date(at + ".date", i.Date, required: true);
            var amount = errors.Amount(at + ".amount", i.Amount, required: true, currency, AmountSign.ZeroOrPositive);
            if (date is null || amount is null)
            {
                ok = false;
            }
            else
            {
                installments.Add(new BillingInstallment(date.Value, amount.Value));
            }
        }

        if (ok && lineAmount is { } total && installments.Sum(i => i.Amount) is var sum && sum != total)
        {
            errors.Add(path, $"schedule amounts add up to {sum.ToString(CultureInfo.InvariantCulture)}, not the line amount {total.ToString(CultureInfo.InvariantCulture)}");
            ok = false;
        }

        return ok ? new BillingPlan { Frequency = null, Schedule = installments } : null;
    }

    private static ContractAmended? ReadAmended(ContractAmendedWire data, DateOnly defaultSigned, Currency? currency, FieldErrors errors)
    {
        var effective = errors.Date("data.effectiveDate", data.EffectiveDate, required: true);
        var signed = data.SignedDate is null ? defaultSigned : errors.Date("data.signedDate", data.SignedDate, required: true);
        var lines = ReadLines(data.Lines, currency, EventMessages.AmendmentWithoutLines, errors);
        return effective is null || signed is null || lines is null
            ? null
            : new ContractAmended { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, Effective = effective.Value, SignedDate = signed.Value, Lines = lines };
    }

    private static ContractCancelled? ReadCancelled(ContractCancelledWire data, DateOnly defaultDecided, FieldErrors errors)
    {
        var last = errors.Date("data.lastServiceDate", data.LastServiceDate, required: true);
        var decided = data.CancelledOn is null ? defaultDecided : errors.Date("data.cancelledOn", data.CancelledOn, required: true);
        var failed = errors.Count;
        var reason = errors.Text("data.reason", data.Reason, required: false, MaxTextLength);
        return last is null || decided is null || errors.Count > failed
            ? null
            : new ContractCancelled { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, LastServiceDate = last.Value, CancelledOn = decided.Value, Reason = reason };
    }

    private static DeliveryCompleted? ReadDelivery(DeliveryCompletedWire data, FieldErrors errors)
    {
        var lineId = errors.Id("data.lineId", data.LineId, required: true);
        var date = errors.Date("data.date", data.Date, required: true);
        return lineId is null || date is null
            ? null
            : new DeliveryCompleted { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, LineId = lineId, Date = date.Value };
    }

    private static MilestoneCompleted? ReadMilestone(MilestoneCompletedWire data, FieldErrors errors)
    {
        var lineId = errors.Id("data.lineId", data.LineId, required: true);
        var milestoneId = errors.Id("data.milestoneId", data.MilestoneId, required: true);
        var date = errors.Date("data.date", data.Date, required: true);
        return lineId is null || milestoneId is null || date is null
            ? null
            : new MilestoneCompleted { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, LineId = lineId, MilestoneId = milestoneId, Date = date.Value };
    }

    private static ProgressReported? ReadProgress(ProgressReportedWire data, FieldErrors errors)
    {
        var failed = errors.Count;
        var lineId = errors.Id("data.lineId", data.LineId, required: true);
        var date = errors.Date("data.date", data.Date, required: true);
        var toDate = errors.Quantity("data.toDate", data.ToDate, required: true, positive: false);
        var estimate = errors.Quantity("data.estimatedTotal", data.EstimatedTotal, required: false, positive: true);
        return errors.Count > failed || lineId is null || date is null || toDate is null
            ? null
            : new ProgressReported { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, LineId = lineId, Date = date.Value, ToDate = toDate.Value, EstimatedTotal = estimate };
    }

    private static UsageReported? ReadUsage(UsageReportedWire data, FieldErrors errors)
    {
        var failed = errors.Count;
        var lineId = errors.Id("data.lineId", data.LineId, required: true);
        var date = errors.Date("data.date", data.Date, required: true);
        var quantity = errors.Quantity("data.quantity", data.Quantity, required: true, positive: false);
        var usageId = errors.Id("data.usageId", data.UsageId, required: false);
        return errors.Count > failed || lineId is null || date is null || quantity is null
            ? null
            : new UsageReported { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, LineId = lineId, Date = date.Value, Quantity = quantity.Value, UsageId = usageId };
    }

    private static InvoiceIssued? ReadInvoice(InvoiceIssuedWire data, Currency? currency, FieldErrors errors)
    {
        var failed = errors.Count;
        var invoiceId = errors.Id("data.invoiceId", data.InvoiceId, required: true);
        var issued = errors.Date("data.issueDate", data.IssueDate, required: true);
        var amount = errors.Amount("data.amount", data.Amount, required: true, currency, AmountSign.Positive);
        var due = errors.Date("data.dueDate", data.DueDate, required: false);
        if (issued is { } i && due is { } d && d < i)
        {
            errors.Add("data.dueDate", $"the invoice is due ({Iso(d)}) before it is issued ({Iso(i)})");
        }

        return errors.Count > failed || invoiceId is null || issued is null || amount is null
            ? null
            : new InvoiceIssued { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, InvoiceId = invoiceId, IssueDate = issued.Value, Amount = amount.Value, DueDate = due };
    }

    private static InvoiceVoided? ReadVoid(InvoiceVoidedWire data, FieldErrors errors)
    {
        var invoiceId = errors.Id("data.invoiceId", data.InvoiceId, required: true);
        var date = errors.Date("data.date", data.Date, required: true);
        return invoiceId is null || date is null
            ? null
            : new InvoiceVoided { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, InvoiceId = invoiceId, Date = date.Value };
    }

    private static CreditNoteIssued? ReadCreditNote(CreditNoteIssuedWire data, Currency? currency, FieldErrors errors)
    {
        var failed = errors.Count;
        var creditNoteId = errors.Id("data.creditNoteId", data.CreditNoteId, required: true);
        var date = errors.Date("data.date", data.Date, required: true);
        var amount = errors.Amount("data.amount", data.Amount, required: true, currency, AmountSign.Positive);
        var invoiceId = errors.Id("data.invoiceId", data.InvoiceId, required: false);
        return errors.Count > failed || creditNoteId is null || date is null || amount is null
            ? null
            : new CreditNoteIssued { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, CreditNoteId = creditNoteId, Date = date.Value, Amount = amount.Value, InvoiceId = invoiceId };
    }

    private static PaymentReceived? ReadPayment(PaymentReceivedWire data, Currency? currency, FieldErrors errors)
    {
        var failed = errors.Count;
        var paymentId = errors.Id("data.paymentId", data.PaymentId, required: true);
        var date = errors.Date("data.date", data.Date, required: true);
        var amount = errors.Amount("data.amount", data.Amount, required: true, currency, AmountSign.NonZero);
        var invoiceId = errors.Id("data.invoiceId", data.InvoiceId, required: false);
        return errors.Count > failed || paymentId is null || date is null || amount is null
            ? null
            : new PaymentReceived { Id = string.Empty, OccurredAt = default, ContractId = string.Empty, PaymentId = paymentId, Date = date.Value, Amount = amount.Value, InvoiceId = invoiceId };
    }

    private static void WriteWire(Utf8JsonWriter writer, ContractEvent e, Currency? currency)
    {
        var context = EventWireContext.Default;
        switch (e)
        {
            case ContractSigned s:
                JsonSerializer.Serialize(writer, Envelope(e, new ContractSignedWire
                {
                    SignedDate = Iso(s.SignedDate),
                    Currency = s.Currency.Code,
                    Customer = new CustomerWire { Id = s.Customer.Id, Name = s.Customer.Name, Segment = s.Customer.Segment, Region = s.Customer.Region },
                    SalesOwner = s.SalesOwner,
                    Attributes = s.Attributes.Count == 0 ? null : s.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, string? (a) => a.Value, StringComparer.Ordinal),
                    PaymentTermsDays = s.PaymentTermsDays == ContractSigned.DefaultPaymentTermsDays ? null : s.PaymentTermsDays,
                    Lines = Lines(s.Lines, currency),
                }), context.EventWireContractSignedWire);
                break;
            case ContractAmended a:
                JsonSerializer.Serialize(writer, Envelope(e, new ContractAmendedWire { EffectiveDate = Iso(a.Effective), SignedDate = Iso(a.SignedDate), Lines = Lines(a.Lines, currency) }), context.EventWireContractAmendedWire);
                break;
            case ContractCancelled c:
                JsonSerializer.Serialize(writer, Envelope(e, new ContractCancelledWire { LastServiceDate = Iso(c.LastServiceDate), CancelledOn = Iso(c.CancelledOn), Reason = c.Reason }), context.EventWireContractCancelledWire);
                break;
            case DeliveryCompleted d:
                JsonSerializer.Serialize(writer, Envelope(e, new DeliveryCompletedWire { LineId = d.LineId, Date = Iso(d.Date) }), context.EventWireDeliveryCompletedWire);
                break;
            case MilestoneCompleted m:
                JsonSerializer.Serialize(writer, Envelope(e, new MilestoneCompletedWire { LineId = m.LineId, MilestoneId = m.MilestoneId, Date = Iso(m.Date) }), context.EventWireMilestoneCompletedWire);
                break;
            case InvoiceIssued i:
                JsonSerializer.Serialize(writer, Envelope(e, new InvoiceIssuedWire { InvoiceId = i.InvoiceId, IssueDate = Iso(i.IssueDate), Amount = Amount(i.Amount, currency), DueDate = i.DueDate is { } due ? Iso(due) : null }), context.EventWireInvoiceIssuedWire);
                break;
            case InvoiceVoided v:
                JsonSerializer.Serialize(writer, Envelope(e, new InvoiceVoidedWire { InvoiceId = v.InvoiceId, Date = Iso(v.Date) }), context.EventWireInvoiceVoidedWire);
                break;
            case CreditNoteIssued n:
                JsonSerializer.Serialize(writer, Envelope(e, new CreditNoteIssuedWire { CreditNoteId = n.CreditNoteId, Date = Iso(n.Date), Amount = Amount(n.Amount, currency), InvoiceId = n.InvoiceId }), context.EventWireCreditNoteIssuedWire);
                break;
            case PaymentReceived p:
                JsonSerializer.Serialize(writer, Envelope(e, new PaymentReceivedWire { PaymentId = p.PaymentId, Date = Iso(p.Date), Amount = Amount(p.Amount, currency), InvoiceId = p.InvoiceId }), context.EventWirePaymentReceivedWire);
                break;
            case ProgressReported r:
                JsonSerializer.Serialize(writer, Envelope(e, new ProgressReportedWire { LineId = r.LineId, Date = Iso(r.Date), ToDate = Normalize(r.ToDate), EstimatedTotal = r.EstimatedTotal is { } estimate ? Normalize(estimate) : null }), context.EventWireProgressReportedWire);
                break;
            case UsageReported u:
                JsonSerializer.Serialize(writer, Envelope(e, new UsageReportedWire { LineId = u.LineId, Date = Iso(u.Date), Quantity = Normalize(u.Quantity), UsageId = u.UsageId }), context.EventWireUsageReportedWire);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Type, "unknown event type");
        }
    }

    private static EventWire<T> Envelope<T>(ContractEvent e, T data) => new()
    {
        Id = e.Id,
        Type = e.Type,
        Source = e.Source,
        OccurredAt = e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        ContractId = e.ContractId,
        Data = data,
    };

    private static List<LineWire?> Lines(IReadOnlyList<ContractLine> lines, Currency? currency) =>
        [.. lines.Select(line => new LineWire
        {
            LineId = line.LineId,
            Amount = line.Recognition == RecognitionPattern.Usage ? null : Amount(line.Amount, currency),
            Recognition = Recognitions.NameOf(line.Recognition),
            ProductLine = line.ProductLine,
            Description = line.Description,
            ServiceStart = line.ServiceStart is { } start ? Iso(start) : null,
            ServiceEnd = line.ServiceEnd is { } end ? Iso(end) : null,
            ExpectedDate = line.ExpectedDate is { } expected ? Iso(expected) : null,
            Milestones = line.Recognition == RecognitionPattern.Milestone
                ? [.. line.Milestones.Select(m => new MilestoneWire { MilestoneId = m.MilestoneId, Amount = Amount(m.Amount, currency), ExpectedDate = Iso(m.ExpectedDate) })]
                : null,
            Billing = line.Billing is not { } plan ? null
                : plan.Frequency is { } frequency
                    ? new BillingWire { Frequency = Frequencies.NameOf(frequency), Timing = line.Recognition == RecognitionPattern.Ratable && frequency != BillingFrequency.Upfront ? Timings.NameOf(plan.Timing) : null }
                    : new BillingWire { Schedule = [.. plan.Schedule.Select(i => new InstallmentWire { Date = Iso(i.Date), Amount = Amount(i.Amount, currency) })] },
            Measure = line.Measure is { } measure ? Measures.NameOf(measure) : null,
            EstimatedTotal = line.EstimatedTotal is { } estimate ? Normalize(estimate) : null,
            ExpectedCompletion = line.ExpectedCompletion is { } completion ? Iso(completion) : null,
            UnitPrice = line.UnitPrice is { } price ? Normalize(price) : null,
            Commitment = line.Commitment is { } committed ? new CommitmentWire { Amount = Amount(committed.Amount, currency), Per = CommitmentPers.NameOf(committed.Per) } : null,
        })];

    private static string Amount(decimal amount, Currency? currency) => currency is { } c ? c.Format(amount) : Normalize(amount);

    /// <summary>"1200.00" and "1200" are the same amount: drop trailing fraction zeros.</summary>
    private static string Normalize(decimal amount) =>
        (amount / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
