using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Bad input of every kind sent to the real webhook: each gets its documented status and a message that
/// says what is wrong, and afterwards the store holds exactly what it held before.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class BadInputCorpusTests(BacklogHostFixture host)
{
    private const string Contract = "C-CORPUS";

    private static readonly string Valid = Json.Compact("""
        {"id":"evt_corpus","type":"contract.signed","source":"billing-eu","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-CORPUS",
         "data":{"signedDate":"2026-10-03","currency":"USD","customer":{"id":"CUST-1","name":"Contoso","segment":"Enterprise","region":"EMEA"},
                 "attributes":{"channel":"direct"},
                 "lines":[{"lineId":"L1","amount":"1200.00","recognition":"ratable","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"},
                          {"lineId":"L2","amount":"300.00","recognition":"point_in_time","expectedDate":"2026-11-15"},
                          {"lineId":"P1","amount":"500.00","recognition":"milestone","milestones":[{"milestoneId":"M1","amount":"200.00","expectedDate":"2026-12-01"},{"milestoneId":"M2","amount":"300.00","expectedDate":"2027-01-15"}]}]}}
        """);

    private static readonly string ValidProgressLine = Json.Compact("""
        {"id":"evt_corpus_p","type":"contract.signed","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-CORPUS",
         "data":{"signedDate":"2026-10-03","currency":"USD","customer":{"id":"CUST-1","name":"Contoso"},
                 "lines":[{"lineId":"B1","amount":"1000000.00","recognition":"progress","measure":"cost","estimatedTotal":"700000","expectedCompletion":"2027-06-30"},
                          {"lineId":"L1","amount":"1200.00","recognition":"ratable","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"}]}}
        """);

    private static readonly string ValidProgressReport = Json.Compact("""
        {"id":"evt_corpus_r","type":"progress.reported","occurredAt":"2026-12-31T18:00:00Z","contractId":"C-CORPUS",
         "data":{"lineId":"B1","date":"2026-12-31","toDate":"420000","estimatedTotal":"700000"}}
        """);

    private static readonly string ValidUsageLine = Json.Compact("""
        {"id":"evt_corpus_u","type":"contract.signed","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-CORPUS",
         "data":{"signedDate":"2026-10-03","currency":"USD","customer":{"id":"CUST-1","name":"Contoso"},
                 "lines":[{"lineId":"U1","recognition":"usage","unitPrice":"0.0125","serviceStart":"2026-11-01","serviceEnd":"2027-10-31","commitment":{"amount":"250.00","per":"month"}},
                          {"lineId":"L1","amount":"1200.00","recognition":"ratable","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"}]}}
        """);

    private static readonly string ValidUsageReport = Json.Compact("""
        {"id":"evt_corpus_ur","type":"usage.reported","occurredAt":"2026-11-30T23:00:00Z","contractId":"C-CORPUS",
         "data":{"lineId":"U1","date":"2026-11-30","quantity":"31250.5","usageId":"U1-2026-11-30"}}
        """);

    private enum Signing
    {
        Good,
        None,
        WrongSecret,
        Expired,
        Future,
        Custom,
    }

    private sealed record Case(string Path, byte[] Body, string? ContentType, Signing Signing, HttpStatusCode Status, string Expect, string? Header = null);

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_gets_its_status_and_a_clear_message_and_changes_nothing(string name)
    {
        var c = Cases[name];
        var before = await host.StoreContentsAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, c.Path) { Content = new ByteArrayContent(c.Body) };
        if (c.ContentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }

        var now = host.Clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = c.Signing switch
        {
            Signing.Good => WebhookSignature.Sign(BacklogHostFixture.Secret, now, c.Body),
            Signing.WrongSecret => WebhookSignature.Sign("not-the-secret-0123456789", now, c.Body),
            Signing.Expired => WebhookSignature.Sign(BacklogHostFixture.Secret, now - 301, c.Body),
            Signing.Future => WebhookSignature.Sign(BacklogHostFixture.Secret, now + 301, c.Body),
            Signing.Custom => c.Header!.Replace("{now}", now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
            _ => null,
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, signature);
        }

        var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(c.Status == response.StatusCode, $"{name}: expected {(int)c.Status}, got {(int)response.StatusCode}: {text}");
        Assert.True(text.Contains(c.Expect, StringComparison.Ordinal), $"{name}: \"{c.Expect}\" not in {text[..Math.Min(text.Length, 600)]}");
        Assert.Equal(before, await host.StoreContentsAsync());
    }

    [Fact]
    public void The_corpus_has_at_least_a_hundred_cases()
    {
        Assert.True(Cases.Count >= 100, $"{Cases.Count} cases");
    }

    private static Dictionary<string, Case> BuildCases()
    {
        var cases = new Dictionary<string, Case>(StringComparer.Ordinal);
        void Event(string name, string body, HttpStatusCode status, string expect) =>
            cases.Add(name, new Case("/api/events", Encoding.UTF8.GetBytes(body), "application/json", Signing.Good, status, expect));
        void Mutation(string name, string path, string? json, string expect) =>
            Event(name, Mutate(Valid, path, json), HttpStatusCode.BadRequest, expect);

        // Malformed JSON.
        Event("empty body", "", HttpStatusCode.BadRequest, "the body is empty");
        Event("whitespace body", "  \n ", HttpStatusCode.BadRequest, "the body is empty");
        Event("open brace", "{", HttpStatusCode.BadRequest, "malformed JSON");
        Event("unterminated string", "{\"id\":\"abc", HttpStatusCode.BadRequest, "malformed JSON");
        Event("trailing comma", Valid[..^1] + ",}", HttpStatusCode.BadRequest, "malformed JSON");
        Event("two documents", Valid + Valid, HttpStatusCode.BadRequest, "more than one JSON value");
        Event("null", "null", HttpStatusCode.BadRequest, "must be a JSON object");
        Event("number", "42", HttpStatusCode.BadRequest, "must be a JSON object");
        Event("string", "\"event\"", HttpStatusCode.BadRequest, "must be a JSON object");
        Event("array", "[" + Valid + "]", HttpStatusCode.BadRequest, "must be a JSON object");
        Event("single quotes", "{'id':'x'}", HttpStatusCode.BadRequest, "malformed JSON");
        Event("comment", "/* c */" + Valid, HttpStatusCode.BadRequest, "malformed JSON");
        Event("NaN literal", "{\"id\":NaN}", HttpStatusCode.BadRequest, "malformed JSON");
        Event("deep nesting", Valid.Replace("\"data\":{", "\"deep\":" + new string('[', 100) + new string(']', 100) + ",\"data\":{", StringComparison.Ordinal), HttpStatusCode.BadRequest, "malformed JSON");
        cases.Add("invalid UTF-8", new Case("/api/events", [.. Encoding.UTF8.GetBytes("{\"id\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")], "application/json", Signing.Good, HttpStatusCode.BadRequest, "not valid UTF-8"));

        // Missing and extra fields.
        foreach (var field in new[] { "id", "type", "occurredAt", "contractId", "data" })
        {
            Mutation($"missing {field}", field, null, $"{field}: is required");
        }

        foreach (var field in new[] { "data.signedDate", "data.currency", "data.customer", "data.lines", "data.customer.id", "data.customer.name", "data.lines[0].amount", "data.lines[0].lineId", "data.lines[0].serviceStart", "data.lines[1].expectedDate", "data.lines[2].milestones" })
        {
            Mutation($"missing {field}", field, null, $"{field}: is required");
        }

        Mutation("extra top-level field", "extra", "1", "extra: unknown field");
        Mutation("extra data field", "data.note", "\"x\"", "data.note: unknown field");
        Mutation("extra line field", "data.lines[0].discount", "\"5\"", "data.lines[0].discount: unknown field");
        Mutation("extra customer field", "data.customer.email", "\"a@b.c\"", "data.customer.email: unknown field");
        Mutation("field of another pattern", "data.lines[0].expectedDate", "\"2026-11-15\"", "data.lines[0].expectedDate: unknown field");
        Event("duplicate field", Valid.Replace("\"source\":\"billing-eu\"", "\"source\":\"billing-eu\",\"source\":\"billing-us\"", StringComparison.Ordinal), HttpStatusCode.BadRequest, "duplicate field");

        // Wrong types.
        Mutation("id as number", "id", "17", "id: must be a string, not a number");
        Mutation("type as number", "type", "1", "type: must be a string");
        Mutation("data as string", "data", "\"{}\"", "data: must be an object");
        Mutation("data as array", "data", "[]", "data: must be an object");
        Mutation("lines as object", "data.lines", "{}", "data.lines: must be an array");
        Mutation("customer as array", "data.customer", "[]", "data.customer: must be an object");
        Mutation("amount as number", "data.lines[0].amount", "1200", "amounts are decimal strings");
        Mutation("amount as boolean", "data.lines[0].amount", "true", "data.lines[0].amount: must be a string");
        Mutation("attributes as array", "data.attributes", "[]", "data.attributes: must be an object");
        Mutation("attribute value as number", "data.attributes.channel", "5", "data.attributes.channel: must be a string");
        Mutation("milestones as object", "data.lines[2].milestones", "{}", "data.lines[2].milestones: must be an array");
        Mutation("line as string", "data.lines[0]", "\"L1\"", "a line must be an object");
        Mutation("occurredAt as number", "occurredAt", "1700000000", "occurredAt: must be a string");
        Mutation("unknown type", "type", "\"contract.renewed\"", "unknown event type");
        Mutation("unknown recognition", "data.lines[0].recognition", "\"metered\"", "is not one of ratable, point_in_time, milestone");

        // Ids.
        Mutation("id with space", "id", "\"evt 1\"", "is not an id");
        Mutation("id with slash", "id", "\"evt/1\"", "is not an id");
        Mutation("id too long", "id", "\"" + new string('a', 129) + "\"", "is not an id");
        Mutation("empty contract id", "contractId", "\"\"", "is not an id");
        Mutation("contract id with hash", "contractId", "\"C#1\"", "is not an id");
        Mutation("line id with unicode", "data.lines[0].lineId", "\"Lé\"", "is not an id");
        Mutation("source with newline", "source", "\"a\\nb\"", "is not an id");

        // Huge strings.
        Mutation("huge customer name", "data.customer.name", "\"" + new string('x', 5000) + "\"", "must be at most 200 characters");
        Mutation("huge description", "data.lines[0].description", "\"" + new string('x', 1500) + "\"", "must be at most 1000 characters");
        Mutation("huge attribute value", "data.attributes.channel", "\"" + new string('x', 300) + "\"", "must be at most 200 characters");
        Mutation("too many attributes", "data.attributes", "{" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"k{i}\":\"v\"")) + "}", "at most 50 attributes");

        // Control characters and Unicode.
        Mutation("NUL in name", "data.customer.name", "\"a\\u0000b\"", "control character U+0000");
        Mutation("bell in name", "data.customer.name", "\"a\\u0007b\"", "control character U+0007");
        Mutation("newline in name", "data.customer.name", "\"a\\nb\"", "control character U+000A");
        Mutation("DEL in segment", "data.customer.segment", "\"a\\u007fb\"", "control character U+007F");
        Mutation("C1 control in region", "data.customer.region", "\"a\\u0085b\"", "control character U+0085");
        Mutation("blank name", "data.customer.name", "\"   \"", "must not be empty");
        Mutation("unicode digits in amount", "data.lines[0].amount", "\"١٢٠٠\"", "is not a decimal amount");
        Mutation("fullwidth digits in date", "data.signedDate", "\"２０２６-10-03\"", "is not a date");

        // Amounts.
        Mutation("negative line amount", "data.lines[0].amount", "\"-1200.00\"", "must not be negative");
        Mutation("overlong amount", "data.lines[0].amount", "\"1234567890123456.00\"", "is not a decimal amount");
        Mutation("too many fraction digits", "data.lines[0].amount", "\"1200.001\"", "USD allows 2");
        Mutation("exponent", "data.lines[0].amount", "\"1.2e3\"", "is not a decimal amount");
        Mutation("plus sign", "data.lines[0].amount", "\"+1200\"", "is not a decimal amount");
        Mutation("leading space", "data.lines[0].amount", "\" 1200\"", "is not a decimal amount");
        Mutation("trailing dot", "data.lines[0].amount", "\"1200.\"", "is not a decimal amount");
        Mutation("leading dot", "data.lines[0].amount", "\".5\"", "is not a decimal amount");
        Mutation("thousands separator", "data.lines[0].amount", "\"1,200.00\"", "is not a decimal amount");
        Mutation("hex amount", "data.lines[0].amount", "\"0x10\"", "is not a decimal amount");
        Mutation("NaN amount", "data.lines[0].amount", "\"NaN\"", "is not a decimal amount");
        Mutation("empty amount", "data.lines[0].amount", "\"\"", "is not a decimal amount");
        Mutation("milestones do not add up", "data.lines[2].milestones[1].amount", "\"250.00\"", "add up to 450");

        // Dates.
        Mutation("30 February", "data.signedDate", "\"2026-02-30\"", "is not a date");
        Mutation("month 13", "data.signedDate", "\"2026-13-01\"", "is not a date");
        Mutation("two-digit year", "data.signedDate", "\"26-10-03\"", "is not a date");
        Mutation("slashes", "data.signedDate", "\"2026/10/03\"", "is not a date");
        Mutation("no zero padding", "data.signedDate", "\"2026-1-3\"", "is not a date");
        Mutation("timestamp for a date", "data.signedDate", "\"2026-10-03T00:00:00Z\"", "is not a date");
        Mutation("date before 2000", "data.signedDate", "\"1999-12-31\"", "out of range");
        Mutation("date after 2099", "data.lines[0].serviceEnd", "\"2100-01-01\"", "out of range");
        Mutation("service ends before it starts", "data.lines[0].serviceEnd", "\"2026-10-31\"", "before it starts");
        Mutation("occurredAt without offset", "occurredAt", "\"2026-10-03T12:00:00\"", "with an offset");
        Mutation("occurredAt as words", "occurredAt", "\"yesterday\"", "is not an RFC 3339 timestamp");
        Mutation("occurredAt with space", "occurredAt", "\"2026-10-03 12:00:00Z\"", "is not an RFC 3339 timestamp");

        // Currency.
        Mutation("unknown currency", "data.currency", "\"XYZ\"", "is not an ISO 4217 currency code");
        Mutation("lower-case currency", "data.currency", "\"usd\"", "is not an ISO 4217 currency code");
        Mutation("two-letter currency", "data.currency", "\"US\"", "is not an ISO 4217 currency code");
        Mutation("long currency", "data.currency", "\"EURO\"", "must be 1-3 characters");
        Mutation("currency as number", "data.currency", "840", "data.currency: must be a string");
        Mutation("no-currency code", "data.currency", "\"XXX\"", "is not an ISO 4217 currency code");

        // Structure of lines.
        Mutation("no lines", "data.lines", "[]", "at least one line");
        Mutation("duplicate line ids", "data.lines[1].lineId", "\"L1\"", "appears twice");
        Mutation("duplicate milestone ids", "data.lines[2].milestones[1].milestoneId", "\"M1\"", "appears twice");
        Mutation("no milestones", "data.lines[2].milestones", "[]", "1-100 milestones");

        // Progress lines and progress reports (recognition.md). Reports that contradict the contract's history
        // (a decreasing toDate, a line that is no progress line, a date before the signing) are replay problems,
        // as a delivery of an unknown line is: the webhook cannot judge them before every event has arrived.
        void Progress(string name, string baseJson, string path, string? json, string expect) =>
            Event(name, Mutate(baseJson, path, json), HttpStatusCode.BadRequest, expect);
        Progress("progress: negative toDate", ValidProgressReport, "data.toDate", "\"-1\"", "data.toDate: -1 must not be negative");
        Progress("progress: toDate with 7 decimals", ValidProgressReport, "data.toDate", "\"1.1234567\"", "data.toDate: 1.1234567 has 7 fraction digits; a quantity allows 6");
        Progress("progress: toDate as number", ValidProgressReport, "data.toDate", "420000", "data.toDate: must be a string");
        Progress("progress: toDate as words", ValidProgressReport, "data.toDate", "\"a lot\"", "is not a decimal quantity");
        Progress("progress: missing toDate", ValidProgressReport, "data.toDate", null, "data.toDate: is required");
        Progress("progress: missing lineId", ValidProgressReport, "data.lineId", null, "data.lineId: is required");
        Progress("progress: bad date", ValidProgressReport, "data.date", "\"2026-12-32\"", "is not a date");
        Progress("progress: revised estimate zero", ValidProgressReport, "data.estimatedTotal", "\"0\"", "data.estimatedTotal: 0 must be greater than zero");
        Progress("progress: revised estimate negative", ValidProgressReport, "data.estimatedTotal", "\"-700000\"", "data.estimatedTotal: -700000 must be greater than zero");
        Progress("progress: unknown field", ValidProgressReport, "data.percent", "\"60\"", "data.percent: unknown field");
        Progress("progress line: unknown measure", ValidProgressLine, "data.lines[0].measure", "\"hours\"", "is not one of cost, units");
        Progress("progress line: missing measure", ValidProgressLine, "data.lines[0].measure", null, "data.lines[0].measure: is required");
        Progress("progress line: missing estimate", ValidProgressLine, "data.lines[0].estimatedTotal", null, "data.lines[0].estimatedTotal: is required");
        Progress("progress line: estimate zero", ValidProgressLine, "data.lines[0].estimatedTotal", "\"0.00\"", "data.lines[0].estimatedTotal: 0.00 must be greater than zero");
        Progress("progress line: estimate with 7 decimals", ValidProgressLine, "data.lines[0].estimatedTotal", "\"1.0000001\"", "a quantity allows 6");
        Progress("progress line: amount with 3 decimals", ValidProgressLine, "data.lines[0].amount", "\"1000000.001\"", "data.lines[0].amount: 1000000.001 has 3 fraction digits; USD allows 2");
        Progress("progress line: service dates", ValidProgressLine, "data.lines[0].serviceStart", "\"2026-11-01\"", "data.lines[0].serviceStart: unknown field");
        Progress("progress fields on a ratable line", ValidProgressLine, "data.lines[1].estimatedTotal", "\"5\"", "data.lines[1].estimatedTotal: unknown field");

        // Usage lines and usage reports (recognition.md). As for progress, usage on a line that is no usage line or
        // dated before the signing is a replay problem of the contract's history, not a bad field.
        void Usage(string name, string baseJson, string path, string? json, string expect) =>
            Event(name, Mutate(baseJson, path, json), HttpStatusCode.BadRequest, expect);
        Usage("usage: negative quantity", ValidUsageReport, "data.quantity", "\"-1\"", "data.quantity: -1 must not be negative");
        Usage("usage: quantity with 7 decimals", ValidUsageReport, "data.quantity", "\"1.1234567\"", "data.quantity: 1.1234567 has 7 fraction digits; a quantity allows 6");
        Usage("usage: quantity as number", ValidUsageReport, "data.quantity", "12", "data.quantity: must be a string");
        Usage("usage: missing quantity", ValidUsageReport, "data.quantity", null, "data.quantity: is required");
        Usage("usage: missing lineId", ValidUsageReport, "data.lineId", null, "data.lineId: is required");
        Usage("usage: bad date", ValidUsageReport, "data.date", "\"2026-11-31\"", "is not a date");
        Usage("usage: bad usageId", ValidUsageReport, "data.usageId", "\"u 1\"", "data.usageId:");
        Usage("usage: an amount instead of a quantity", ValidUsageReport, "data.amount", "\"10.00\"", "data.amount: unknown field");
        Usage("usage line: unknown commitment per", ValidUsageLine, "data.lines[0].commitment.per", "\"week\"", "is not one of month, year, term");
        Usage("usage line: commitment amount zero", ValidUsageLine, "data.lines[0].commitment.amount", "\"0.00\"", "data.lines[0].commitment.amount: 0.00 must be greater than zero");
        Usage("usage line: commitment with 3 decimals", ValidUsageLine, "data.lines[0].commitment.amount", "\"250.001\"", "data.lines[0].commitment.amount: 250.001 has 3 fraction digits; USD allows 2");
        Usage("usage line: commitment without per", ValidUsageLine, "data.lines[0].commitment.per", null, "data.lines[0].commitment.per: is required");
        Usage("usage line: unitPrice with 7 decimals", ValidUsageLine, "data.lines[0].unitPrice", "\"0.0000001\"", "data.lines[0].unitPrice: 0.0000001 has 7 fraction digits; a quantity allows 6");
        Usage("usage line: negative unitPrice", ValidUsageLine, "data.lines[0].unitPrice", "\"-0.01\"", "data.lines[0].unitPrice: -0.01 must not be negative");
        Usage("usage line: missing unitPrice", ValidUsageLine, "data.lines[0].unitPrice", null, "data.lines[0].unitPrice: is required");
        Usage("usage line: missing serviceEnd", ValidUsageLine, "data.lines[0].serviceEnd", null, "data.lines[0].serviceEnd: is required");
        Usage("usage line: an amount", ValidUsageLine, "data.lines[0].amount", "\"3000.00\"", "data.lines[0].amount: unknown field");
        Usage("usage line: a billing plan", ValidUsageLine, "data.lines[0].billing", "{\"frequency\":\"monthly\"}", "data.lines[0].billing: unknown field");
        Usage("usage fields on a ratable line", ValidUsageLine, "data.lines[1].unitPrice", "\"1\"", "data.lines[1].unitPrice: unknown field");
        Usage("ratable line without an amount", ValidUsageLine, "data.lines[1].amount", null, "data.lines[1].amount: is required");

        // Signatures.
        void Signed(string name, Signing signing, string expect, string? header = null) =>
            cases.Add(name, new Case("/api/events", Encoding.UTF8.GetBytes(Valid), "application/json", signing, HttpStatusCode.Unauthorized, expect, header));
        Signed("missing signature", Signing.None, "header is missing");
        Signed("wrong secret", Signing.WrongSecret, "no v1 signature matches");
        Signed("replayed request outside the tolerance", Signing.Expired, "outside the tolerance window");
        Signed("timestamp in the future", Signing.Future, "outside the tolerance window");
        Signed("garbage header", Signing.Custom, "header is malformed", "garbage");
        Signed("timestamp only", Signing.Custom, "at least one v1", "t={now}");
        Signed("signature only", Signing.Custom, "needs t=", "v1=" + new string('a', 64));
        Signed("short signature", Signing.Custom, "at least one v1", "t={now},v1=" + new string('a', 63));
        Signed("non-hex signature", Signing.Custom, "at least one v1", "t={now},v1=" + new string('z', 64));
        Signed("unknown scheme only", Signing.Custom, "at least one v1", "t={now},v0=" + new string('a', 64));
        Signed("non-numeric timestamp", Signing.Custom, "needs t=", "t=soon,v1=" + new string('a', 64));
        Signed("empty header", Signing.Custom, "header is missing", " ");
        cases.Add("signature over another body", new Case("/api/events", Encoding.UTF8.GetBytes(Valid), "application/json", Signing.Custom, HttpStatusCode.Unauthorized, "no v1 signature matches",
            WebhookSignature.Sign(BacklogHostFixture.Secret, 0, Encoding.UTF8.GetBytes("{}")).Replace("t=0", "t={now}", StringComparison.Ordinal)));

        // Content types.
        void Typed(string name, string? contentType, string path = "/api/events") =>
            cases.Add(name, new Case(path, Encoding.UTF8.GetBytes(Valid), contentType, Signing.Good, HttpStatusCode.UnsupportedMediaType, "Unsupported content type"));
        Typed("no content type", null);
        Typed("text/plain", "text/plain");
        Typed("application/xml", "application/xml");
        Typed("UTF-16 JSON", "application/json; charset=utf-16");
        Typed("form", "application/x-www-form-urlencoded");
        Typed("NDJSON to the single endpoint", "application/x-ndjson");
        Typed("text/plain batch", "text/plain", "/api/events:batch");

        // Sizes.
        cases.Add("oversize event", new Case("/api/events", Encoding.UTF8.GetBytes(Mutate(Valid, "data.lines[0].description", "\"" + new string('x', 70_000) + "\"")), "application/json", Signing.Good, HttpStatusCode.RequestEntityTooLarge, "at most 65536 bytes"));
        cases.Add("oversize batch", new Case("/api/events:batch", Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(Mutate(Valid, "data.lines[0].description", "\"" + new string('x', 999) + "\""), 900)) + "]"), "application/json", Signing.Good, HttpStatusCode.RequestEntityTooLarge, "at most 1048576 bytes"));
        cases.Add("too many events in a batch", new Case("/api/events:batch", Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("{}", 1001)) + "]"), "application/json", Signing.Good, HttpStatusCode.RequestEntityTooLarge, "at most 1000 events"));

        // Batches.
        cases.Add("batch is an object", new Case("/api/events:batch", Encoding.UTF8.GetBytes(Valid), "application/json", Signing.Good, HttpStatusCode.BadRequest, "a batch is a JSON array"));
        cases.Add("malformed batch", new Case("/api/events:batch", Encoding.UTF8.GetBytes("[" + Valid), "application/json", Signing.Good, HttpStatusCode.BadRequest, "malformed JSON"));
        cases.Add("unsigned batch", new Case("/api/events:batch", Encoding.UTF8.GetBytes("[" + Valid + "]"), "application/json", Signing.None, HttpStatusCode.Unauthorized, "header is missing"));
        cases.Add("batch of invalid events", new Case("/api/events:batch", Encoding.UTF8.GetBytes("[" + Mutate(Valid, "id", null) + "," + Mutate(Valid, "data.currency", "\"XYZ\"") + "]"), "application/json", Signing.Good, HttpStatusCode.OK, "\"invalid\":2"));
        cases.Add("NDJSON batch with a broken line", new Case("/api/events:batch", Encoding.UTF8.GetBytes("{\n" + Mutate(Valid, "type", "\"x\"")), "application/x-ndjson", Signing.Good, HttpStatusCode.OK, "malformed JSON"));

        return cases;
    }

    private static string Mutate(string json, string path, string? value) => JsonEdit.Set(json, path, value);
}
