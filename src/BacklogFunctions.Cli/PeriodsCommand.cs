using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BacklogFunctions.Application.Presentation;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Cli;

/// <summary>
/// <c>backlog periods</c>: the closed periods read back from the program's API, month by month per currency.
/// The read key comes from the environment, never the command line.
/// </summary>
internal static class PeriodsCommand
{
    public const string KeyVariable = "BACKLOG_READ_KEY";

    public static Command Create(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var url = new Option<string>("--url") { Description = "Base address of the program, e.g. http://127.0.0.1:7071.", Required = true };
        var command = new Command("periods", $"Closed periods from the program: backlog, deferred revenue, revenue and backlog ratio per currency, and the group figures in the reporting currency (key from ${KeyVariable}).") { url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = environment(KeyVariable);
            if (string.IsNullOrEmpty(key) || !Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var address))
            {
                stderr.WriteLine($"set {KeyVariable} and give --url as an absolute address");
                return 1;
            }

            using var http = new HttpClient { BaseAddress = address };
            http.DefaultRequestHeaders.Add("x-functions-key", key);
            using var response = await http.GetAsync(new Uri("/api/periods", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                stderr.WriteLine($"the program answered {(int)response.StatusCode}: {body}");
                return 2;
            }

            using var document = JsonDocument.Parse(body);
            var rows = document.RootElement.GetProperty("periods").EnumerateArray()
                .SelectMany(p => p.GetProperty("totals").EnumerateArray().Select(t => (Period: p.GetProperty("period").GetString()!, Version: p.GetProperty("version").GetInt32(), Totals: t)))
                .GroupBy(r => r.Totals.GetProperty("currency").GetString()!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var currency in rows)
            {
                var c = Currency.Of(currency.Key);
                stdout.WriteLine();
                stdout.WriteLine($"{c.Code}  {"period",-8} {"v",2} {"backlog",20} {"deferred revenue",20} {"revenue",18} {"backlog ratio",14}");
                foreach (var (period, version, totals) in currency)
                {
                    string Money(string name) => SnapshotTable.Money(c, decimal.Parse(totals.GetProperty(name).GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"     {period,-8} {version,2} {Money("backlog"),20} {Money("deferredRevenue"),20} {Money("revenue"),18} {totals.GetProperty("backlogRatio").GetString(),13} "));
                }
            }

            WriteGroup(stdout, document.RootElement.GetProperty("periods"));
            return 0;
        });
        return command;
    }

    /// <summary>The group figures in the reporting currency, month by month; a month whose rates are missing says which.</summary>
    private static void WriteGroup(TextWriter stdout, JsonElement periods)
    {
        var months = periods.EnumerateArray()
            .Where(p => p.TryGetProperty("consolidated", out var group) && group.ValueKind == JsonValueKind.Object)
            .ToList();
        if (months.Count == 0)
        {
            return;
        }

        var c = Currency.Of(months[^1].GetProperty("consolidated").GetProperty("currency").GetString()!);
        stdout.WriteLine();
        stdout.WriteLine($"Group in {c.Code} (every currency translated: balances at the closing rate, flows at the average rate)");
        stdout.WriteLine($"{c.Code}  {"period",-8} {"v",2} {"backlog",20} {"FX effect",18} {"revenue",18} {"backlog ratio",14}");
        foreach (var month in months)
        {
            var group = month.GetProperty("consolidated");
            var period = month.GetProperty("period").GetString()!;
            var version = month.GetProperty("version").GetInt32();
            if (group.TryGetProperty("missingRates", out var missing))
            {
                var named = string.Join(", ", missing.EnumerateArray().Select(m => $"{m.GetProperty("currency").GetString()} {m.GetProperty("kind").GetString()} rate of {m.GetProperty("date").GetString()}"));
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"     {period,-8} {version,2} not available, rates missing: {named}"));
                continue;
            }

            string Money(string name) => SnapshotTable.Money(c, decimal.Parse(group.GetProperty(name).GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"     {period,-8} {version,2} {Money("backlog"),20} {Money("fxEffectBacklog"),18} {Money("revenue"),18} {group.GetProperty("backlogRatio").GetString(),13} "));
        }
    }
}
