using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Application.Webhooks;
using Polly;
using Polly.Retry;

namespace BacklogFunctions.Cli;

/// <summary>
/// <c>backlog send</c>: sends an NDJSON file to the signed webhook in batches, as a billing system would,
/// retrying what was not acknowledged. The secret comes from the environment, never the command line.
/// </summary>
internal static class SendCommand
{
    public const string SecretVariable = "BACKLOG_WEBHOOK_SECRET";

    public static Command Create(TextWriter stdout, TextWriter stderr, Func<string, string?> environment, TimeProvider clock)
    {
        var events = new Option<string>("--events") { Description = "NDJSON file of events.", Required = true };
        var url = new Option<string?>("--url") { Description = "Base address of the program, e.g. http://127.0.0.1:7071 (the signed webhook)." };
        url.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string?>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                r.AddError("--url must be an absolute http(s) address");
            }
        });
        var batch = new Option<int>("--batch") { Description = "Events per request (1 sends them one by one to /api/events).", DefaultValueFactory = _ => 500 };
        batch.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) { r.AddError("--batch must be 1 to 1000"); } });

        var serviceBus = new ServiceBus.ServiceBusTarget();
        var command = new Command("send", $"Send events to the signed webhook (secret from ${SecretVariable}) or, with --service-bus, to a Service Bus queue.") { events, url, batch };
        serviceBus.AddTo(command);
        command.Validators.Add(r =>
        {
            if ((r.GetValue(url) is null) == (r.GetValue(serviceBus.Namespace) is null) && r.GetValue(url) is not null)
            {
                r.AddError("give --url (webhook) or --service-bus (queue), not both");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(url) is null)
            {
                return await ServiceBus.ServiceBusSendCommand.RunAsync(parse, parse.GetValue(events)!, serviceBus, stdout, stderr, environment, cancellationToken).ConfigureAwait(false);
            }

            var secret = environment(SecretVariable);
            if (string.IsNullOrEmpty(secret))
            {
                stderr.WriteLine($"set {SecretVariable} to the webhook secret");
                return 1;
            }

            string[] lines;
            try
            {
                lines = (await File.ReadAllLinesAsync(parse.GetValue(events)!, cancellationToken).ConfigureAwait(false)).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
            }
            catch (IOException ex)
            {
                stderr.WriteLine($"cannot read events: {ex.Message}");
                return 1;
            }

            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!), Timeout = TimeSpan.FromMinutes(2) };
            var totals = new Dictionary<string, int>(StringComparer.Ordinal);
            var size = parse.GetValue(batch);
            foreach (var chunk in lines.Chunk(size))
            {
                var (status, body) = await PostAsync(http, chunk, size == 1, secret, clock, cancellationToken).ConfigureAwait(false);
                if (status is not (HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.BadRequest or HttpStatusCode.Conflict))
                {
                    stderr.WriteLine($"the program answered {(int)status}: {body}");
                    return 2;
                }

                Count(totals, size == 1, status, body);
            }

            int Get(string key) => totals.GetValueOrDefault(key);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sent {lines.Length:N0} events: {Get("accepted"):N0} stored, {Get("duplicate"):N0} duplicates, {Get("invalid"):N0} invalid, {Get("conflict"):N0} conflicts"));
            return Get("invalid") + Get("conflict") > 0 ? 2 : 0;
        });
        return command;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string[] lines, bool single, string secret, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 8,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => r.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout),
            })
            .Build();

        using var response = await pipeline.ExecuteAsync(
            async token =>
            {
                // Signed at each attempt: a retry must not fall outside the tolerance window.
                using var request = new HttpRequestMessage(HttpMethod.Post, single ? "/api/events" : "/api/events:batch") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(single ? "application/json" : "application/x-ndjson");
                request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
                return await http.SendAsync(request, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    private static void Count(Dictionary<string, int> totals, bool single, HttpStatusCode status, string body)
    {
        if (single)
        {
            var key = status switch
            {
                HttpStatusCode.Accepted => "accepted",
                HttpStatusCode.OK => "duplicate",
                HttpStatusCode.Conflict => "conflict",
                _ => "invalid",
            };
            totals[key] = totals.GetValueOrDefault(key) + 1;
            return;
        }

        using var document = JsonDocument.Parse(body);
        foreach (var (key, name) in new[] { ("accepted", "accepted"), ("duplicate", "duplicates"), ("invalid", "invalid"), ("conflict", "conflicts") })
        {
            totals[key] = totals.GetValueOrDefault(key) + document.RootElement.GetProperty(name).GetInt32();
        }
    }
}
