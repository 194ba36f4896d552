using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using BacklogFunctions.Testing;

namespace BacklogFunctions.Infra.Tests;

/// <summary>The Bicep CLI from its NuGet package (restored with the tests, works offline) and the compiled template.</summary>
internal static class Bicep
{
    public static string Infra => Path.Combine(Repository.Root, "infra");

    private static readonly Lazy<JsonElement> Compiled = new(() =>
    {
        var (exit, output, errors) = Run("build", Path.Combine(Infra, "main.bicep"), "--stdout");
        Assert.True(exit == 0, errors);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    });

    /// <summary>The ARM JSON of infra/main.bicep.</summary>
    public static JsonElement Template => Compiled.Value;

    public static (int Exit, string Output, string Errors) Run(params string[] arguments)
    {
        var path = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(path), $"the Bicep CLI is restored with the tests' packages: {path}");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline: no module registry, no telemetry.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "bicep finished");
        return (process.ExitCode, output.Result, errors.Result);
    }

    /// <summary>Every resource of the template and its nested module deployments, with the module it is in.</summary>
    public static IEnumerable<(string Module, JsonElement Resource)> Resources(JsonElement template, string module = "main")
    {
        foreach (var resource in Enumerate(template.GetProperty("resources")))
        {
            yield return (module, resource);
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            {
                foreach (var nested in Resources(resource.GetProperty("properties").GetProperty("template"), resource.GetProperty("name").GetString()!))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A module's nested template.</summary>
    public static JsonElement Module(string name) =>
        Enumerate(Template.GetProperty("resources")).Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name)
            .GetProperty("properties").GetProperty("template");

    public static IEnumerable<JsonElement> OfType(string type) =>
        Resources(Template).Select(r => r.Resource).Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>Resources are an array, or (with symbolic names) an object of them.</summary>
    private static IEnumerable<JsonElement> Enumerate(JsonElement resources) =>
        resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value);
}
