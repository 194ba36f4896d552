using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BacklogFunctions.Host;
using BacklogFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BacklogFunctions.Integration.Tests;

/// <summary>The program as an Azure Functions custom handler: its function folders and its published form.</summary>
public sealed class FunctionAppTests
{
    private static readonly string FunctionsFolder = Path.Combine(Repository.Root, "src", "BacklogFunctions.Host", "functions");

    private static IEnumerable<(string Name, JsonElement Trigger)> Functions() =>
        Directory.GetDirectories(FunctionsFolder).Select(folder =>
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "function.json")));
            var trigger = document.RootElement.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "in" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            return (Path.GetFileName(folder), trigger.Clone());
        });

    [Fact]
    public async Task Every_function_json_names_a_route_the_program_serves_and_every_route_has_a_function()
    {
        // As the Functions host runs it: the invocation routes exist only then.
        await using var app = BacklogApp.Build(["--FUNCTIONS_CUSTOMHANDLER_PORT", "0", "--Storage:ConnectionString", "UseDevelopmentStorage=true", "--Webhook:Secrets:0", "whsec_manifest_0123456789", "--ReadApi:Keys:0", "read-key-0123456789abcdef"]);
        var served = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, trigger) in Functions())
        {
            if (trigger.GetProperty("type").GetString() == "httpTrigger")
            {
                foreach (var method in trigger.GetProperty("methods").EnumerateArray())
                {
                    declared.Add($"{method.GetString()!.ToUpperInvariant()} /api/{trigger.GetProperty("route").GetString()}");
                }
            }
            else
            {
                declared.Add($"POST /{name}");
            }
        }

        Assert.True(!declared.Except(served).Any(), "declared but not served: " + string.Join(", ", declared.Except(served)) + " | served: " + string.Join(", ", served));
        Assert.Empty(served.Except(declared));
    }

    [Fact]
    public void Endpoints_need_a_function_key_in_azure_except_the_signed_webhook_health_and_the_report_page()
    {
        string[] page = ["ReportPage", "ReportPageScript", "ReportPageStyles", "ReportPageSignIn", "ReportPageSignOut", "ReportPageRender", "ReportPageExplain"];
        var http = Functions().Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger").ToList();
        Assert.Subset(http.Select(f => f.Name).ToHashSet(), page.ToHashSet());
        foreach (var (name, trigger) in http)
        {
            var level = trigger.GetProperty("authLevel").GetString();
            // The webhook authenticates by signature; health is public; the report page and what it needs are
            // checked by the program (session cookie or Easy Auth principal, never a key in the URL); everything
            // else needs a function key.
            var expected = name is "Health" or "HealthLive" or "HealthReady" or "Events" or "EventsBatch" || page.Contains(name) ? "anonymous" : "function";
            Assert.True(expected == level, $"{name}: authLevel {level}, expected {expected}");
            if (page.Contains(name))
            {
                Assert.StartsWith("reports/page", trigger.GetProperty("route").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_settings_sample_names_every_binding_setting_and_holds_no_secret()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

        // Every %Setting% and connection a function.json refers to is in the sample.
        foreach (var (name, trigger) in Functions())
        {
            foreach (var property in trigger.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
            {
                var value = property.Value.GetString()!;
                if (value.StartsWith('%') && value.EndsWith('%'))
                {
                    Assert.True(values.ContainsKey(value.Trim('%')), $"{name} uses {value}");
                }
            }

            if (trigger.TryGetProperty("connection", out var connection))
            {
                Assert.True(values.ContainsKey(connection.GetString()!), $"{name} uses connection {connection.GetString()}");
            }
        }

        // Secrets are placeholders.
        Assert.All(values.Where(v => v.Key.Contains("Secret", StringComparison.Ordinal) || v.Key.Contains("Keys", StringComparison.Ordinal) || v.Key == "ServiceBusConnection"),
            v => Assert.Matches("^<.*placeholder>$", v.Value));
    }

    [Fact]
    public async Task The_published_folder_is_a_complete_function_app_that_serves_as_a_custom_handler()
    {
        var output = Directory.CreateTempSubdirectory("functionapp-").FullName;
        try
        {
            await RunAsync(Path.Combine(Repository.Root, "scripts", "publish.sh"), output);

            Assert.True(File.Exists(Path.Combine(output, "host.json")));
            Assert.False(File.Exists(Path.Combine(output, "local.settings.json")));
            Assert.True(File.Exists(Path.Combine(output, "fonts", BacklogFunctions.Reports.ReportFonts.RegularFile)), "the board pack's font is published with the app");
            Assert.True(File.Exists(Path.Combine(output, "fonts", BacklogFunctions.Reports.ReportFonts.BoldFile)));
            foreach (var (name, _) in Functions())
            {
                Assert.True(File.Exists(Path.Combine(output, name, "function.json")), name);
            }

            using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "host.json")));
            var executable = Path.Combine(output, host.RootElement.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!);
            Assert.True(File.Exists(executable), executable);
            Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(executable) & UnixFileMode.UserExecute) != 0, "the executable has its run bit");

            // Run it the way the Functions host does: a port in FUNCTIONS_CUSTOMHANDLER_PORT, settings in the environment.
            await using var azurite = await AzuriteServer.StartAsync();
            var port = FreePort();
            var start = new ProcessStartInfo(executable) { WorkingDirectory = output, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Storage__ConnectionString"] = azurite.ConnectionString;
            start.Environment["Webhook__Secrets__0"] = "whsec_published_0123456789";
            start.Environment["ReadApi__Keys__0"] = "read-key-0123456789abcdef";
            using var process = Process.Start(start)!;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                Assert.True(await EventuallyAsync(async () => await TryGetAsync(client, "/api/health")), "the published program serves on the port the host gave it");

                var envelope = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "..", "shared", "fixtures", "functions-host", "servicebus-single-encoded.json"));
                using var content = new StringContent(envelope, Encoding.UTF8, "application/json");
                var response = await client.PostAsync("/IngestBillingEvent", content);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("evt_1001", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            // Only when the publish got that far, so a failed publish reports its own error.
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static async Task RunAsync(string script, string argument)
    {
        using var process = Process.Start(new ProcessStartInfo(script, [argument]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{script} failed: {await stdout}{await stderr}");
    }

    private static async Task<bool> TryGetAsync(HttpClient client, string path)
    {
        try
        {
            return (await client.GetAsync(path)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
