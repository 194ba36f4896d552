using BacklogFunctions.Host;
using BacklogFunctions.Host.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Integration.Tests;

public sealed class AlertDeliveryOptionsTests
{
    private const string GoodSecret = "alert-secret-0123456789";
    private const string TokenUrl = "https://alerts.example.com/hook?token=abc-query-token-123";

    /// <summary>The program's start-up validation of <c>Alerts</c> with these settings: null when they pass, else the message.</summary>
    private static async Task<string?> ValidateAsync(params string[] settings)
    {
        await using var app = BacklogApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "whsec_very_secret_value_123",
             "--ReadApi:Keys:0", "read-key-0123456789abcdef", .. settings]);
        try
        {
            _ = app.Services.GetRequiredService<IOptions<AlertDeliveryOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
    }

    [Theory]
    [InlineData("Alerts:Webhooks:0:Url is required", "--Alerts:Webhooks:0:Secret", GoodSecret)]
    [InlineData("Alerts:Webhooks:0:Url must be an absolute http or https URL", "--Alerts:Webhooks:0:Url", "/relative/hook?token=abc-query-token-123", "--Alerts:Webhooks:0:Secret", GoodSecret)]
    [InlineData("Alerts:Webhooks:0:Url must be an absolute http or https URL", "--Alerts:Webhooks:0:Url", "ftp://alerts.example.com/hook?token=abc-query-token-123", "--Alerts:Webhooks:0:Secret", GoodSecret)]
    [InlineData("Alerts:Webhooks:0:Url must not carry a user name or password", "--Alerts:Webhooks:0:Url", "https://user:abc-query-token-123@alerts.example.com/hook", "--Alerts:Webhooks:0:Secret", GoodSecret)]
    [InlineData("Alerts:Webhooks:0:Secret must be at least 16 characters", "--Alerts:Webhooks:0:Url", TokenUrl)]
    [InlineData("Alerts:Webhooks:1:Secret must be at least 16 characters", "--Alerts:Webhooks:0:Url", TokenUrl, "--Alerts:Webhooks:0:Secret", GoodSecret, "--Alerts:Webhooks:1:Url", "https://other.example.com/", "--Alerts:Webhooks:1:Secret", "short-secret-99")]
    [InlineData("Alerts:Webhooks:1:Url repeats Alerts:Webhooks:0:Url", "--Alerts:Webhooks:0:Url", TokenUrl, "--Alerts:Webhooks:0:Secret", GoodSecret, "--Alerts:Webhooks:1:Url", TokenUrl, "--Alerts:Webhooks:1:Secret", "alert-secret-other-0123456789")]
    [InlineData("Alerts:Delivery:MaxAttempts must be from 1 to 100", "--Alerts:Delivery:MaxAttempts", "0")]
    [InlineData("Alerts:Delivery:FirstRetryDelay must be from 00:00:00 to 7.00:00:00", "--Alerts:Delivery:FirstRetryDelay", "-00:00:01")]
    [InlineData("Alerts:Delivery:MaxRetryDelay must be from FirstRetryDelay", "--Alerts:Delivery:FirstRetryDelay", "00:10:00", "--Alerts:Delivery:MaxRetryDelay", "00:05:00")]
    [InlineData("Alerts:Delivery:MaxRetryDelay must be from FirstRetryDelay to 7.00:00:00", "--Alerts:Delivery:MaxRetryDelay", "8.00:00:00")]
    [InlineData("Alerts:Delivery:Timeout must be more than 0 and at most 00:05:00", "--Alerts:Delivery:Timeout", "00:00:00")]
    [InlineData("Alerts:Delivery:Timeout must be more than 0 and at most 00:05:00", "--Alerts:Delivery:Timeout", "00:10:00")]
    [InlineData("Alerts:Delivery:Concurrency must be from 1 to 32", "--Alerts:Delivery:Concurrency", "0")]
    public async Task Bad_alert_settings_stop_the_start_by_position_never_showing_a_secret_or_a_url(string message, params string[] settings)
    {
        var error = await ValidateAsync(settings);

        Assert.NotNull(error);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("abc-query-token-123", error, StringComparison.Ordinal);
        Assert.DoesNotContain("alerts.example.com", error, StringComparison.Ordinal);
        Assert.DoesNotContain("alert-secret", error, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret-99", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receivers_are_optional_and_good_ones_pass_with_the_documented_defaults()
    {
        Assert.Null(await ValidateAsync());
        Assert.Null(await ValidateAsync("--Alerts:Webhooks:0:Url", TokenUrl, "--Alerts:Webhooks:0:Secret", GoodSecret, "--Alerts:Webhooks:1:Url", "http://127.0.0.1:8080/alerts", "--Alerts:Webhooks:1:Secret", "alert-secret-other-0123456789",
            "--Alerts:UseDefaults", "false", "--Alerts:Rules:0:Name", "rules are bound elsewhere"));

        var defaults = new AlertDeliverySettings();
        Assert.Equal((6, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10)), (defaults.MaxAttempts, defaults.FirstRetryDelay, defaults.MaxRetryDelay, defaults.Timeout));
    }

    [Theory]
    [InlineData(1, "00:00:30")]
    [InlineData(2, "00:01:00")]
    [InlineData(3, "00:02:00")]
    [InlineData(5, "00:08:00")]
    [InlineData(7, "00:32:00")]
    [InlineData(8, "01:00:00")]
    [InlineData(100, "01:00:00")]
    [InlineData(int.MaxValue, "01:00:00")]
    public void The_wait_after_a_failed_attempt_doubles_from_the_first_delay_up_to_the_longest(int attempt, string expected) =>
        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), new AlertDeliverySettings().RetryDelay(attempt));

    [Fact]
    public void No_wait_at_all_when_the_first_delay_is_zero() =>
        Assert.Equal(TimeSpan.Zero, new AlertDeliverySettings { FirstRetryDelay = TimeSpan.Zero }.RetryDelay(int.MaxValue));
}
