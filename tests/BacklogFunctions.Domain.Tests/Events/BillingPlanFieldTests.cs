using BacklogFunctions.Application.Events;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Tests.Events;

/// <summary>The v2 fields of forward.md: <c>paymentTermsDays</c> and each line's <c>billing</c>, read and refused by field.</summary>
public class BillingPlanFieldTests
{
    internal const string SignedJson = Signed;

    private const string Signed = """
        {"id":"evt_2","type":"contract.signed","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-2002",
         "data":{"signedDate":"2026-10-03","currency":"USD","customer":{"id":"CUST-2","name":"Northwind"},
                 "lines":[{"lineId":"L1","amount":"1200.00","recognition":"ratable","serviceStart":"2026-11-01","serviceEnd":"2027-10-31"},
                          {"lineId":"L2","amount":"300.00","recognition":"point_in_time","expectedDate":"2026-11-15"},
                          {"lineId":"P1","amount":"500.00","recognition":"milestone","milestones":[{"milestoneId":"M1","amount":"200.00","expectedDate":"2026-12-01"},{"milestoneId":"M2","amount":"300.00","expectedDate":"2027-01-15"}]}]}}
        """;

    [Fact]
    public void A_v1_signing_has_no_plans_and_thirty_days_of_payment_terms()
    {
        var e = Assert.IsType<ContractSigned>(EventReader.Parse(Signed).Event);

        Assert.Equal(30, e.PaymentTermsDays);
        Assert.All(e.Lines, line => Assert.Null(line.Billing));
    }

    public static TheoryData<string, string, BillingFrequency?, BillingTiming> Plans => new()
    {
        // line, billing JSON, expected frequency (null: a schedule), expected timing
        { "data.lines[0]", """{"frequency":"monthly"}""", BillingFrequency.Monthly, BillingTiming.Advance },
        { "data.lines[0]", """{"frequency":"quarterly","timing":"arrears"}""", BillingFrequency.Quarterly, BillingTiming.Arrears },
        { "data.lines[0]", """{"frequency":"semiannual","timing":"advance"}""", BillingFrequency.Semiannual, BillingTiming.Advance },
        { "data.lines[0]", """{"frequency":"annual"}""", BillingFrequency.Annual, BillingTiming.Advance },
        { "data.lines[0]", """{"frequency":"upfront"}""", BillingFrequency.Upfront, BillingTiming.Advance },
        { "data.lines[1]", """{"frequency":"on_delivery"}""", BillingFrequency.OnDelivery, BillingTiming.Advance },
        { "data.lines[1]", """{"frequency":"upfront"}""", BillingFrequency.Upfront, BillingTiming.Advance },
        { "data.lines[2]", """{"frequency":"on_delivery"}""", BillingFrequency.OnDelivery, BillingTiming.Advance },
        { "data.lines[0]", """{"schedule":[{"date":"2026-11-01","amount":"600.00"},{"date":"2027-05-01","amount":"600"}]}""", null, BillingTiming.Advance },
        { "data.lines[2]", """{"schedule":[{"date":"2026-10-03","amount":"500.00"}]}""", null, BillingTiming.Advance },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Each_documented_plan_is_read(string line, string billing, BillingFrequency? frequency, BillingTiming timing)
    {
        var result = EventReader.Parse(Mutate(line + ".billing", billing));

        var e = Assert.IsType<ContractSigned>(result.Event);
        var plan = Assert.Single(e.Lines, l => l.Billing is not null).Billing!;
        Assert.Equal(frequency, plan.Frequency);
        Assert.Equal(timing, plan.Timing);
        Assert.Equal(frequency is null, plan.IsSchedule);
        if (plan.IsSchedule)
        {
            Assert.Equal(e.Lines.Single(l => l.Billing is not null).Amount, plan.Schedule.Sum(i => i.Amount));
        }
    }

    public static TheoryData<string, string?, string, string> Refusals => new()
    {
        // field set (JSON path), value (null removes it), field named, words in the reason
        { "data.lines[0].billing", """{"frequency":"on_delivery"}""", "data.lines[0].billing.frequency", "is not one of upfront, monthly, quarterly, semiannual, annual" },
        { "data.lines[1].billing", """{"frequency":"monthly"}""", "data.lines[1].billing.frequency", "is not one of upfront, on_delivery" },
        { "data.lines[2].billing", """{"frequency":"annual"}""", "data.lines[2].billing.frequency", "is not one of upfront, on_delivery" },
        { "data.lines[0].billing", """{"frequency":"weekly"}""", "data.lines[0].billing.frequency", "'weekly' is not one of" },
        { "data.lines[0].billing", """{"frequency":"monthly","timing":"late"}""", "data.lines[0].billing.timing", "'late' is not one of advance, arrears" },
        { "data.lines[1].billing", """{"frequency":"upfront","timing":"arrears"}""", "data.lines[1].billing.timing", "applies to ratable lines only" },
        { "data.lines[0].billing", """{"frequency":"monthly","schedule":[{"date":"2026-11-01","amount":"1200.00"}]}""", "data.lines[0].billing.frequency", "a frequency or a schedule, not both" },
        { "data.lines[0].billing", "{}", "data.lines[0].billing.frequency", "is required" },
        { "data.lines[0].billing", "\"monthly\"", "data.lines[0].billing", "must be an object, not a string" },
        { "data.lines[0].billing", """{"frequency":"monthly","day":1}""", "data.lines[0].billing.day", "unknown field" },
        { "data.lines[0].billing", """{"schedule":[]}""", "data.lines[0].billing.schedule", "1-500 installments" },
        { "data.lines[0].billing", """{"schedule":[{"date":"2026-11-01","amount":"600.00"}]}""", "data.lines[0].billing.schedule", "add up to 600.00, not the line amount 1200.00" },
        { "data.lines[0].billing", """{"schedule":[{"date":"2026-11-01","amount":"1300.00"},{"date":"2026-12-01","amount":"-100.00"}]}""", "data.lines[0].billing.schedule[1].amount", "must not be negative" },
        { "data.lines[0].billing", """{"schedule":[{"date":"2026-02-30","amount":"1200.00"}]}""", "data.lines[0].billing.schedule[0].date", "is not a date" },
        { "data.lines[0].billing", """{"schedule":[{"date":"2026-11-01","amount":"1200.001"}]}""", "data.lines[0].billing.schedule[0].amount", "USD allows 2" },
        { "data.lines[0].billing", """{"schedule":[{"date":"2026-11-01","amount":1200}]}""", "data.lines[0].billing.schedule[0].amount", "not JSON numbers" },
        { "data.lines[0].billing", """{"schedule":[{"date":"2026-11-01"}]}""", "data.lines[0].billing.schedule[0].amount", "is required" },
        { "data.lines[0].billing", """{"schedule":[{"date":"2026-11-01","amount":"1200.00","memo":"x"}]}""", "data.lines[0].billing.schedule[0].memo", "unknown field" },
        { "data.lines[0].billing", """{"schedule":["2026-11-01"]}""", "data.lines[0].billing.schedule[0]", "an installment must be an object" },
        { "data.paymentTermsDays", "366", "data.paymentTermsDays", "366 is not a number of days from 0 to 365" },
        { "data.paymentTermsDays", "-1", "data.paymentTermsDays", "-1 is not a number of days from 0 to 365" },
        { "data.paymentTermsDays", "\"30\"", "data.paymentTermsDays", "must be a whole number, not a string" },
        { "data.paymentTermsDays", "30.5", "data.paymentTermsDays", "must be a whole number, not a number" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Anything_else_is_refused_naming_the_field(string path, string? value, string field, string reason)
    {
        var result = EventReader.Parse(Mutate(path, value));

        Assert.Null(result.Event);
        var error = Assert.Single(result.Errors, e => e.Field == field);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(45)]
    [InlineData(365)]
    public void Payment_terms_from_0_to_365_days_are_read(int days)
    {
        var e = Assert.IsType<ContractSigned>(EventReader.Parse(Mutate("data.paymentTermsDays", days.ToString(System.Globalization.CultureInfo.InvariantCulture))).Event);

        Assert.Equal(days, e.PaymentTermsDays);
    }

    [Fact]
    public void An_amended_line_carries_its_own_plan()
    {
        const string amended = """
            {"id":"evt_3","type":"contract.amended","occurredAt":"2027-01-10T09:00:00Z","contractId":"C-2002",
             "data":{"effectiveDate":"2027-02-01","lines":[{"lineId":"L1","amount":"1500.00","recognition":"ratable","serviceStart":"2026-11-01","serviceEnd":"2027-10-31","billing":{"frequency":"quarterly","timing":"arrears"}}]}}
            """;

        var e = Assert.IsType<ContractAmended>(EventReader.Parse(amended, Currency.USD).Event);

        Assert.Equal(new BillingPlan { Frequency = BillingFrequency.Quarterly, Timing = BillingTiming.Arrears }, e.Lines[0].Billing);
    }

    [Fact]
    public void An_amended_schedule_is_held_to_the_contract_currency_once_the_stream_is_put_together()
    {
        var signing = Signed.Replace("\"USD\"", "\"JPY\"", StringComparison.Ordinal).Replace(".00\"", "\"", StringComparison.Ordinal).ReplaceLineEndings(string.Empty);
        const string amended = """{"id":"evt_4","type":"contract.amended","occurredAt":"2027-01-10T09:00:00Z","contractId":"C-2002","data":{"effectiveDate":"2027-02-01","lines":[{"lineId":"L1","amount":"1200","recognition":"ratable","serviceStart":"2026-11-01","serviceEnd":"2027-10-31","billing":{"schedule":[{"date":"2027-02-01","amount":"600.50"},{"date":"2027-08-01","amount":"599.50"}]}}]}}""";

        var result = EventStream.Read(new StringReader(signing + "\n" + amended + "\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("evt_4", error.EventId);
        Assert.Contains("more fraction digits than JPY allows", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plans_and_terms_survive_writing_and_reading_and_defaults_do_not_change_the_content()
    {
        var withPlans = Mutate(Mutate(Mutate("data.lines[0].billing", """{"frequency":"monthly","timing":"arrears"}"""), "data.lines[1].billing", """{"schedule":[{"date":"2026-11-15","amount":"300.00"}]}"""), "data.paymentTermsDays", "45");
        var original = EventReader.Parse(withPlans).Event!;

        var reread = EventReader.Parse(EventJson.Write(original)).Event!;
        var stored = EventJson.ReadStored(EventJson.Write(original)).Event!;

        Assert.Equal(EventJson.Canonical(original), EventJson.Canonical(reread));
        Assert.Equal(EventJson.Canonical(original), EventJson.Canonical(stored));
        Assert.Contains("\"paymentTermsDays\":45", EventJson.Canonical(original), StringComparison.Ordinal);

        // The defaults written out are the same content as the defaults left out.
        var implicitDefaults = EventReader.Parse(Mutate("data.lines[0].billing", """{"frequency":"monthly"}""")).Event!;
        var explicitDefaults = EventReader.Parse(Mutate(Mutate("data.lines[0].billing", """{"frequency":"monthly","timing":"advance"}"""), "data.paymentTermsDays", "30")).Event!;
        Assert.Equal(EventJson.ContentHash(implicitDefaults), EventJson.ContentHash(explicitDefaults));
        Assert.NotEqual(EventJson.ContentHash(implicitDefaults), EventJson.ContentHash(EventReader.Parse(Signed).Event!));
    }

    [Fact]
    public void Events_stored_by_version_1_keep_their_content_hash()
    {
        // Each line: the SHA-256 version 1 stored beside the event, and the event as version 1 wrote it.
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Events", "Fixtures", "stored-v1-content-hashes.tsv"));

        Assert.Equal(EventTypes.All.Count(t => t is not EventTypes.ProgressReported and not EventTypes.UsageReported), rows.Length);
        foreach (var row in rows)
        {
            var (hash, json) = (row.Split('\t')[0], row.Split('\t')[1]);
            var fromWebhook = EventReader.Parse(json).Event!;
            var fromStore = EventJson.ReadStored(json).Event!;

            Assert.Equal(hash, EventJson.ContentHash(fromWebhook));
            Assert.Equal(hash, EventJson.ContentHash(fromStore));
            Assert.Equal(json, EventJson.Write(fromStore));
        }
    }

    private static string Mutate(string path, string? value) => Mutate(Signed, path, value);

    private static string Mutate(string json, string path, string? value) => BacklogFunctions.Testing.JsonEdit.Set(json, path, value);
}

/// <summary>Every finding of the schema is given in the product's words, never the schema library's.</summary>
public class SchemaFindingWordsTests
{
    private static readonly string[] LibraryWords = ["Value is", "should", "Expected", "false schema", "Required properties", "regular expression", "enum"];

    public static TheoryData<string, string> Mutations()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in EventValidationTests.BadFields)
        {
            data.Add(nameof(EventValidationTests), (string)row[0]);
        }

        foreach (var row in BillingPlanFieldTests.Refusals)
        {
            data.Add(nameof(BillingPlanFieldTests), $"{row[0]}={row[1]}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void No_reason_is_worded_by_the_schema_library(string example, string mutation)
    {
        var json = example == nameof(BillingPlanFieldTests) ? BillingPlanFieldTests.SignedJson : EventValidationTests.SignedJson;
        var result = EventReader.Parse(EventValidationTests.Mutate(json, mutation));

        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.DoesNotContain(LibraryWords, word => e.Reason.Contains(word, StringComparison.Ordinal)));
    }
}
