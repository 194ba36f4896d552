using System.Net;
using System.Text;
using BacklogFunctions.Host;
using BacklogFunctions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Integration.Tests;

public sealed class StartupAndLimitsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 1)]
    [InlineData(101, 2)]
    [InlineData(250, 3)]
    public void Transactions_hold_at_most_100_entities(int rows, int transactions)
    {
        var groups = TableEventStore.SplitIntoTransactions(Enumerable.Range(0, rows), _ => 1_000).ToList();

        Assert.Equal(transactions, groups.Count);
        Assert.All(groups, g => Assert.InRange(g.Count, 1, 100));
        Assert.Equal(Enumerable.Range(0, rows), groups.SelectMany(g => g));
    }

    [Fact]
    public void Transactions_stay_under_4_MiB_even_when_Azurite_would_accept_more()
    {
        // 100 rows of 60,000 bytes (a 30,000-character payload in UTF-16) would be 5.7 MiB in one batch.
        var groups = TableEventStore.SplitIntoTransactions(Enumerable.Range(0, 100), _ => 60_000).ToList();

        Assert.True(groups.Count >= 2);
        Assert.All(groups, g => Assert.True(g.Count * 60_000 < TableEventStore.MaxBatchBytes));
    }

    [Theory]
    [InlineData("Webhook:Secrets:0", "at least one webhook secret is required")]
    [InlineData("ReadApi:Keys:0", "at least one read key")]
    [InlineData("Storage:ConnectionString", "set Storage:ConnectionString")]
    public async Task The_program_refuses_to_start_without_required_settings_and_never_shows_a_secret(string missing, string message)
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Webhook:Secrets:0"] = "whsec_very_secret_value_123",
            ["ReadApi:Keys:0"] = "read-key-0123456789abcdef",
        };
        settings.Remove(missing);
        var args = settings.SelectMany(s => new[] { "--" + s.Key, s.Value }).Concat(["--urls", "http://127.0.0.1:0"]).ToArray();

        await using var app = BacklogApp.Build(args);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_very_secret_value_123", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Close:Proration", "weekly", "Close:Proration 'weekly' is not one of daily, monthly, monthly-prorated")]
    [InlineData("Close:Proration", "Daily", "Close:Proration 'Daily'")]
    [InlineData("Close:DeferredBasis", "cash", "Close:DeferredBasis 'cash' is not one of billed, collected")]
    public async Task An_unknown_policy_name_stops_the_start_instead_of_closing_with_a_default(string setting, string value, string message)
    {
        await using var app = BacklogApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "whsec_very_secret_value_123",
             "--ReadApi:Keys:0", "read-key-0123456789abcdef", "--" + setting, value]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Figure=ebitda", "Alerts:Rules:0:Figure 'ebitda' is not a figure")]
    [InlineData("Figure=targetVariancePct:ebitda", "Alerts:Rules:0:Figure 'targetVariancePct:ebitda' is not a figure")]
    [InlineData("Currency=eur", "Alerts:Rules:0:Currency 'eur' must be an ISO 4217 code, '*' (each currency) or 'consolidated'")]
    [InlineData("Operator==<", "Alerts:Rules:0:Operator '=<' must be one of <, <=, >, >=")]
    [InlineData("Threshold=", "Alerts:Rules:0:Threshold is required")]
    [InlineData("ForMonths=0", "Alerts:Rules:0:ForMonths must be 1 to 24")]
    [InlineData("ForMonths=25", "Alerts:Rules:0:ForMonths must be 1 to 24")]
    [InlineData("Severity=high", "Alerts:Rules:0:Severity 'high' must be warning or critical")]
    [InlineData("Name=", "Alerts:Rules:0:Name is required")]
    [InlineData("Name=a|b", "Alerts:Rules:0:Name is required: 1 to 100 characters without '|'")]
    [InlineData("Name=GRR below 0.9", "Alerts:Rules:0:Name 'GRR below 0.9' is used by another rule (or a default")]
    public async Task A_bad_alert_rule_stops_the_start_and_names_the_rule(string change, string message)
    {
        var rule = new Dictionary<string, string>
        {
            ["Name"] = "Revenue below plan",
            ["Figure"] = "targetVariancePct:revenue",
            ["Currency"] = "EUR",
            ["Operator"] = "<",
            ["Threshold"] = "-0.05",
            ["ForMonths"] = "2",
            ["Severity"] = "critical",
        };
        var (key, value) = (change[..change.IndexOf('=', StringComparison.Ordinal)], change[(change.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        rule[key] = value;
        await using var app = BacklogApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "whsec_very_secret_value_123",
             "--ReadApi:Keys:0", "read-key-0123456789abcdef", .. rule.SelectMany(r => new[] { "--Alerts:Rules:0:" + r.Key, r.Value })]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_rules_follow_the_defaults_unless_the_defaults_are_turned_off()
    {
        string[] common = ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "whsec_very_secret_value_123", "--ReadApi:Keys:0", "read-key-0123456789abcdef",
            "--Alerts:Rules:0:Name", "Group backlog", "--Alerts:Rules:0:Figure", "backlog", "--Alerts:Rules:0:Currency", "consolidated", "--Alerts:Rules:0:Operator", "<", "--Alerts:Rules:0:Threshold", "1000000"];
        using var withDefaults = BacklogApp.Build(common);
        using var alone = BacklogApp.Build([.. common, "--Alerts:UseDefaults", "false"]);

        var rules = withDefaults.Services.GetRequiredService<Application.Alerts.AlertSettings>().Rules;
        Assert.Equal([.. Domain.Alerts.AlertRule.Defaults, new Domain.Alerts.AlertRule("Group backlog", "backlog", "consolidated", Domain.Alerts.AlertOperator.Less, 1_000_000m, 1, Domain.Alerts.AlertSeverity.Warning)], rules);
        Assert.Equal(["Group backlog"], alone.Services.GetRequiredService<Application.Alerts.AlertSettings>().Rules.Select(r => r.Name));
    }

    [Fact]
    public async Task Trusting_the_functions_hosts_key_check_is_refused_outside_the_host_and_honoured_behind_it()
    {
        string[] common = ["--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "whsec_very_secret_value_123", "--ReadApi:TrustFunctionsHost", "true"];
        await using (var standalone = BacklogApp.Build([.. common, "--urls", "http://127.0.0.1:0"]))
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => standalone.StartAsync());
            Assert.Contains("applies only behind the Azure Functions host", error.Message, StringComparison.Ordinal);
        }

        await using var behind = BacklogApp.Build([.. common, "--FUNCTIONS_CUSTOMHANDLER_PORT", "0"]);
        var options = behind.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReadApiOptions>>().Value;
        Assert.True(options.HostChecksKeys);
    }

    [Fact]
    public async Task A_weak_secret_is_refused_by_position_not_by_value()
    {
        await using var app = BacklogApp.Build(["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "short-secret", "--ReadApi:Keys:0", "read-key-0123456789abcdef"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("webhook secret 0 must be at least 16 characters", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/IngestBillingEvent", "Nothing was changed")]
    [InlineData("POST", "/api/events", "The event was not stored; send it again.")]
    [InlineData("POST", "/api/events:batch", "send the whole batch again")]
    [InlineData("GET", "/api/periods", "Nothing was changed")]
    [InlineData("GET", "/api/periods/2026-10/snapshot", "Nothing was changed")]
    [InlineData("GET", "/api/contracts/C-1/history", "Nothing was changed")]
    [InlineData("GET", "/api/reports", "Nothing was changed")]
    public async Task When_storage_is_down_every_route_answers_503_with_what_to_do(string method, string path, string detail)
    {
        // Nothing listens on this port; no retries, so the failure is immediate. A function invocation that fails
        // makes the Functions host retry the message.
        var dead = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        const string secret = "whsec_very_secret_value_123";
        const string key = "read-key-0123456789abcdef";
        await using var app = BacklogApp.Build(
            ["--FUNCTIONS_CUSTOMHANDLER_PORT", "0", "--Storage:ConnectionString", dead, "--Storage:MaxRetries", "0", "--Webhook:Secrets:0", secret, "--ReadApi:Keys:0", key, "--Logging:LogLevel:Default", "None"],
            builder => builder.Services.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>());
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var eventJson = """{"id":"e1","type":"payment.received","occurredAt":"2026-10-03T12:00:00Z","contractId":"C-1","data":{"paymentId":"P-1","date":"2026-10-03","amount":"1.00"}}""";
        var body = path switch
        {
            "/IngestBillingEvent" => System.Text.Json.JsonSerializer.Serialize(new { Data = new { message = eventJson }, Metadata = new { DeliveryCount = "1" } }),
            "/api/events:batch" => "[" + eventJson + "]",
            _ => eventJson,
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("x-functions-key", key);
        if (method == "POST")
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation(Application.Webhooks.WebhookSignature.Header, Application.Webhooks.WebhookSignature.Sign(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), bytes));
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        Assert.Equal("Storage is unavailable", problem.GetProperty("title").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
