using System.Text.Json;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// Progress lines through the month-end close on a real Azurite (recognition.md): the setting Close:ProgressDecimals
/// is the close's and is stored with it, the catch-up of IFRS 15 example 8 lands in the month of the modification,
/// a loss contract is flagged in the stored snapshot, and a progress report that reaches into a closed month is a
/// prior-period adjustment of the first open one.
/// </summary>
public sealed class ProgressCloseTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task The_close_uses_and_stores_progress_decimals_flags_loss_contracts_and_a_late_report_is_a_prior_period_adjustment(int shards)
    {
        await using var program = await ClosingProgram.StartAsync(
            new DateTimeOffset(2027, 3, 2, 3, 0, 0, TimeSpan.Zero),
            "--Close:ProgressDecimals", "3",
            "--Close:Shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Storage:ListenToQueue", shards > 0 ? "true" : "false");
        _program = program;
        await _program.SendAsync(
        [
            """{"id":"e1","type":"contract.signed","occurredAt":"2026-01-05T12:00:00Z","contractId":"C-8","data":{"signedDate":"2026-01-05","currency":"USD","customer":{"id":"K1","name":"Builder"},"lines":[{"lineId":"B1","amount":"1000000.00","recognition":"progress","measure":"cost","estimatedTotal":"700000"}]}}""",
            """{"id":"e2","type":"progress.reported","occurredAt":"2026-12-31T12:00:00Z","contractId":"C-8","data":{"lineId":"B1","date":"2026-12-31","toDate":"420000"}}""",
            """{"id":"e3","type":"contract.amended","occurredAt":"2027-02-10T12:00:00Z","contractId":"C-8","data":{"effectiveDate":"2027-02-10","lines":[{"lineId":"B1","amount":"1350000.00","recognition":"progress","measure":"cost","estimatedTotal":"820000"}]}}""",
            """{"id":"e4","type":"contract.signed","occurredAt":"2027-01-10T12:00:00Z","contractId":"C-9","data":{"signedDate":"2027-01-10","currency":"USD","customer":{"id":"K2","name":"Fitter"},"lines":[{"lineId":"F1","amount":"1000.00","recognition":"progress","measure":"cost","estimatedTotal":"1500.5"}]}}""",
        ]);

        await _program.TimerAsync();
        await ClosedAsync("2027-02");

        var february = await _program.GetAsync("/api/periods/2027-02/snapshot");
        Assert.Equal(3, february.GetProperty("policy").GetProperty("progressDecimals").GetInt32());
        Assert.Equal("91200.00", Usd(february).GetProperty("revenue").GetString());
        var loss = Assert.Single(february.GetProperty("lossContracts").EnumerateArray());
        Assert.Equal("C-9/F1/500.50", $"{loss.GetProperty("contractId").GetString()}/{loss.GetProperty("lineId").GetString()}/{loss.GetProperty("expectedLoss").GetString()}");
        Assert.Equal("600000.00", Usd(await _program.GetAsync("/api/periods/2026-12/snapshot")).GetProperty("recognizedToDate").GetString());

        // 300 of 1500.5 incurred by 20 February, reported after February was closed: 20.0% of 1000.00.
        await _program.SendAsync(["""{"id":"e5","type":"progress.reported","occurredAt":"2027-03-05T12:00:00Z","contractId":"C-9","data":{"lineId":"F1","date":"2027-02-20","toDate":"300"}}"""]);
        _program.Clock.SetUtcNow(new DateTimeOffset(2027, 4, 1, 3, 0, 0, TimeSpan.Zero));
        await _program.TimerAsync();
        await ClosedAsync("2027-03");

        var march = Usd(await _program.GetAsync("/api/periods/2027-03/snapshot"));
        var backlog = march.GetProperty("rollForward").GetProperty("backlog");
        Assert.Equal("-200.00", backlog.GetProperty("priorPeriodAdjustments").GetString());
        Assert.Equal("0.00", backlog.GetProperty("difference").GetString());
        Assert.Equal("0.00", march.GetProperty("revenue").GetString());
        Assert.Equal("91200.00", Usd(await _program.GetAsync("/api/periods/2027-02/snapshot")).GetProperty("revenue").GetString());
    }

    private ClosingProgram _program = null!;

    private async Task ClosedAsync(string period) =>
        Assert.True(
            await StandaloneFixture.EventuallyAsync(async () => (await _program.Client.GetAsync($"/api/periods/{period}/snapshot")).IsSuccessStatusCode, seconds: 60),
            $"{period} closed");

    private static JsonElement Usd(JsonElement snapshot) =>
        snapshot.GetProperty("totals").EnumerateArray().Single(t => t.GetProperty("currency").GetString() == "USD");
}
