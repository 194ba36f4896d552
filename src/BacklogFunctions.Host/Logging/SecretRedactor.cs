using System.Text.RegularExpressions;

namespace BacklogFunctions.Host.Logging;

/// <summary>
/// Removes secrets from log text: the values of secret query parameters (<c>code</c>, <c>sig</c>, …) and of
/// <c>AccountKey=</c>/<c>SharedAccessKey=</c> in connection strings, and every configured secret wherever it appears.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "[redacted]";

    private readonly string[] _secrets;

    /// <param name="secrets">Configured secret values (webhook secrets, read keys, storage keys, alert receivers' secrets and URL queries); short or empty ones are ignored.</param>
    public SecretRedactor(IEnumerable<string?> secrets) =>
        _secrets = secrets.Where(s => s is { Length: >= 8 }).Select(s => s!).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();

    public string Redact(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            text = SecretParameter().Replace(text, m => m.Groups["name"].Value + Mask);
            text = SecretSetting().Replace(text, m => m.Groups["name"].Value + Mask);
        }

        return text;
    }

    /// <summary>Every secret the configuration holds, for the redactor.</summary>
    public static SecretRedactor FromConfiguration(IConfiguration configuration)
    {
        var secrets = new List<string?>();
        secrets.AddRange(configuration.GetSection("Webhook:Secrets").GetChildren().Select(c => c.Value));
        secrets.AddRange(configuration.GetSection("ReadApi:Keys").GetChildren().Select(c => c.Value));
        foreach (var receiver in configuration.GetSection("Alerts:Webhooks").GetChildren())
        {
            // An alert receiver's secret, and its URL's query (which may carry a token of the receiver's own).
            secrets.Add(receiver["Secret"]);
            if (Uri.TryCreate(receiver["Url"], UriKind.Absolute, out var url) && url.Query.Length > 1)
            {
                secrets.Add(url.Query[1..]);
            }
        }

        foreach (var name in new[] { "Storage:ConnectionString", "AzureWebJobsStorage" })
        {
            if (configuration[name] is { } connection)
            {
                secrets.AddRange(AccountKey().Matches(connection).Select(m => m.Groups["value"].Value));
            }
        }

        return new SecretRedactor(secrets);
    }

    // A URL's query parameter that carries a key or a signature: ?code=, &sig=, x-functions-key=, …
    [GeneratedRegex(@"(?<name>(?:^|[?&;\s""'])(?:code|sig|signature|x-functions-key|access_token|token|secret)=)[^&\s""';,]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    // A connection string's key: AccountKey=…;  SharedAccessKey=…;
    [GeneratedRegex(@"(?<name>(?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;\s""']*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretSetting();

    [GeneratedRegex(@"AccountKey=(?<value>[^;]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AccountKey();
}
