using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using BacklogFunctions.Host;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Storage;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>A real Azurite and the real program on 127.0.0.1, talking HTTP; the clock is fake.</summary>
public sealed class BacklogHostFixture : ProgramFixture
{
    public const string Secret = "whsec_test_0123456789abcdef";
    public const string OldSecret = "whsec_old_fedcba9876543210";
    public const string ReadKey = "read-key-0123456789abcdef";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    public string QueueName { get; } = "billing-events";

    protected override WebApplication Build(string connectionString) => BacklogApp.Build(
        [
            "--FUNCTIONS_CUSTOMHANDLER_PORT", "0", // as the Functions host runs it: the invocation routes are served
            "--Storage:ConnectionString", connectionString,
            "--Storage:ListenToQueue", "true",
            "--Storage:MaxDequeueCount", "2",
            "--Webhook:Secrets:0", Secret,
            "--Webhook:Secrets:1", OldSecret,
            "--Webhook:MaxEventBytes", "65536",
            "--Webhook:MaxBatchBytes", "1048576",
            "--ReadApi:Keys:0", ReadKey,
            "--Logging:LogLevel:Default", "Warning",
        ],
        builder => builder.Services.AddSingleton<TimeProvider>(Clock));

    /// <summary>A second instance of the program on the same storage, listening to another queue.</summary>
    public async Task<WebApplication> StartAnotherHostAsync(string queueName, int maxDequeueCount)
    {
        var app = BacklogApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--Storage:ConnectionString", Azurite.ConnectionString,
                "--Storage:ListenToQueue", "true",
                "--Storage:BillingEventsQueue", queueName,
                "--Storage:MaxDequeueCount", maxDequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Webhook:Secrets:0", Secret,
                "--ReadApi:Keys:0", ReadKey,
                "--Logging:LogLevel:Default", "Warning",
            ],
            builder => builder.Services.AddSingleton<TimeProvider>(Clock));
        await app.StartAsync();
        return app;
    }

    public Task<HttpResponseMessage> PostSignedAsync(string path, string body, string contentType = "application/json", string? secret = Secret, long? timestamp = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (secret is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(secret, timestamp ?? Clock.GetUtcNow().ToUnixTimeSeconds(), bytes));
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetWithKeyAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", ReadKey);
        return Client.SendAsync(request);
    }

    public TableClient Events => new TableServiceClient(Azurite.ConnectionString).GetTableClient(TableEventStore.EventsTable);

    public TableClient Rejected => new TableServiceClient(Azurite.ConnectionString).GetTableClient(TableRejectedEventStore.Table);

    public QueueClient Queue(string name) => new QueueServiceClient(Azurite.ConnectionString).GetQueueClient(name);
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<BacklogHostFixture>
{
    public const string Name = "host on Azurite";
}
