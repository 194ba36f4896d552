using System.Text.Json;
using BacklogFunctions.Application.Messages;

namespace BacklogFunctions.Application.Tests;

/// <summary>The alert-deliveries message: the body travels as exact text, and anything unreadable is named.</summary>
public sealed class AlertDeliveryMessageTests
{
    private const string Body = """{"id":"2026-10|v1|Rückgang ≥ 10 % <\"a\">|EUR","actual":"-0.1234","period":"2026-10","version":1}""";

    [Fact]
    public void A_delivery_reads_back_as_written_with_the_exact_body_and_the_trace_context()
    {
        var message = new AlertDeliveryMessage("2026-10|v1|Rückgang ≥ 10 % <\"a\">|EUR", "https://hooks.example.com/a?b=c", 3, Body) { Failure = "HTTP 500" };
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var text = AlertDeliveryMessages.Write(message, traceParent);

        Assert.True(AlertDeliveryMessages.TryRead(text, out var read, out var readParent, out var error), error);
        Assert.Equal((message, traceParent), (read, readParent));
        Assert.Equal(Body, read!.Body);
        Assert.Equal(["alertId", "receiver", "attempt", "body", "failure", "traceParent"], JsonDocument.Parse(text).RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_delivery_encoded_once_more_reads_too_and_unknown_members_are_skipped()
    {
        var text = AlertDeliveryMessages.Write(new AlertDeliveryMessage("a|v1|n|EUR", "http://127.0.0.1:8080/x", 1, Body));

        Assert.True(AlertDeliveryMessages.TryRead(JsonSerializer.Serialize(text), out var read, out _, out var error), error);
        Assert.Equal(Body, read!.Body);
        Assert.True(AlertDeliveryMessages.TryRead("{\"later\":[1,2]," + text[1..], out _, out _, out error), error);
    }

    [Theory]
    [InlineData("", "not JSON")]
    [InlineData("not json", "not JSON")]
    [InlineData("[1]", "an alert-deliveries message is a JSON object")]
    [InlineData("""{"receiver":"https://h.example/","attempt":1,"body":"{}"}""", "alertId: is required")]
    [InlineData("""{"alertId":"a","receiver":"ftp://h.example/","attempt":1,"body":"{}"}""", "receiver: expected an absolute http or https URL")]
    [InlineData("""{"alertId":"a","receiver":"h.example/x","attempt":1,"body":"{}"}""", "receiver: expected an absolute http or https URL")]
    [InlineData("""{"alertId":"a","receiver":"https://h.example/","attempt":0,"body":"{}"}""", "attempt: expected a whole number from 1 to 2147483647")]
    [InlineData("""{"alertId":"a","receiver":"https://h.example/","attempt":"2","body":"{}"}""", "attempt: wrong JSON type")]
    [InlineData("""{"alertId":"a","receiver":"https://h.example/","attempt":1}""", "body: is required")]
    [InlineData("""{"alertId":"a","receiver":"https://h.example/","attempt":1,"body":{"id":"a"}}""", "body: wrong JSON type")]
    public void A_message_that_is_not_a_delivery_is_refused_with_what_is_wrong(string text, string expected)
    {
        Assert.False(AlertDeliveryMessages.TryRead(text, out var read, out _, out var error));
        Assert.Null(read);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }
}
