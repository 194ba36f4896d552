using System.Net;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// From the close to the receivers (alerts.md, "Evaluation and delivery"), the program standalone on Azurite with
/// two loopback receivers: one that accepts and one that never answers. The close completes at once whatever the
/// receivers do; the accepting receiver gets every alert the closed versions store as fired — each exactly once,
/// signed with its secret, the body the stored alert plus period and version — and the silent one's copies end in
/// the poison queue after the configured attempts.
/// </summary>
public sealed class AlertCloseDeliveryTests : IAsyncLifetime
{
    private const string AcceptingSecret = "alert-secret-accepting-0123456789";
    private const string SilentSecret = "alert-secret-silent-0123456789";
    private AlertReceiver _receiver = null!;
    private ClosingProgram _program = null!;

    public async Task InitializeAsync()
    {
        _receiver = await AlertReceiver.StartAsync();
        _program = await ClosingProgram.StartStandaloneAsync(
            new DateTimeOffset(2025, 12, 2, 3, 0, 0, TimeSpan.Zero),
            "--Close:Proration", "monthly",
            "--Alerts:Webhooks:0:Url", _receiver.BaseUrl + "/ok/finance",
            "--Alerts:Webhooks:0:Secret", AcceptingSecret,
            "--Alerts:Webhooks:1:Url", _receiver.BaseUrl + "/hang",
            "--Alerts:Webhooks:1:Secret", SilentSecret,
            "--Alerts:Delivery:MaxAttempts", "2",
            "--Alerts:Delivery:FirstRetryDelay", "00:00:00.200",
            "--Alerts:Delivery:Timeout", "00:00:00.500");
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _program.DisposeAsync();
        }
        finally
        {
            await _receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_fired_alert_reaches_the_receiver_once_and_a_silent_receiver_never_holds_up_the_close()
    {
        await _program.SendAsync(AlertTests.OneCustomer);

        var close = await _program.Client.PostAsync("/api/close", null);

        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var closed = (await Json.ReadAsync(close)).GetProperty("closed").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Equal(11, closed.Count);
        var fired = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var period in closed)
        {
            foreach (var alert in (await _program.GetAsync($"/api/periods/{period}/alerts")).GetProperty("alerts").EnumerateArray().Where(a => a.GetProperty("fired").GetBoolean()))
            {
                fired[alert.GetProperty("id").GetString()!] = period;
            }
        }

        Assert.True(fired.Count >= closed.Count, $"{fired.Count} fired alerts");
        Assert.True(
            await StandaloneFixture.EventuallyAsync(() => Task.FromResult(fired.Keys.All(id => _receiver.Of("/ok/finance", id).Count > 0)), seconds: 60),
            "the accepting receiver got every fired alert");
        var poison = new QueueServiceClient(_program.Azurite.ConnectionString).GetQueueClient(AlertDeliveryQueue.PoisonQueueName);
        Assert.True(
            await StandaloneFixture.EventuallyAsync(async () => await poison.ExistsAsync() && (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount == fired.Count, seconds: 60),
            "every copy for the silent receiver ended in the poison queue");

        var received = _receiver.Requests.Where(r => r.Path == "/ok/finance").ToList();
        Assert.Equal(fired.Keys.Order(StringComparer.Ordinal), received.Select(r => Json.Parse(r.BodyText).GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        foreach (var request in received)
        {
            var body = Json.Parse(request.BodyText);
            var id = body.GetProperty("id").GetString()!;
            Assert.Null(WebhookSignature.Verify(request.Signature, request.Body, [AcceptingSecret], _program.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
            Assert.Equal((fired[id], 1), (body.GetProperty("period").GetString(), body.GetProperty("version").GetInt32()));
            var stored = (await _program.GetAsync($"/api/periods/{fired[id]}/alerts")).GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == id);
            foreach (var member in stored.EnumerateObject())
            {
                Assert.Equal(member.Value.GetRawText(), body.GetProperty(member.Name).GetRawText());
            }
        }

        Assert.Equal(2 * fired.Count, _receiver.Requests.Count(r => r.Path == "/hang"));
    }
}
