using System.Diagnostics;
using System.Net;
using System.Text.Json;
using BacklogFunctions.Host;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>Liveness and readiness on a real Azurite, while it serves and after it stopped.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Readiness_follows_storage_and_liveness_does_not_and_neither_shows_a_secret()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var app = BacklogApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Storage:ConnectionString", azurite.ConnectionString,
            "--Storage:MaxRetries", "6",
            "--Health:TimeoutSeconds", "1",
            "--Webhook:Secrets:0", "whsec_health_0123456789abcdef",
            "--ReadApi:Keys:0", "read-key-0123456789abcdef",
            "--Logging:LogLevel:Default", "None",
        ]);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        foreach (var path in new[] { "/api/health", "/api/health/ready" })
        {
            var (status, body) = await GetAsync(client, path);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("healthy", body.GetProperty("status").GetString());
            Assert.Equal(["blobs", "queues", "tables"], body.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
            Assert.All(body.GetProperty("checks").EnumerateObject(), c => Assert.Equal("healthy", c.Value.GetProperty("status").GetString()));
        }

        await azurite.StopAsync();

        var watch = Stopwatch.StartNew();
        var (downStatus, down) = await GetAsync(client, "/api/health/ready");
        watch.Stop();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, downStatus);
        Assert.Equal("unhealthy", down.GetProperty("status").GetString());
        Assert.All(down.GetProperty("checks").EnumerateObject(), c => Assert.Equal("unhealthy", c.Value.GetProperty("status").GetString()));
        // The checks run at once, each cut off after one second, although the storage clients retry six times.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"readiness answered after {watch.Elapsed}");
        var text = down.GetRawText();
        Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("devstoreaccount1", text, StringComparison.Ordinal);

        var (liveStatus, live) = await GetAsync(client, "/api/health/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.Empty(live.GetProperty("checks").EnumerateObject());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
