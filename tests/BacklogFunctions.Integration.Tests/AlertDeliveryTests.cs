using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Messages;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Host;
using BacklogFunctions.Host.Logging;
using BacklogFunctions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The program on its own Azurite with four alert receivers on a loopback server — two that accept, one that fails
/// twice, one that never answers — and tiny delays: up to 3 attempts, 0.2 s backoff doubling to 1 s, 0.5 s timeout.
/// </summary>
public abstract class AlertDeliveryFixture : ProgramFixture, IAsyncLifetime
{
    public const string FirstSecret = "alert-secret-first-0123456789";
    public const string SecondSecret = "alert-secret-second-0123456789";
    public const string FlakySecret = "alert-secret-flaky-0123456789";
    public const string HangSecret = "alert-secret-hang-0123456789";

    /// <summary>A token in the first receiver's URL query: as secret as the secrets.</summary>
    public const string QueryToken = "querytoken-first-0123456789";

    public const int MaxAttempts = 3;

    public AlertReceiver Receiver { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    public string FirstUrl => Receiver.BaseUrl + "/ok/first?token=" + QueryToken;

    public string SecondUrl => Receiver.BaseUrl + "/ok/second";

    public string FlakyUrl => Receiver.BaseUrl + "/flaky";

    public string HangUrl => Receiver.BaseUrl + "/hang";

    public static IReadOnlyList<string> Secrets => [FirstSecret, SecondSecret, FlakySecret, HangSecret];

    public QueueClient Queue(string name) => new QueueServiceClient(Azurite.ConnectionString).GetQueueClient(name);

    /// <summary>The program as each fixture runs it: standalone with its listener, or behind the Functions host.</summary>
    protected abstract IEnumerable<string> HostArguments { get; }

    async Task IAsyncLifetime.InitializeAsync()
    {
        Receiver = await AlertReceiver.StartAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        try
        {
            await DisposeAsync();
        }
        finally
        {
            await Receiver.DisposeAsync();
        }
    }

    protected override WebApplication Build(string connectionString) => BacklogApp.Build(
        [
            .. HostArguments,
            "--Storage:ConnectionString", connectionString,
            "--Webhook:Secrets:0", "whsec_alerts_0123456789abcdef",
            "--ReadApi:Keys:0", "read-key-alerts-0123456789abcdef",
            "--Alerts:Webhooks:0:Url", FirstUrl,
            "--Alerts:Webhooks:0:Secret", FirstSecret,
            "--Alerts:Webhooks:1:Url", SecondUrl,
            "--Alerts:Webhooks:1:Secret", SecondSecret,
            "--Alerts:Webhooks:2:Url", FlakyUrl,
            "--Alerts:Webhooks:2:Secret", FlakySecret,
            "--Alerts:Webhooks:3:Url", HangUrl,
            "--Alerts:Webhooks:3:Secret", HangSecret,
            "--Alerts:Delivery:MaxAttempts", MaxAttempts.ToString(CultureInfo.InvariantCulture),
            "--Alerts:Delivery:FirstRetryDelay", "00:00:00.200",
            "--Alerts:Delivery:MaxRetryDelay", "00:00:01",
            "--Alerts:Delivery:Timeout", "00:00:00.500",
            "--Logging:LogLevel:Default", "Debug",
        ],
        builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
        });

    /// <summary>A fired alert as the close hands it over: the alert object plus period and version (alerts.md, "Names").</summary>
    public static AlertNotice Notice(string name)
    {
        var id = $"2026-10|v1|{name}|EUR";
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = name,
            ["figure"] = "backlogChangePct",
            ["currency"] = "EUR",
            ["operator"] = "<",
            ["threshold"] = "-0.10",
            ["actual"] = "-0.1234",
            ["fired"] = true,
            ["severity"] = "critical",
            ["note"] = null,
            ["period"] = "2026-10",
            ["version"] = 1,
        });
        return new AlertNotice(id, body);
    }

    /// <summary>The delivery messages on a queue (visible ones), read.</summary>
    public async Task<List<AlertDeliveryMessage>> PeekAsync(string queue)
    {
        var client = Queue(queue);
        if (!await client.ExistsAsync())
        {
            return [];
        }

        var messages = new List<AlertDeliveryMessage>();
        foreach (var peeked in (await client.PeekMessagesAsync(32)).Value)
        {
            if (AlertDeliveryMessages.TryRead(peeked.Body.ToString(), out var message, out _, out _))
            {
                messages.Add(message!);
            }
        }

        return messages;
    }

    /// <summary>The receiver got this alert signed with its own secret (and no other's), the exact body and the id headers.</summary>
    public static void AssertSignedAndExact(AlertReceiver.Request request, AlertNotice notice, string secret)
    {
        Assert.Equal(notice.Body, request.BodyText);
        Assert.Equal(Encoding.UTF8.GetBytes(notice.Body), request.Body);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Null(WebhookSignature.Verify(request.Signature, request.Body, [secret], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.NotNull(WebhookSignature.Verify(request.Signature, request.Body, [.. Secrets.Where(s => s != secret)], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Equal(notice.Id, Uri.UnescapeDataString(request.AlertId!));
        Assert.Equal(request.AlertId, request.IdempotencyKey);
    }
}

/// <summary>Standalone: the program's own listener on <c>alert-deliveries</c>.</summary>
public sealed class StandaloneAlertFixture : AlertDeliveryFixture
{
    protected override IEnumerable<string> HostArguments => ["--urls", "http://127.0.0.1:0", "--Storage:ListenToQueue", "true"];
}

[CollectionDefinition(Name)]
public sealed class StandaloneAlertCollection : ICollectionFixture<StandaloneAlertFixture>
{
    public const string Name = "alert delivery, standalone";
}

[Collection(StandaloneAlertCollection.Name)]
public sealed class AlertDeliveryTests(StandaloneAlertFixture program)
{
    /// <summary>Hands one alert to the outbox and waits until every receiver is done with it (the hanging one in the poison queue).</summary>
    private async Task<AlertNotice> DeliverAsync(string name)
    {
        var notice = AlertDeliveryFixture.Notice(name);
        await program.Services.GetRequiredService<IAlertOutbox>().SendAsync([notice], CancellationToken.None);
        Assert.True(
            await StandaloneFixture.EventuallyAsync(async () =>
                program.Receiver.Of("/ok/first", notice.Id).Count > 0 &&
                program.Receiver.Of("/ok/second", notice.Id).Count > 0 &&
                program.Receiver.Of("/flaky", notice.Id).Any(r => r.Status == 200) &&
                (await program.PeekAsync(AlertDeliveryQueue.PoisonQueueName)).Any(m => m.AlertId == notice.Id)),
            "every receiver is done with the alert");
        return notice;
    }

    [Fact]
    public async Task A_receiver_gets_each_alert_exactly_once_signed_with_its_secret_and_the_exact_body()
    {
        var notices = new[] { AlertDeliveryFixture.Notice("Backlog down more than 10 %"), AlertDeliveryFixture.Notice("Rückgang ≥ 10 % | “quoted”") };
        await program.Services.GetRequiredService<IAlertOutbox>().SendAsync(notices, CancellationToken.None);

        Assert.True(
            await StandaloneFixture.EventuallyAsync(async () =>
            {
                var poisoned = await program.PeekAsync(AlertDeliveryQueue.PoisonQueueName);
                return notices.All(n => program.Receiver.Of("/flaky", n.Id).Any(r => r.Status == 200) && poisoned.Any(m => m.AlertId == n.Id));
            }),
            "every receiver is done with both alerts");

        foreach (var notice in notices)
        {
            var request = Assert.Single(program.Receiver.Of("/ok/first", notice.Id));
            AlertDeliveryFixture.AssertSignedAndExact(request, notice, AlertDeliveryFixture.FirstSecret);
            Assert.Equal("1", request.Attempt);
            Assert.Equal("?token=" + AlertDeliveryFixture.QueryToken, request.Query);
        }
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_alert_accepted_exactly_once_on_the_third_attempt()
    {
        var notice = await DeliverAsync("Book-to-bill below 1");

        var attempts = program.Receiver.Of("/flaky", notice.Id);
        Assert.Equal([500, 500, 200], attempts.Select(a => a.Status));
        Assert.Equal(["1", "2", "3"], attempts.Select(a => a.Attempt));
        Assert.All(attempts, a => AlertDeliveryFixture.AssertSignedAndExact(a, notice, AlertDeliveryFixture.FlakySecret));
        Assert.DoesNotContain(await program.PeekAsync(AlertDeliveryQueue.PoisonQueueName), m => m.AlertId == notice.Id && m.Receiver == program.FlakyUrl);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_ends_in_the_poison_queue_after_the_last_attempt()
    {
        var notice = await DeliverAsync("Backlog ratio below 6 months");

        var poisoned = Assert.Single(await program.PeekAsync(AlertDeliveryQueue.PoisonQueueName), m => m.AlertId == notice.Id);
        Assert.Equal(program.HangUrl, poisoned.Receiver);
        Assert.Equal(AlertDeliveryFixture.MaxAttempts, poisoned.Attempt);
        Assert.Equal(notice.Body, poisoned.Body);
        Assert.StartsWith("no answer within 0.5 s", poisoned.Failure, StringComparison.Ordinal);
        Assert.Equal(["1", "2", "3"], program.Receiver.Of("/hang", notice.Id).Select(r => r.Attempt));
        Assert.True(await StandaloneFixture.EventuallyAsync(async () => !(await program.PeekAsync(AlertDeliveryQueue.QueueName)).Any(m => m.AlertId == notice.Id)), "nothing of it is left on the queue");

        // Poisoned, not lost: no secret went with it.
        var raw = string.Join('\n', (await program.Queue(AlertDeliveryQueue.PoisonQueueName).PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()));
        Assert.All(AlertDeliveryFixture.Secrets, s => Assert.DoesNotContain(s, raw, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_receivers_each_get_the_alert_and_no_secret_signature_or_query_reaches_a_log()
    {
        var notice = await DeliverAsync("Largest customer above 25 %");

        AlertDeliveryFixture.AssertSignedAndExact(Assert.Single(program.Receiver.Of("/ok/first", notice.Id)), notice, AlertDeliveryFixture.FirstSecret);
        AlertDeliveryFixture.AssertSignedAndExact(Assert.Single(program.Receiver.Of("/ok/second", notice.Id)), notice, AlertDeliveryFixture.SecondSecret);

        var logs = program.Logs.AllText();
        var signatures = program.Receiver.Requests.Select(r => r.Signature!.Split("v1=")[1]).ToList();
        Assert.All(AlertDeliveryFixture.Secrets.Concat(signatures).Append(AlertDeliveryFixture.QueryToken), s => Assert.DoesNotContain(s, logs, StringComparison.Ordinal));

        // The delivery names receivers by position and host, and had nothing to hide in the first place.
        var host = new Uri(program.Receiver.BaseUrl).Authority;
        var delivery = program.Logs.Entries.Where(e => e.Category.StartsWith("BacklogFunctions.Host.Alerts", StringComparison.Ordinal)).ToList();
        Assert.Contains(delivery, e => e.Message == $"Alert {notice.Id} delivered to receiver 0 ({host}) on attempt 1");
        Assert.Contains(delivery, e => e.Level == LogLevel.Error && e.Message.StartsWith($"Alert {notice.Id} to receiver 3 ({host}): attempt 3 failed (no answer within", StringComparison.Ordinal));
        Assert.DoesNotContain(delivery, e => (e.Message + e.State).Contains(SecretRedactor.Mask, StringComparison.Ordinal) || (e.Message + e.State).Contains("/ok/", StringComparison.Ordinal));
    }
}
