using System.Net;
using System.Text.Json;

namespace BacklogFunctions.Integration.Tests;

[Collection(HostCollection.Name)]
public sealed class WebhookTests(BacklogHostFixture host)
{
    [Fact]
    public async Task A_new_event_is_accepted_and_kept_with_its_hash_and_receipt_time()
    {
        var contract = Json.NewContractId();

        var response = await host.PostSignedAsync("/api/events", Json.Signed(contract));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        var history = await Json.ReadAsync(await host.GetWithKeyAsync($"/api/contracts/{contract}/history"));
        var stored = Assert.Single(history.GetProperty("events").EnumerateArray());
        Assert.Equal(body.GetProperty("payloadSha256").GetString(), stored.GetProperty("payloadSha256").GetString());
        Assert.Equal(host.Clock.GetUtcNow(), stored.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal("webhook", stored.GetProperty("channel").GetString());
        Assert.Equal("1200.00", stored.GetProperty("payload").GetProperty("data").GetProperty("lines")[0].GetProperty("amount").GetString());
    }

    [Fact]
    public async Task The_same_event_again_is_a_duplicate_and_stored_once()
    {
        var contract = Json.NewContractId();
        await host.PostSignedAsync("/api/events", Json.Signed(contract));

        var again = await host.PostSignedAsync("/api/events", Json.Signed(contract).Replace("\"1200.00\"", "\"1200\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("duplicate", (await Json.ReadAsync(again)).GetProperty("status").GetString());
        var history = await Json.ReadAsync(await host.GetWithKeyAsync($"/api/contracts/{contract}/history"));
        Assert.Single(history.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task The_same_id_with_other_content_is_a_conflict_and_the_original_is_kept()
    {
        var contract = Json.NewContractId();
        await host.PostSignedAsync("/api/events", Json.Signed(contract));

        var conflict = await host.PostSignedAsync("/api/events", Json.Signed(contract, amount: "9999.00"));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var problem = await Json.ReadAsync(conflict);
        Assert.Contains("other content", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var history = await Json.ReadAsync(await host.GetWithKeyAsync($"/api/contracts/{contract}/history"));
        var stored = Assert.Single(history.GetProperty("events").EnumerateArray());
        Assert.Equal("1200.00", stored.GetProperty("payload").GetProperty("data").GetProperty("lines")[0].GetProperty("amount").GetString());
    }

    [Fact]
    public async Task Events_arriving_out_of_order_are_kept_and_listed_in_effective_order()
    {
        var contract = Json.NewContractId();

        Assert.Equal(HttpStatusCode.Accepted, (await host.PostSignedAsync("/api/events", Json.Invoice(contract, "inv-2", date: "2026-11-01"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostSignedAsync("/api/events", Json.Invoice(contract, "inv-1", date: "2026-10-05"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostSignedAsync("/api/events", Json.Signed(contract))).StatusCode);

        var history = await Json.ReadAsync(await host.GetWithKeyAsync($"/api/contracts/{contract}/history"));
        Assert.Equal(["sig-1", "inv-1", "inv-2"], history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Amounts_of_a_known_contract_are_checked_against_its_currency()
    {
        var contract = Json.NewContractId();
        await host.PostSignedAsync("/api/events", Json.Signed(contract, amount: "120000", currency: "JPY"));

        var response = await host.PostSignedAsync("/api/events", Json.Invoice(contract, "inv-jpy", amount: "100.50"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "data.amount" && e.GetProperty("reason").GetString()!.Contains("JPY allows 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_stores_its_valid_events_and_answers_for_each()
    {
        var contract = Json.NewContractId();
        await host.PostSignedAsync("/api/events", Json.Signed(contract));
        var batch = "[" + string.Join(",",
            Json.Invoice(contract, "b-1"),
            Json.Invoice(contract, "b-2", date: "2026-10-06"),
            """{"id":"b-bad","type":"invoice.issued"}""",
            Json.Signed(contract),
            Json.Signed(contract, amount: "1.00"),
            Json.Invoice(contract, "b-1")) + "]";

        var response = await host.PostSignedAsync("/api/events:batch", batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(["accepted", "accepted", "invalid", "duplicate", "conflict", "duplicate"], body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Contains(body.GetProperty("results")[2].GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "occurredAt");
        var history = await Json.ReadAsync(await host.GetWithKeyAsync($"/api/contracts/{contract}/history"));
        Assert.Equal(3, history.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task A_batch_may_be_ndjson_and_larger_than_one_transaction()
    {
        var contract = Json.NewContractId();
        var lines = Enumerable.Range(1, 250).Select(i => Json.Compact(Json.Invoice(contract, $"n-{i}"))).Prepend(Json.Compact(Json.Signed(contract)));

        var response = await host.PostSignedAsync("/api/events:batch", string.Join('\n', lines), "application/x-ndjson");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(251, (await Json.ReadAsync(response)).GetProperty("accepted").GetInt32());
        var history = await Json.ReadAsync(await host.GetWithKeyAsync($"/api/contracts/{contract}/history"));
        Assert.Equal(251, history.GetProperty("events").GetArrayLength());
    }

    [Theory]
    [InlineData("株式会社サンプル")]
    [InlineData("Zürcher Kantonalbank AG")]
    [InlineData("شركة المثال")]
    [InlineData("Café ☕ Ltd 🚀")]
    public async Task Names_in_any_script_are_kept_exactly(string name)
    {
        var contract = Json.NewContractId();

        var response = await host.PostSignedAsync("/api/events", Json.Signed(contract).Replace("\"Contoso\"", System.Text.Json.JsonSerializer.Serialize(name), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var history = await Json.ReadAsync(await host.GetWithKeyAsync($"/api/contracts/{contract}/history"));
        Assert.Equal(name, history.GetProperty("events")[0].GetProperty("payload").GetProperty("data").GetProperty("customer").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_signature_made_with_the_previous_secret_is_accepted_during_rotation()
    {
        var response = await host.PostSignedAsync("/api/events", Json.Signed(Json.NewContractId()), secret: BacklogHostFixture.OldSecret);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task History_is_not_readable_without_a_key_and_unknown_contracts_are_404()
    {
        var contract = Json.NewContractId();
        await host.PostSignedAsync("/api/events", Json.Signed(contract));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync($"/api/contracts/{contract}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync($"/api/contracts/{contract}/history?code=wrong-key-0123456789")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"/api/contracts/{contract}/history?code={BacklogHostFixture.ReadKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetWithKeyAsync("/api/contracts/C-none/history")).StatusCode);
    }
}
