using System.ComponentModel.DataAnnotations;
using BacklogFunctions.Domain.Money;
using BacklogFunctions.Domain.Snapshots;

namespace BacklogFunctions.Host;

/// <summary>The signed webhook. Secrets come from configuration (Key Vault in Azure) and are never logged.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhook";

    /// <summary>Every secret a signature may be made with: two during a rotation.</summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary>How old (or how far in the future) a signature's timestamp may be.</summary>
    [Range(1, 3600)]
    public int ToleranceSeconds { get; set; } = 300;

    [Range(1024, 16 * 1024 * 1024)]
    public int MaxEventBytes { get; set; } = 256 * 1024;

    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    [Range(1, 10_000)]
    public int MaxBatchEvents { get; set; } = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Secrets.Count == 0)
        {
            yield return new ValidationResult("at least one webhook secret is required (Webhook:Secrets:0)", [nameof(Secrets)]);
        }

        for (var i = 0; i < Secrets.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Secrets[i]) || Secrets[i].Length < 16)
            {
                // The message names the position only, never the value.
                yield return new ValidationResult($"webhook secret {i} must be at least 16 characters", [nameof(Secrets)]);
            }
        }
    }
}

/// <summary>
/// Keys for the read endpoints (a configured key locally and standalone). Behind the Functions host, read
/// endpoints are <c>authLevel: function</c>: the host checks the function key before it forwards a request, so
/// <see cref="TrustFunctionsHost"/> lets the program rely on that instead of keeping its own keys.
/// </summary>
public sealed class ReadApiOptions : IValidatableObject
{
    public const string Section = "ReadApi";

    public List<string> Keys { get; set; } = [];

    /// <summary>Leave key checks to the Functions host (only honoured when the program runs behind it).</summary>
    public bool TrustFunctionsHost { get; set; }

    /// <summary>Set from <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>: the program runs as the host's custom handler on loopback.</summary>
    internal bool BehindFunctionsHost { get; set; }

    /// <summary>True when requests reaching the program have passed the Functions host's key check.</summary>
    public bool HostChecksKeys => TrustFunctionsHost && BehindFunctionsHost;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TrustFunctionsHost && !BehindFunctionsHost)
        {
            yield return new ValidationResult("ReadApi:TrustFunctionsHost applies only behind the Azure Functions host (FUNCTIONS_CUSTOMHANDLER_PORT is not set); configure ReadApi:Keys:0 instead", [nameof(TrustFunctionsHost)]);
        }
        else if (!HostChecksKeys && (Keys.Count == 0 || Keys.Any(k => string.IsNullOrWhiteSpace(k) || k.Length < 16)))
        {
            yield return new ValidationResult("at least one read key of 16 or more characters is required (ReadApi:Keys:0)", [nameof(Keys)]);
        }
    }
}

/// <summary>Where the data lives: a connection string (Azurite, local) or service URIs with a managed identity (Azure).</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>The Storage queue billing systems send to in standalone mode.</summary>
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string BillingEventsQueue { get; set; } = "billing-events";

    /// <summary>Listen on <see cref="BillingEventsQueue"/> (standalone mode); in Azure the Functions host does.</summary>
    public bool ListenToQueue { get; set; }

    /// <summary>Retries of a storage call (exponential backoff from 0.2 s to 5 s) before it counts as failed.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 6;

    /// <summary>How many queue messages are handled at once.</summary>
    [Range(1, 64)]
    public int QueueConcurrency { get; set; } = 16;

    /// <summary>After this many failed deliveries a message goes to the poison queue.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && (TableServiceUri is null || BlobServiceUri is null || QueueServiceUri is null))
        {
            yield return new ValidationResult("set Storage:ConnectionString, or Storage:TableServiceUri, BlobServiceUri and QueueServiceUri", [nameof(ConnectionString)]);
        }
    }
}

/// <summary>The month-end close.</summary>
public sealed class CloseOptions : IValidatableObject
{
    public const string Section = "Close";

    /// <summary>When the standalone scheduler checks for months to close (5-field cron, UTC): daily at 02:00.</summary>
    public string Schedule { get; set; } = "0 2 * * *";

    /// <summary>Run the schedule in this program (standalone mode); in Azure the Functions timer does.</summary>
    public bool RunScheduler { get; set; }

    /// <summary>The time zone whose calendar decides when a month has ended (IANA id).</summary>
    public string ReportingTimeZone { get; set; } = "UTC";

    /// <summary>How ratable lines are spread: a name of <see cref="PolicyNames.ProrationNames"/>.</summary>
    public string Proration { get; set; } = "daily";

    /// <summary>What deferred revenue is measured against: a name of <see cref="PolicyNames.DeferredBasisNames"/>.</summary>
    public string DeferredBasis { get; set; } = "billed";

    /// <summary>Fraction digits progress lines' progress ratio is rounded to before use (0-10); empty (the default): the exact ratio.</summary>
    [Range(0, 10)]
    public int? ProgressDecimals { get; set; }

    /// <summary>
    /// 0 (the default): each month is closed in this process with one scan of the events. 1 to 16: each month is
    /// fanned out to this many shards over the <c>close-shards</c> queue, so many instances share a large close.
    /// </summary>
    [Range(0, 16)]
    public int Shards { get; set; }

    /// <summary>Standalone mode: shards one instance runs at once.</summary>
    [Range(1, 16)]
    public int ShardConcurrency { get; set; } = 2;

    /// <summary>The first month of the fiscal year (1-12): FY2027 with 7 is July 2026 to June 2027.</summary>
    [Range(1, 12)]
    public int FiscalYearStartMonth { get; set; } = 1;

    /// <summary>
    /// The currency the group figures are consolidated into (ISO 4217, e.g. <c>USD</c>); empty (the default): no
    /// consolidation, every figure stays per currency.
    /// </summary>
    public string? ReportingCurrency { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ReportingCurrency) && !Currency.TryOf(ReportingCurrency, out _))
        {
            yield return new ValidationResult($"Close:ReportingCurrency '{ReportingCurrency}' is not an ISO 4217 currency code", [nameof(ReportingCurrency)]);
        }

        if (!Cronos.CronExpression.TryParse(Schedule, out _))
        {
            yield return new ValidationResult($"Close:Schedule '{Schedule}' is not a 5-field cron expression", [nameof(Schedule)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(ReportingTimeZone, out _))
        {
            yield return new ValidationResult($"Close:ReportingTimeZone '{ReportingTimeZone}' is not a known time zone", [nameof(ReportingTimeZone)]);
        }

        if (!PolicyNames.TryParseProration(Proration, out _))
        {
            yield return new ValidationResult($"Close:Proration '{Proration}' is not one of {string.Join(", ", PolicyNames.ProrationNames)}", [nameof(Proration)]);
        }

        if (!PolicyNames.TryParseDeferredBasis(DeferredBasis, out _))
        {
            yield return new ValidationResult($"Close:DeferredBasis '{DeferredBasis}' is not one of {string.Join(", ", PolicyNames.DeferredBasisNames)}", [nameof(DeferredBasis)]);
        }
    }
}

/// <summary>
/// The journal's general-ledger accounts (journal.md): each one's name as the ledger knows it, code included
/// (<c>Journal__Accounts__Revenue=4000 Subscription revenue</c>); the plain names by default.
/// </summary>
public sealed class JournalOptions
{
    public const string Section = "Journal";

    public JournalAccountOptions Accounts { get; set; } = new();

    public Application.Journal.JournalAccounts ToAccounts() => new()
    {
        AccountsReceivable = Accounts.AccountsReceivable,
        Revenue = Accounts.Revenue,
        DeferredRevenue = Accounts.DeferredRevenue,
        UnbilledReceivable = Accounts.UnbilledReceivable,
        Cash = Accounts.Cash,
    };
}

/// <summary>The five accounts' names; each 1 to 100 characters.</summary>
public sealed class JournalAccountOptions
{
    [Required, StringLength(100, MinimumLength = 1)]
    public string AccountsReceivable { get; set; } = Application.Journal.JournalAccounts.Default.AccountsReceivable;

    [Required, StringLength(100, MinimumLength = 1)]
    public string Revenue { get; set; } = Application.Journal.JournalAccounts.Default.Revenue;

    [Required, StringLength(100, MinimumLength = 1)]
    public string DeferredRevenue { get; set; } = Application.Journal.JournalAccounts.Default.DeferredRevenue;

    [Required, StringLength(100, MinimumLength = 1)]
    public string UnbilledReceivable { get; set; } = Application.Journal.JournalAccounts.Default.UnbilledReceivable;

    [Required, StringLength(100, MinimumLength = 1)]
    public string Cash { get; set; } = Application.Journal.JournalAccounts.Default.Cash;
}

/// <summary>Report rendering, downloads and the report page's sign-in.</summary>
public sealed class ReportsOptions : IValidatableObject
{
    public const string Section = "Reports";

    /// <summary>A folder with the board pack's font files; default <c>fonts/</c> next to the program.</summary>
    public string? FontDirectory { get; set; }

    /// <summary>How long a download link works, in minutes (at most 15).</summary>
    [Range(1, 15)]
    public int LinkMinutes { get; set; } = 15;

    /// <summary>How long a report page session lasts after signing in with a read key, in minutes (no sliding).</summary>
    [Range(1, 480)]
    public int SessionMinutes { get; set; } = 30;

    /// <summary>
    /// Behind the Functions host with App Service Authentication (Easy Auth) in front: the page accepts the
    /// principal the platform signed in (<c>X-MS-CLIENT-PRINCIPAL-ID</c>). Only honoured behind the host.
    /// </summary>
    public bool TrustEasyAuth { get; set; }

    /// <summary>Set from <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>: the program runs as the host's custom handler on loopback.</summary>
    internal bool BehindFunctionsHost { get; set; }

    /// <summary>True when the Easy Auth principal headers come from the platform and may be trusted.</summary>
    public bool EasyAuth => TrustEasyAuth && BehindFunctionsHost;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TrustEasyAuth && !BehindFunctionsHost)
        {
            yield return new ValidationResult("Reports:TrustEasyAuth applies only behind the Azure Functions host with App Service Authentication in front (FUNCTIONS_CUSTOMHANDLER_PORT is not set); standalone, finance signs in with a read key", [nameof(TrustEasyAuth)]);
        }
    }
}

/// <summary>The health endpoints.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>How long each storage service may take to answer the readiness check, in seconds.</summary>
    [Range(1, 30)]
    public int TimeoutSeconds { get; set; } = 2;
}

/// <summary>
/// Standalone hosting (containers): consume billing events from a Service Bus queue with a processor. In Azure
/// Functions the host's Service Bus trigger delivers them instead, so these settings are refused there.
/// </summary>
public sealed class ServiceBusOptions : IValidatableObject
{
    public const string Section = "ServiceBus";

    /// <summary>The namespace's host name (<c>sb-x.servicebus.windows.net</c>), reached with <c>DefaultAzureCredential</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>A connection string instead (a secret: from the environment or Key Vault, never logged).</summary>
    public string? ConnectionString { get; set; }

    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$")]
    public string Queue { get; set; } = "billing-events";

    /// <summary>Messages handled at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrentCalls { get; set; } = 8;

    /// <summary>How long a message's lock is renewed while it is handled.</summary>
    [Range(1, 60)]
    public int MaxLockRenewalMinutes { get; set; } = 5;

    /// <summary>Set from <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>.</summary>
    internal bool BehindFunctionsHost { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Namespace) || !string.IsNullOrWhiteSpace(ConnectionString);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Namespace) && !string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("set ServiceBus:Namespace or ServiceBus:ConnectionString, not both", [nameof(Namespace)]);
        }

        if (!string.IsNullOrWhiteSpace(Namespace) && Uri.CheckHostName(Namespace) != UriHostNameType.Dns)
        {
            yield return new ValidationResult("ServiceBus:Namespace must be the namespace's host name, e.g. sb-backlog.servicebus.windows.net", [nameof(Namespace)]);
        }

        if (Enabled && BehindFunctionsHost)
        {
            yield return new ValidationResult("ServiceBus settings apply only standalone: behind the Azure Functions host the IngestBillingEvent trigger receives the queue", [nameof(Namespace)]);
        }
    }
}
