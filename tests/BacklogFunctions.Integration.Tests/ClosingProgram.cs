using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Application.Webhooks;
using BacklogFunctions.Host;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BacklogFunctions.Integration.Tests;

/// <summary>
/// The program as the Functions host runs it (custom handler on loopback), on its own Azurite, with a fake clock:
/// what the close, consolidation and explanation tests drive over real HTTP — signed event batches, the timer
/// invocation exactly as the host sends it, and reads with the read key.
/// </summary>
internal sealed class ClosingProgram : IAsyncDisposable
{
    public const string Secret = "whsec_closing_0123456789abcdef";
    public const string Key = "read-key-closing-0123456789abcdef";

    private ClosingProgram(AzuriteServer azurite, WebApplication app, FakeTimeProvider clock)
    {
        Azurite = azurite;
        App = app;
        Clock = clock;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        Client.DefaultRequestHeaders.Add("x-functions-key", Key);
    }

    public AzuriteServer Azurite { get; }

    public WebApplication App { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>A client that sends the read key.</summary>
    public HttpClient Client { get; }

    /// <param name="settings">More settings as command-line pairs, e.g. <c>--Close:ReportingCurrency USD</c>.</param>
    public static Task<ClosingProgram> StartAsync(DateTimeOffset now, params string[] settings) =>
        StartAsync(now, ["--FUNCTIONS_CUSTOMHANDLER_PORT", "0"], settings);

    /// <summary>The program standalone, with its own queue listeners (report rendering, alert delivery), on loopback.</summary>
    public static Task<ClosingProgram> StartStandaloneAsync(DateTimeOffset now, params string[] settings) =>
        StartAsync(now, ["--urls", "http://127.0.0.1:0", "--Storage:ListenToQueue", "true"], settings);

    private static async Task<ClosingProgram> StartAsync(DateTimeOffset now, string[] hosting, string[] settings)
    {
        var azurite = await AzuriteServer.StartAsync();
        var clock = new FakeTimeProvider(now);
        var app = BacklogApp.Build(
            [
                .. settings,
                .. hosting,
                "--Storage:ConnectionString", azurite.ConnectionString,
                "--Webhook:Secrets:0", Secret,
                "--Webhook:MaxBatchBytes", "16777216",
                "--Webhook:MaxBatchEvents", "5000",
                "--ReadApi:Keys:0", Key,
                "--Logging:LogLevel:Default", "Warning",
            ],
            builder => builder.Services.AddSingleton<TimeProvider>(clock));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await azurite.DisposeAsync();
            throw;
        }

        return new ClosingProgram(azurite, app, clock);
    }

    /// <summary>Sends the lines as one signed batch; every event must be stored (none invalid, none conflicting).</summary>
    public async Task SendAsync(IEnumerable<string> lines)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events:batch") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(Secret, Clock.GetUtcNow().ToUnixTimeSeconds(), body));
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await Json.ReadAsync(response);
        Assert.Equal(0, result.GetProperty("invalid").GetInt32() + result.GetProperty("conflicts").GetInt32());
    }

    /// <summary>The timer invocation exactly as the Functions host sends it; answers the close's log line.</summary>
    public async Task<string> TimerAsync()
    {
        var envelope = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "..", "shared", "fixtures", "functions-host", "timer.json"));
        using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
        var response = await Client.PostAsync("/MonthEndClose", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("Logs")[0].GetString()!;
    }

    /// <summary>A successful JSON answer (the test fails with the status and body otherwise).</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json.ReadAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        finally
        {
            await Azurite.DisposeAsync();
        }
    }
}
