using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using BacklogFunctions.Application.Consolidation;

namespace BacklogFunctions.Cli;

/// <summary>
/// <c>backlog fx import</c> sends a rate file to the program (<c>PUT /api/fx-rates</c>); <c>backlog fx list</c> reads
/// the stored rates back. The key comes from the environment, never the command line.
/// </summary>
internal static class FxCommand
{
    /// <summary>Exit code when the program refused the file or could not answer.</summary>
    public const int Refused = 2;

    public static Command Create(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var command = new Command("fx", $"FX rates for consolidation into the reporting currency (key from ${PeriodsCommand.KeyVariable}).");
        command.Subcommands.Add(Import(stdout, stderr, environment));
        command.Subcommands.Add(List(stdout, stderr, environment));
        return command;
    }

    private static Command Import(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var file = new Option<string>("--file") { Description = "Rate file: CSV with the header date,currency,rate.", Required = true };
        var url = Url();
        var command = new Command("import", "Upload a rate file; every rate of it is stored, or none when any row is wrong.") { file, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (Client(parse.GetValue(url), stderr, environment) is not { } http)
            {
                return 1;
            }

            using (http)
            {
                byte[] body;
                try
                {
                    body = await File.ReadAllBytesAsync(parse.GetValue(file)!, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"cannot read the rate file: {ex.Message}");
                    return 1;
                }

                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(FxRateFile.MediaType) { CharSet = "utf-8" };
                var (status, answer) = await SendAsync(http, new HttpRequestMessage(HttpMethod.Put, "/api/fx-rates") { Content = content }, stderr, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return status == 0 ? Refused : Problem(stderr, status, answer);
                }

                using var document = JsonDocument.Parse(answer);
                var root = document.RootElement;
                var currencies = string.Join(", ", root.GetProperty("currencies").EnumerateArray().Select(c => c.GetString()));
                stdout.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"stored {root.GetProperty("rates").GetInt32():N0} rates into {root.GetProperty("reportingCurrency").GetString()} ({currencies}) from {root.GetProperty("from").GetString()} to {root.GetProperty("to").GetString()}, uploaded at {root.GetProperty("uploadedAt").GetString()}"));
                return 0;
            }
        });
        return command;
    }

    private static Command List(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var url = Url();
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd)." };
        var to = new Option<string?>("--to") { Description = "Last day (yyyy-MM-dd)." };
        var currency = new Option<string?>("--currency") { Description = "Only this currency (ISO 4217, e.g. EUR)." };
        foreach (var day in new[] { from, to })
        {
            day.Validators.Add(r =>
            {
                if (!DateOnly.TryParseExact(r.GetValueOrDefault<string?>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    r.AddError($"{day.Name} must be a day such as 2026-11-30");
                }
            });
        }

        var command = new Command("list", "The stored rates, by currency, date and upload time (the last one of a date and currency counts).") { url, from, to, currency };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (Client(parse.GetValue(url), stderr, environment) is not { } http)
            {
                return 1;
            }

            using (http)
            {
                var query = new List<string>();
                foreach (var (name, value) in new[] { ("from", parse.GetValue(from)), ("to", parse.GetValue(to)), ("currency", parse.GetValue(currency)) })
                {
                    if (value is not null)
                    {
                        query.Add($"{name}={Uri.EscapeDataString(value)}");
                    }
                }

                var path = "/api/fx-rates" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
                var (status, answer) = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, path), stderr, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return status == 0 ? Refused : Problem(stderr, status, answer);
                }

                using var document = JsonDocument.Parse(answer);
                var root = document.RootElement;
                stdout.WriteLine($"into {root.GetProperty("reportingCurrency").GetString()}");
                stdout.WriteLine($"{"date",-10}  {"currency",-8}  {"rate",-24}  uploaded at");
                foreach (var rate in root.GetProperty("rates").EnumerateArray())
                {
                    stdout.WriteLine($"{rate.GetProperty("date").GetString(),-10}  {rate.GetProperty("currency").GetString(),-8}  {rate.GetProperty("rate").GetString(),-24}  {rate.GetProperty("uploadedAt").GetString()}");
                }

                return 0;
            }
        });
        return command;
    }

    internal static Option<string> Url()
    {
        var url = new Option<string>("--url") { Description = "Base address of the program, e.g. http://127.0.0.1:7071.", Required = true };
        url.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                r.AddError("--url must be an absolute http(s) address");
            }
        });
        return url;
    }

    internal static HttpClient? Client(string? url, TextWriter stderr, Func<string, string?> environment)
    {
        var key = environment(PeriodsCommand.KeyVariable);
        if (string.IsNullOrEmpty(key))
        {
            stderr.WriteLine($"set {PeriodsCommand.KeyVariable} to a read key of the program");
            return null;
        }

        var http = new HttpClient { BaseAddress = new Uri(url!), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("x-functions-key", key);
        return http;
    }

    /// <summary>The status and body of the answer; status 0 when the program could not be reached (said on standard error).</summary>
    internal static async Task<(int Status, string Body)> SendAsync(HttpClient http, HttpRequestMessage request, TextWriter stderr, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                stderr.WriteLine($"cannot reach the program at {http.BaseAddress}: {ex.Message}");
                return (0, string.Empty);
            }
        }
    }

    /// <summary>The program's refusal: each line and field of a bad file, or its problem's detail.</summary>
    internal static int Problem(TextWriter stderr, int status, string answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"line {error.GetProperty("line").GetInt32()}, {error.GetProperty("field").GetString()}: {error.GetProperty("message").GetString()}"));
                }

                var more = root.TryGetProperty("moreErrors", out var count) ? count.GetInt32() : 0;
                if (more > 0)
                {
                    stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"and {more:N0} more"));
                }

                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{errors.GetArrayLength() + more:N0} problem(s) in the file; nothing was stored."));
                return Refused;
            }

            if (root.TryGetProperty("detail", out var detail))
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the program answered {status}: {root.GetProperty("title").GetString()}: {detail.GetString()}"));
                return Refused;
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page?): shown as it came.
        }

        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the program answered {status}: {answer}"));
        return Refused;
    }
}
