using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using BacklogFunctions.Application.Alerts;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Cli;

/// <summary>
/// <c>backlog targets --file F</c> checks a target file as the program reads it and uploads it (<c>PUT
/// /api/targets</c>) as the next target version; <c>backlog targets list</c> reads a version back. The key comes from
/// the environment, never the command line.
/// </summary>
internal static class TargetsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var file = new Option<string?>("--file") { Description = "Target file: CSV with the header period,currency,figure,amount." };
        var url = FxCommand.Url();
        var fiscalYearStartMonth = new Option<int>("--fiscal-year-start-month") { Description = "First month of the fiscal year (1-12) the program closes with, to check FY periods before sending.", DefaultValueFactory = _ => 1 };
        fiscalYearStartMonth.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 12) { r.AddError("--fiscal-year-start-month must be 1-12"); } });
        var command = new Command("targets", $"Upload a target file as the next target version; the latest one counts for the closes after it. Checked here first: a file with any problem is not sent (key from ${PeriodsCommand.KeyVariable}).") { file, url, fiscalYearStartMonth };
        command.Subcommands.Add(List(stdout, stderr, environment));
        command.Validators.Add(r =>
        {
            if (r.GetResult(file) is null)
            {
                r.AddError("give the target file with --file (or use backlog targets list)");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            byte[] body;
            try
            {
                body = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"cannot read the target file: {ex.Message}");
                return 1;
            }

            // Read as the program reads it: a file the program would refuse is not sent at all.
            var parsed = body.Length > TargetFile.MaxBytes ? null : TargetFile.Parse(body, parse.GetValue(fiscalYearStartMonth));
            if (parsed is null)
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path} has {body.Length:N0} bytes; a target file has at most {TargetFile.MaxBytes:N0}. Nothing was sent."));
                return FxCommand.Refused;
            }

            if (!parsed.IsValid)
            {
                foreach (var error in parsed.Errors)
                {
                    stderr.WriteLine(error.ToString());
                }

                if (parsed.MoreErrors > 0)
                {
                    stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"and {parsed.MoreErrors:N0} more"));
                }

                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{parsed.Errors.Count + parsed.MoreErrors:N0} problem(s) in {path}; nothing was sent."));
                return FxCommand.Refused;
            }

            if (FxCommand.Client(parse.GetValue(url), stderr, environment) is not { } http)
            {
                return 1;
            }

            using (http)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(TargetFile.MediaType) { CharSet = "utf-8" };
                var (status, answer) = await FxCommand.SendAsync(http, new HttpRequestMessage(HttpMethod.Put, "/api/targets") { Content = content }, stderr, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return status == 0 ? FxCommand.Refused : FxCommand.Problem(stderr, status, answer);
                }

                using var document = JsonDocument.Parse(answer);
                var root = document.RootElement;
                var periods = root.GetProperty("periods").EnumerateArray().Select(p => p.GetString()).ToList();
                var span = periods.Count == 0 ? string.Empty : periods.Count == 1 ? $" for {periods[0]}" : string.Create(CultureInfo.InvariantCulture, $" for {periods.Count:N0} periods ({periods[0]} to {periods[^1]})");
                stdout.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"stored target version {root.GetProperty("version").GetInt32()}: {root.GetProperty("targets").GetInt32():N0} targets{span}, uploaded at {root.GetProperty("uploadedAt").GetString()}"));
                return 0;
            }
        });
        return command;
    }

    private static Command List(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var url = FxCommand.Url();
        var version = VersionOption("Target version to read (1, 2, …); the latest without it.");
        var command = new Command("list", "The targets of a stored version, in file order.") { url, version };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (FxCommand.Client(parse.GetValue(url), stderr, environment) is not { } http)
            {
                return 1;
            }

            using (http)
            {
                var path = "/api/targets" + (parse.GetValue(version) is { } v ? string.Create(CultureInfo.InvariantCulture, $"?version={v}") : string.Empty);
                var (status, answer) = await FxCommand.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, path), stderr, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return status == 0 ? FxCommand.Refused : FxCommand.Problem(stderr, status, answer);
                }

                using var document = JsonDocument.Parse(answer);
                var root = document.RootElement;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target version {root.GetProperty("version").GetInt32()}, uploaded at {root.GetProperty("uploadedAt").GetString()}"));
                stdout.WriteLine($"{"period",-10}  {"currency",-8}  {"figure",-16}  {"amount",22}");
                foreach (var target in root.GetProperty("targets").EnumerateArray())
                {
                    var currency = Currency.Of(target.GetProperty("currency").GetString()!);
                    stdout.WriteLine($"{target.GetProperty("period").GetString(),-10}  {currency.Code,-8}  {target.GetProperty("figure").GetString(),-16}  {SnapshotTable.Money(currency, Number(target.GetProperty("amount"))),22}");
                }

                return 0;
            }
        });
        return command;
    }

    /// <summary>A version option: a whole number from 1.</summary>
    internal static Option<int?> VersionOption(string description)
    {
        var version = new Option<int?>("--version") { Description = description };
        version.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--version must be 1 or more");
            }
        });
        return version;
    }

    /// <summary>A JSON money or ratio string as a number.</summary>
    internal static decimal Number(JsonElement value) =>
        decimal.Parse(value.GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
