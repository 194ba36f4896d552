using System.Globalization;
using System.Text.Json;
using BacklogFunctions.Cli;

namespace BacklogFunctions.Cli.Tests;

/// <summary><c>backlog journal</c>: a month's journal from an event file, as a table, JSON and CSV.</summary>
public sealed class JournalCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("backlog-journal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private string Events()
    {
        var path = Path.Combine(_directory, "events.ndjson");
        File.WriteAllText(path, Run("sample", "--contracts", "30", "--months", "12", "--seed", "8", "--start", "2025-01").Out);
        return path;
    }

    [Fact]
    public void The_json_journal_balances_per_currency_and_names_its_accounts()
    {
        var (exit, output, error) = Run("journal", "--events", Events(), "--period", "2025-10", "--format", "json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(("2025-10", "summary"), (json.RootElement.GetProperty("period").GetString(), json.RootElement.GetProperty("detail").GetString()));
        var lines = json.RootElement.GetProperty("lines").EnumerateArray().ToList();
        Assert.NotEmpty(lines);
        foreach (var currency in lines.GroupBy(l => l.GetProperty("currency").GetString()))
        {
            Assert.Equal(currency.Sum(l => Amount(l, "debit")), currency.Sum(l => Amount(l, "credit")));
        }

        Assert.All(lines, l => Assert.True((Amount(l, "debit") == 0m) != (Amount(l, "credit") == 0m)));
        Assert.Subset(new HashSet<string?> { "Accounts receivable", "Revenue", "Deferred revenue", "Unbilled receivable", "Cash" }, lines.Select(l => l.GetProperty("account").GetString()).ToHashSet());
        Assert.All(lines, l => Assert.False(l.TryGetProperty("contractId", out _)));
    }

    [Fact]
    public void The_contract_detail_carries_the_contracts_and_adds_up_to_the_summary()
    {
        var events = Events();

        var summary = Run("journal", "--events", events, "--period", "2025-10", "--format", "csv");
        var detail = Run("journal", "--events", events, "--period", "2025-10", "--format", "csv", "--detail", "contract");
        var table = Run("journal", "--events", events, "--period", "2025-10");

        Assert.True(detail.Exit == 0, detail.Err);
        Assert.StartsWith("period,version,currency,account,entry,debit,credit,memo,contractId,customerId,customerName,customerSegment,region,salesOwner", detail.Out, StringComparison.Ordinal);
        Assert.Equal(Net(summary.Out), Net(detail.Out));
        Assert.Contains("balanced", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT BALANCED", table.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2025-Q4")]
    [InlineData("FY2025")]
    public void A_journal_is_of_a_month(string period)
    {
        var (exit, output, error) = Run("journal", "--events", Events(), "--period", period);

        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("Accounts receivable", output, StringComparison.Ordinal);
        Assert.Contains("journal reports a month", error, StringComparison.Ordinal);
    }

    private static decimal Amount(JsonElement line, string name) => decimal.Parse(line.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    /// <summary>Debit − credit per currency and account, from a journal CSV.</summary>
    private static Dictionary<string, decimal> Net(string csv) =>
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(','))
            .GroupBy(f => f[2] + "/" + f[3])
            .ToDictionary(g => g.Key, g => g.Sum(f => decimal.Parse(f[5], CultureInfo.InvariantCulture) - decimal.Parse(f[6], CultureInfo.InvariantCulture)));
}
