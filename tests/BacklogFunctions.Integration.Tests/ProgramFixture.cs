using Azure.Data.Tables;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;

namespace BacklogFunctions.Integration.Tests;

/// <summary>A real Azurite and the real program on 127.0.0.1, talking HTTP; each fixture says how the program is built.</summary>
public abstract class ProgramFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public AzuriteServer Azurite { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>The program on the given storage, not yet started.</summary>
    protected abstract WebApplication Build(string connectionString);

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        _app = Build(Azurite.ConnectionString);
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        try
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }
        finally
        {
            await Azurite.DisposeAsync();
        }
    }

    public TableClient Table(string name) => new TableServiceClient(Azurite.ConnectionString).GetTableClient(name);

    /// <summary>Every stored event row, as (partition, row, hash), and every contract row: to prove that refused input changed nothing.</summary>
    public async Task<List<string>> StoreContentsAsync()
    {
        var rows = new List<string>();
        await foreach (var e in Table(TableEventStore.EventsTable).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "PayloadSha256"]))
        {
            rows.Add($"{e.PartitionKey}/{e.RowKey}/{e.GetString("PayloadSha256")}");
        }

        await foreach (var c in Table(TableEventStore.ContractsTable).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            rows.Add($"contract:{c.RowKey}");
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
