using System.Text;
using BacklogFunctions.Application.Events;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Events;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Domain.Tests.Events;

/// <summary>
/// Text that is valid JSON but not valid text (a lone UTF-16 surrogate escape), bidirectional controls, and
/// formulas hidden behind characters a spreadsheet ignores: each is refused or neutralized, never a crash.
/// </summary>
public class InvalidTextTests
{
    private const string Signed = """
        {"id":"evt_1","type":"contract.signed","source":"billing-eu","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-1001",
         "data":{"signedDate":"2026-10-03","currency":"USD","customer":{"id":"CUST-1","name":"Contoso Ltd","segment":"Enterprise","region":"EMEA"},
                 "salesOwner":"a.lopez","attributes":{"channel":"direct"},
                 "lines":[{"lineId":"L1","amount":"1200.00","recognition":"ratable","productLine":"Subscriptions","serviceStart":"2026-11-01","serviceEnd":"2027-10-31","description":"Support"}]}}
        """;

    public static TheoryData<string, string> SurrogateFields => new()
    {
        // the text replaced, and the JSON path that must be named
        { "\"evt_1\"", "id" },
        { "\"contract.signed\"", "type" },
        { "\"billing-eu\"", "source" },
        { "\"2026-10-03T12:00:00Z\"", "occurredAt" },
        { "\"C-1001\"", "contractId" },
        { "\"USD\"", "data.currency" },
        { "\"Contoso Ltd\"", "data.customer.name" },
        { "\"Enterprise\"", "data.customer.segment" },
        { "\"a.lopez\"", "data.salesOwner" },
        { "\"direct\"", "data.attributes.channel" },
        { "\"1200.00\"", "data.lines[0].amount" },
        { "\"Subscriptions\"", "data.lines[0].productLine" },
        { "\"Support\"", "data.lines[0].description" },
    };

    [Theory]
    [MemberData(nameof(SurrogateFields))]
    public void A_lone_surrogate_in_any_string_is_refused_naming_the_field(string original, string path)
    {
        foreach (var bad in new[] { "\\ud800", "\\uDFFF", "x\\uD83D", "\\uDE00x" })
        {
            var json = Signed.Replace(original, $"\"{original.Trim('"')}{bad}\"", StringComparison.Ordinal);

            var result = EventReader.Parse(Encoding.UTF8.GetBytes(json));

            Assert.Null(result.Event);
            var error = Assert.Single(result.Errors);
            Assert.Equal(path, error.Field);
            Assert.Contains("surrogate", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_lone_surrogate_in_a_field_name_is_refused()
    {
        var json = Signed.Replace("\"channel\"", "\"ch\\ud800\"", StringComparison.Ordinal);

        var result = EventReader.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Null(result.Event);
        Assert.StartsWith("data.attributes", Assert.Single(result.Errors).Field, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_surrogate_pair_is_text_and_is_kept()
    {
        var json = Signed.Replace("Contoso Ltd", "Contoso \\ud83d\\ude00", StringComparison.Ordinal);

        var result = EventReader.Parse(Encoding.UTF8.GetBytes(json));

        var signed = Assert.IsType<ContractSigned>(result.Event);
        Assert.Equal("Contoso \U0001F600", signed.Customer.Name);
    }

    [Fact]
    public void The_quick_scan_finds_every_surrogate_escape_and_nothing_else()
    {
        Assert.True(JsonText.MayHoldSurrogateEscape("\"\\ud800\""u8));
        Assert.True(JsonText.MayHoldSurrogateEscape("\"\\uDBFF\""u8));
        Assert.False(JsonText.MayHoldSurrogateEscape("\"\\u00e9\\u20ac\""u8));
        Assert.False(JsonText.MayHoldSurrogateEscape("\"\\ud7ff\\u\""u8));
    }

    [Fact]
    public void An_event_stream_with_a_lone_surrogate_names_the_line_and_the_field()
    {
        var good = Signed.ReplaceLineEndings(string.Empty);
        var bad = good.Replace("evt_1", "evt_2", StringComparison.Ordinal).Replace("Contoso Ltd", "Contoso \\ud800", StringComparison.Ordinal);

        var result = EventStream.Read(new StringReader(good + "\n\n" + bad + "\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("evt_2", error.EventId);
        Assert.Equal("data.customer.name", error.Field);
    }

    public static TheoryData<char> BidiControls => new() { '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069' };

    [Theory]
    [MemberData(nameof(BidiControls))]
    public void Bidirectional_controls_are_refused_in_names_and_descriptions(char control)
    {
        foreach (var (original, path) in new[] { ("Contoso Ltd", "data.customer.name"), ("Support", "data.lines[0].description"), ("direct", "data.attributes.channel") })
        {
            var json = Signed.Replace(original, $"{original}\\u{(int)control:x4}evil", StringComparison.Ordinal);

            var result = EventReader.Parse(Encoding.UTF8.GetBytes(json));

            Assert.Null(result.Event);
            var error = Assert.Single(result.Errors);
            Assert.Equal(path, error.Field);
            Assert.Contains($"U+{(int)control:X4}", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Right_to_left_letters_without_controls_are_names_like_any_other()
    {
        var json = Signed.Replace("Contoso Ltd", "شركة كونتوسو", StringComparison.Ordinal);

        Assert.IsType<ContractSigned>(EventReader.Parse(Encoding.UTF8.GetBytes(json)).Event);
    }

    public static TheoryData<string, string> Formulas => new()
    {
        // value, what a CSV cell must hold before the writer's own escaping
        { " =1+1", "' =1+1" },
        { "\t=1+1", "'\t=1+1" },
        { "\u200B=HYPERLINK(\"x\")", "'\u200B=HYPERLINK(\"x\")" },
        { "\uFEFF+1", "'\uFEFF+1" },
        { "\u00A0-1", "'\u00A0-1" },
        { "  @SUM(A1)", "'  @SUM(A1)" },
        { "\uFF1D1+1", "'\uFF1D1+1" },
        { "\uFF0B1", "'\uFF0B1" },
        { "\uFF0D1", "'\uFF0D1" },
        { "\uFF20A1", "'\uFF20A1" },
        { " \uFF1D1", "' \uFF1D1" },
        { "=1+1", "=1+1" },
        { "Contoso", "Contoso" },
        { " Contoso", " Contoso" },
        { "-", "-" },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Formulas))]
    public void Formulas_behind_ignored_or_full_width_characters_are_neutralized(string value, string expected) =>
        Assert.Equal(expected, CsvMoney.NeutralizeFormula(value));

    [Theory]
    [InlineData("2026-10", true)]
    [InlineData("2026-1\0", false)]
    [InlineData("2026-+1", false)]
    [InlineData("+026-10", false)]
    [InlineData(" 026-10", false)]
    [InlineData("2026-13", false)]
    [InlineData("2026-00", false)]
    [InlineData("2026/10", false)]
    public void A_period_is_read_strictly(string text, bool valid) =>
        Assert.Equal(valid, Period.TryParse(text, out _));
}
