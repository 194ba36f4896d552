using System.Globalization;
using System.Text.Json;
using BacklogFunctions.Cli;

namespace BacklogFunctions.Cli.Tests;

/// <summary><c>backlog explain</c>: one contract's figures explained from an event file, as a table and JSON.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private static readonly string[] Figures = ["revenue", "recognizedToDate", "billedToDate", "collectedToDate", "tcv", "backlog", "deferredRevenue", "unbilledReceivable"];

    private readonly string _directory = Directory.CreateTempSubdirectory("backlog-explain-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private string Events()
    {
        var path = Path.Combine(_directory, "events.ndjson");
        File.WriteAllText(path, Run("sample", "--contracts", "20", "--months", "12", "--seed", "8", "--start", "2025-01").Out);
        return path;
    }

    [Theory]
    [InlineData("--period", "2025-10")]
    [InlineData("--as-of", "2025-10-17")]
    [InlineData("--period", "2025-Q3")]
    public void Every_contracts_json_explanation_adds_up_to_its_figures_in_the_snapshot(string option, string value)
    {
        var events = Events();
        var (exit, output, error) = Run("snapshot", "--events", events, option, value, "--format", "json");
        Assert.True(exit == 0, error);
        using var snapshot = JsonDocument.Parse(output);
        var contracts = snapshot.RootElement.GetProperty("contracts").EnumerateArray().ToList();
        Assert.NotEmpty(contracts);

        foreach (var contract in contracts)
        {
            var id = contract.GetProperty("contractId").GetString()!;
            var explained = Run("explain", "--events", events, "--contract", id, option, value, "--format", "json");
            Assert.True(explained.Exit == 0, explained.Err);
            using var json = JsonDocument.Parse(explained.Out);
            var root = json.RootElement;
            Assert.Equal(id, root.GetProperty("contractId").GetString());
            foreach (var figure in Figures)
            {
                Assert.Equal(contract.GetProperty(figure).GetString(), root.GetProperty("figures").GetProperty(figure).GetString());
            }

            Assert.Equal(root.GetProperty("figures").GetProperty("tcv").GetString(), root.GetProperty("tcv").GetProperty("total").GetString());
            Assert.Equal(root.GetProperty("figures").GetProperty("billedToDate").GetString(), root.GetProperty("billed").GetProperty("total").GetString());
            foreach (var e in root.GetProperty("billed").GetProperty("events").EnumerateArray().Concat(root.GetProperty("collected").GetProperty("events").EnumerateArray()))
            {
                Assert.Matches("^[0-9a-f]{64}$", e.GetProperty("payloadSha256").GetString());
                Assert.False(e.TryGetProperty("receivedAt", out _), "an event file has no receipt times");
            }
        }
    }

    [Fact]
    public void The_table_shows_each_line_the_rounding_and_the_contributing_events()
    {
        var events = Events();
        var (exit, output, error) = Run("explain", "--events", events, "--contract", "C-000003", "--period", "2025-10");

        Assert.True(exit == 0, error);
        Assert.StartsWith("Contract C-000003 (", output, StringComparison.Ordinal);
        Assert.Contains("Line ", output, StringComparison.Ordinal);
        Assert.Contains("contract.signed", output, StringComparison.Ordinal);
        Assert.Contains("Billed to date", output, StringComparison.Ordinal);
        Assert.Contains("Figures (from the parts above)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_contract_is_an_error()
    {
        var (exit, output, error) = Run("explain", "--events", Events(), "--contract", "C-404", "--period", "2025-10");

        Assert.NotEqual(0, exit);
        Assert.Empty(output);
        Assert.Contains("unknown contract C-404", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_needs_a_contract_and_writes_no_csv()
    {
        var events = Events();
        Assert.NotEqual(0, Run("explain", "--events", events, "--period", "2025-10").Exit);
        var csv = Run("explain", "--events", events, "--contract", "C-000003", "--period", "2025-10", "--format", "csv");
        Assert.NotEqual(0, csv.Exit);
        Assert.Contains("table or json", csv.Err, StringComparison.Ordinal);
    }
}
