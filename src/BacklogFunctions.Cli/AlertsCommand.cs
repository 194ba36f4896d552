using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Cli;

/// <summary>
/// <c>backlog alerts --period P</c>: a closed month's alert evaluation (<c>GET /api/periods/{P}/alerts</c>) — the fired
/// alerts first, critical first as the program orders them, then the rules that did not fire with why — and its
/// targets against actual (<c>GET /api/periods/{P}/targets</c> of the same version). The key comes from the
/// environment, never the command line.
/// </summary>
internal static class AlertsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var url = FxCommand.Url();
        var period = new Option<string>("--period") { Description = "The closed month (2026-11).", Required = true };
        period.Validators.Add(r =>
        {
            if (!Period.TryParse(r.GetValueOrDefault<string>(), out _))
            {
                r.AddError("--period must be a month such as 2026-11; alerts are evaluated for closed months");
            }
        });
        var version = TargetsCommand.VersionOption("The month's closed version (1, 2, …); the latest without it.");
        var format = new Option<string>("--format") { Description = "table: for people; summary: one line per fired rule and how far off plan; json: what the program answered, {\"alerts\": …, \"targets\": …}.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "summary", "json");
        var command = new Command("alerts", $"The alert rules evaluated at a month's close, fired first, and its targets against actual (key from ${PeriodsCommand.KeyVariable}).") { url, period, version, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (FxCommand.Client(parse.GetValue(url), stderr, environment) is not { } http)
            {
                return 1;
            }

            using (http)
            {
                var month = Uri.EscapeDataString(parse.GetValue(period)!);
                var wanted = parse.GetValue(version) is { } v ? string.Create(CultureInfo.InvariantCulture, $"?version={v}") : string.Empty;
                var (status, alerts) = await FxCommand.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, $"/api/periods/{month}/alerts{wanted}"), stderr, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return status == 0 ? FxCommand.Refused : FxCommand.Problem(stderr, status, alerts);
                }

                // The targets of the very version the alerts were read of, even when a restatement lands in between.
                using var alertsDocument = JsonDocument.Parse(alerts);
                var closed = alertsDocument.RootElement.GetProperty("version").GetInt32();
                (status, var targets) = await FxCommand.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"/api/periods/{month}/targets?version={closed}")), stderr, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return status == 0 ? FxCommand.Refused : FxCommand.Problem(stderr, status, targets);
                }

                using var targetsDocument = JsonDocument.Parse(targets);
                if (parse.GetValue(format) == "json")
                {
                    stdout.Write(Json(alertsDocument.RootElement, targetsDocument.RootElement));
                    stdout.Write('\n');
                }
                else if (parse.GetValue(format) == "summary")
                {
                    using var summary = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
                    WriteSummary(summary, alertsDocument.RootElement, targetsDocument.RootElement);
                    stdout.Write(summary.ToString());
                }
                else
                {
                    using var table = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
                    WriteAlerts(table, alertsDocument.RootElement);
                    table.WriteLine();
                    WriteTargets(table, targetsDocument.RootElement);
                    stdout.Write(table.ToString());
                }

                stdout.Flush();
                return 0;
            }
        });
        return command;
    }

    /// <summary>Both answers as they came, in one object.</summary>
    private static string Json(JsonElement alerts, JsonElement targets)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("alerts");
            alerts.WriteTo(writer);
            writer.WritePropertyName("targets");
            targets.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Fired alerts in the program's order (critical first), then every rule that did not fire with its note.</summary>
    internal static void WriteAlerts(TextWriter output, JsonElement root)
    {
        var alerts = root.GetProperty("alerts").EnumerateArray().ToList();
        var fired = alerts.Where(a => a.GetProperty("fired").GetBoolean()).ToList();
        var quiet = alerts.Where(a => !a.GetProperty("fired").GetBoolean()).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alerts for {root.GetProperty("period").GetString()} (version {root.GetProperty("version").GetInt32()}): {fired.Count} fired, {quiet.Count} did not"));
        if (alerts.Count == 0)
        {
            output.WriteLine("  no rules were evaluated");
            return;
        }

        var nameWidth = alerts.Max(a => a.GetProperty("name").GetString()!.Length);
        foreach (var (title, rows) in new[] { ("fired", fired), ("did not fire", quiet) })
        {
            if (rows.Count == 0)
            {
                continue;
            }

            output.WriteLine();
            output.WriteLine($"  {title}");
            output.WriteLine($"  {"severity",-8}  {"currency",-12}  {"rule".PadRight(nameWidth)}  {"actual",16}  note");
            foreach (var alert in rows)
            {
                output.WriteLine($"  {alert.GetProperty("severity").GetString(),-8}  {alert.GetProperty("currency").GetString(),-12}  {alert.GetProperty("name").GetString()!.PadRight(nameWidth)}  {alert.GetProperty("actual").GetString(),16}  {alert.GetProperty("note").GetString()}");
            }
        }
    }

    /// <summary>
    /// The short form: one line per fired rule (critical first) with each currency's actual, then how many checks
    /// did not fire and how many targets are more than 5% off plan.
    /// </summary>
    internal static void WriteSummary(TextWriter output, JsonElement alerts, JsonElement targets)
    {
        var all = alerts.GetProperty("alerts").EnumerateArray().ToList();
        var fired = all.Where(a => a.GetProperty("fired").GetBoolean()).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alerts for {alerts.GetProperty("period").GetString()} (version {alerts.GetProperty("version").GetInt32()}): {fired.Count} of {all.Count} checks fired"));
        foreach (var rule in fired.GroupBy(a => a.GetProperty("name").GetString()!, StringComparer.Ordinal))
        {
            var first = rule.First();
            var where = string.Join(", ", rule.Select(a => $"{a.GetProperty("currency").GetString()} {a.GetProperty("actual").GetString()}"));
            output.WriteLine($"  {first.GetProperty("severity").GetString(),-8}  {rule.Key}: {where} ({first.GetProperty("operator").GetString()} {first.GetProperty("threshold").GetString()})");
        }

        var planned = targets.GetProperty("targets").EnumerateArray().ToList();
        var off = planned.Count(t => t.GetProperty("variancePct").GetString() is { } pct && pct != FigureColumns.NotAvailable
            && Math.Abs(decimal.Parse(pct, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)) > 0.05m);
        output.WriteLine(planned.Count == 0
            ? "  no targets for this month"
            : string.Create(CultureInfo.InvariantCulture, $"  {off} of {planned.Count} targets more than 5% off plan (backlog alerts --period … for every check and target)"));
    }

    /// <summary>Each target against its actual: money with the currency's digits, variance % as a percentage; n/a stays n/a.</summary>
    internal static void WriteTargets(TextWriter output, JsonElement root)
    {
        var targets = root.GetProperty("targets").EnumerateArray().ToList();
        var plan = root.TryGetProperty("targetsVersion", out var targetsVersion) && targetsVersion.ValueKind == JsonValueKind.Number
            ? string.Create(CultureInfo.InvariantCulture, $"target version {targetsVersion.GetInt32()}")
            : "no target version";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"targets against actual for {root.GetProperty("period").GetString()} (version {root.GetProperty("version").GetInt32()}, {plan})"));
        if (targets.Count == 0)
        {
            output.WriteLine("  no targets: none of the target version was for this month, or no target file was uploaded before it closed");
            return;
        }

        output.WriteLine($"  {"currency",-8}  {"figure",-16}  {"target",20}  {"actual",20}  {"variance",20}  {"variance %",10}");
        foreach (var target in targets)
        {
            var currency = Currency.Of(target.GetProperty("currency").GetString()!);
            string Money(string name) => target.GetProperty(name).GetString() is { } text && text != FigureColumns.NotAvailable
                ? SnapshotTable.Money(currency, TargetsCommand.Number(target.GetProperty(name)))
                : FigureColumns.NotAvailable + " ";
            output.WriteLine($"  {currency.Code,-8}  {target.GetProperty("figure").GetString(),-16}  {Money("target"),20}  {Money("actual"),20}  {Money("variance"),20}  {Percent(target.GetProperty("variancePct").GetString()),10}");
        }
    }

    /// <summary>A variance % fraction (−0.0512) as a percentage (−5.12%); n/a as it is.</summary>
    private static string Percent(string? fraction) =>
        fraction is null || fraction == FigureColumns.NotAvailable
            ? FigureColumns.NotAvailable
            : (decimal.Parse(fraction, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * 100m).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + "%";
}
