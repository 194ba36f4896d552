using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace BacklogFunctions.Host.Alerts;

/// <summary>
/// Where fired alerts go and how hard the program tries (section <c>Alerts</c>: its <c>Webhooks</c> and
/// <c>Delivery</c> members; the rules of the same section are bound elsewhere). Secrets come from configuration
/// (Key Vault in Azure) and are never logged; validation messages name a receiver by its position only.
/// </summary>
public sealed class AlertDeliveryOptions : IValidatableObject
{
    public const string Section = "Alerts";

    /// <summary>The shortest secret a receiver may have, as for the inbound webhook.</summary>
    public const int MinSecretLength = 16;

    /// <summary>Receivers of every fired alert (<c>Alerts:Webhooks:N:Url|Secret</c>); none: alerts are stored, not sent.</summary>
    public List<AlertWebhookOptions> Webhooks { get; set; } = [];

    /// <summary>Attempts, backoff and timeout of each delivery.</summary>
    public AlertDeliverySettings Delivery { get; set; } = new();

    /// <summary>The receiver whose URL is exactly <paramref name="url"/> (as a delivery message names it), or null.</summary>
    public AlertWebhookOptions? Receiver(string url, out int index)
    {
        index = Webhooks.FindIndex(w => string.Equals(w.Url, url, StringComparison.Ordinal));
        return index < 0 ? null : Webhooks[index];
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"Alerts:Webhooks:{i}");
            var webhook = Webhooks[i] ?? new AlertWebhookOptions();

            // Never the URL itself (its query may hold a token) and never the secret: the position says which.
            if (string.IsNullOrWhiteSpace(webhook.Url))
            {
                yield return new ValidationResult($"{at}:Url is required", [nameof(Webhooks)]);
            }
            else if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(url.Host))
            {
                yield return new ValidationResult($"{at}:Url must be an absolute http or https URL", [nameof(Webhooks)]);
            }
            else if (url.UserInfo.Length > 0)
            {
                yield return new ValidationResult($"{at}:Url must not carry a user name or password (receivers check the signature)", [nameof(Webhooks)]);
            }
            else if (webhook.Url.Length > Application.Messages.AlertDeliveryMessages.MaxReceiverLength)
            {
                yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"{at}:Url must be at most {Application.Messages.AlertDeliveryMessages.MaxReceiverLength} characters"), [nameof(Webhooks)]);
            }
            else if (Webhooks.FindIndex(w => string.Equals(w?.Url, webhook.Url, StringComparison.Ordinal)) is var first && first < i)
            {
                yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"{at}:Url repeats Alerts:Webhooks:{first}:Url"), [nameof(Webhooks)]);
            }

            if (string.IsNullOrWhiteSpace(webhook.Secret) || webhook.Secret.Length < MinSecretLength)
            {
                yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture, $"{at}:Secret must be at least {MinSecretLength} characters"), [nameof(Webhooks)]);
            }
        }

        var delivery = Delivery ?? new AlertDeliverySettings();
        if (delivery.MaxAttempts is < 1 or > 100)
        {
            yield return new ValidationResult("Alerts:Delivery:MaxAttempts must be from 1 to 100", [nameof(Delivery)]);
        }

        if (delivery.FirstRetryDelay < TimeSpan.Zero || delivery.FirstRetryDelay > AlertDeliverySettings.LongestDelay)
        {
            yield return new ValidationResult("Alerts:Delivery:FirstRetryDelay must be from 00:00:00 to 7.00:00:00", [nameof(Delivery)]);
        }

        if (delivery.MaxRetryDelay < delivery.FirstRetryDelay || delivery.MaxRetryDelay > AlertDeliverySettings.LongestDelay)
        {
            yield return new ValidationResult("Alerts:Delivery:MaxRetryDelay must be from FirstRetryDelay to 7.00:00:00 (the longest a queue message can stay invisible)", [nameof(Delivery)]);
        }

        if (delivery.Timeout <= TimeSpan.Zero || delivery.Timeout > AlertDeliverySettings.LongestTimeout)
        {
            yield return new ValidationResult("Alerts:Delivery:Timeout must be more than 0 and at most 00:05:00", [nameof(Delivery)]);
        }

        if (delivery.Concurrency is < 1 or > 32)
        {
            yield return new ValidationResult("Alerts:Delivery:Concurrency must be from 1 to 32", [nameof(Delivery)]);
        }
    }
}

/// <summary>One receiver of fired alerts: where they are posted and the secret they are signed with.</summary>
public sealed class AlertWebhookOptions
{
    /// <summary>An absolute http or https URL; the receiver is named by its host (or position) in logs, never by its query.</summary>
    public string? Url { get; set; }

    /// <summary>The HMAC secret of <c>Backlog-Signature</c> (at least 16 characters); never logged, never queued.</summary>
    public string? Secret { get; set; }
}

/// <summary>How a delivery is retried: attempt n + 1 is sent <see cref="FirstRetryDelay"/> × 2^(n − 1) after attempt n failed, at most <see cref="MaxRetryDelay"/>.</summary>
public sealed class AlertDeliverySettings
{
    /// <summary>The longest a Storage queue message can be kept invisible.</summary>
    internal static readonly TimeSpan LongestDelay = TimeSpan.FromDays(7);

    internal static readonly TimeSpan LongestTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Attempts per alert and receiver before the delivery moves to <c>alert-deliveries-poison</c>.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the second attempt; it doubles for each further one.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one POST may take, answer included; longer counts as a failed attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Standalone mode: deliveries one instance makes at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long to wait after attempt <paramref name="attempt"/> failed before the next one.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var delay = FirstRetryDelay;
        for (var i = 1; i < attempt && delay > TimeSpan.Zero && delay < MaxRetryDelay; i++)
        {
            delay += delay;
        }

        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}
