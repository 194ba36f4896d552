using System.Text.Json;
using System.Text.RegularExpressions;
using BacklogFunctions.Host;
using BacklogFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Infra.Tests;

/// <summary>
/// infra/ compiled and linted with the Bicep CLI, and the compiled ARM JSON checked for the security properties
/// and the settings the program needs, so a deployment cannot start and then fail on configuration.
/// </summary>
public partial class InfraTests
{
    private static readonly string[] RequiredRoles =
    [
        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner (Functions host, user-delegation keys)
        "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
        "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
        "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", // Azure Service Bus Data Receiver
        "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
        "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
    ];

    [Fact]
    public void Every_bicep_file_builds_and_lints_with_no_error_and_no_warning()
    {
        var files = Directory.GetFiles(Bicep.Infra, "*.bicep", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("main.bicep", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var (exit, output, errors) = Bicep.Run("lint", file);
            Assert.True(exit == 0 && !errors.Contains("Warning", StringComparison.Ordinal) && !output.Contains("Warning", StringComparison.Ordinal), $"{file}: {output}{errors}");
        }

        Assert.Equal("subscriptionDeploymentTemplate.json#", Bicep.Template.GetProperty("$schema").GetString()![^"subscriptionDeploymentTemplate.json#".Length..]);
    }

    [Fact]
    public void A_secret_in_an_output_fails_the_lint()
    {
        // The checks can fail: a template that outputs a secure parameter is rejected.
        var folder = Directory.CreateTempSubdirectory("bicep-").FullName;
        try
        {
            File.Copy(Path.Combine(Bicep.Infra, "bicepconfig.json"), Path.Combine(folder, "bicepconfig.json"));
            File.WriteAllText(Path.Combine(folder, "leak.bicep"), "@secure()\nparam webhookSecret string\noutput leaked string = webhookSecret\n");
            var (exit, output, errors) = Bicep.Run("lint", Path.Combine(folder, "leak.bicep"));
            Assert.NotEqual(0, exit);
            Assert.Contains("outputs-should-not-contain-secrets", output + errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_function_app_runs_the_custom_handler_on_flex_consumption_over_https_with_its_identity()
    {
        var plan = Assert.Single(Bicep.OfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean(), "Linux");

        var site = Assert.Single(Bicep.OfType("Microsoft.Web/sites"));
        var properties = site.GetProperty("properties");
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", properties.GetProperty("siteConfig").GetProperty("minTlsVersion").GetString());
        Assert.Equal("Disabled", properties.GetProperty("siteConfig").GetProperty("ftpsState").GetString());
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        Assert.StartsWith("[parameters('identityId')]", properties.GetProperty("keyVaultReferenceIdentity").GetString(), StringComparison.Ordinal);
        var config = properties.GetProperty("functionAppConfig");
        Assert.Equal("custom", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal("[parameters('maximumInstanceCount')]", config.GetProperty("scaleAndConcurrency").GetProperty("maximumInstanceCount").GetString());

        var basicAuth = Bicep.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(2, basicAuth.Count);
        Assert.All(basicAuth, p => Assert.False(p.GetProperty("properties").GetProperty("allow").GetBoolean()));
    }

    [Fact]
    public void Storage_takes_only_identities_over_tls_1_2_and_nothing_is_public()
    {
        var account = Assert.Single(Bicep.OfType("Microsoft.Storage/storageAccounts"));
        var properties = account.GetProperty("properties");
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
        Assert.All(Bicep.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => Assert.Equal("None", c.GetProperty("properties").GetProperty("publicAccess").GetString()));

        // Reports are deleted after the retention the deployment chose.
        var rule = Assert.Single(Bicep.OfType("Microsoft.Storage/storageAccounts/managementPolicies")).GetProperty("properties").GetProperty("policy").GetProperty("rules")[0];
        Assert.Equal("[parameters('reportRetentionDays')]", rule.GetProperty("definition").GetProperty("actions").GetProperty("baseBlob").GetProperty("delete").GetProperty("daysAfterModificationGreaterThan").GetString());
        Assert.Contains("reports", rule.GetProperty("definition").GetProperty("filters").GetProperty("prefixMatch")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Service_bus_key_vault_and_telemetry_accept_only_entra_id()
    {
        var ns = Assert.Single(Bicep.OfType("Microsoft.ServiceBus/namespaces")).GetProperty("properties");
        Assert.True(ns.GetProperty("disableLocalAuth").GetBoolean());
        Assert.Equal("1.2", ns.GetProperty("minimumTlsVersion").GetString());

        var queue = Assert.Single(Bicep.OfType("Microsoft.ServiceBus/namespaces/queues")).GetProperty("properties");
        Assert.True(queue.GetProperty("deadLetteringOnMessageExpiration").GetBoolean());
        Assert.Equal("[parameters('maxDeliveryCount')]", queue.GetProperty("maxDeliveryCount").GetString());

        // The lock is renewed by the host for as long as an invocation may run.
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "host.json")));
        var renewal = TimeSpan.Parse(host.RootElement.GetProperty("extensions").GetProperty("serviceBus").GetProperty("maxAutoLockRenewalDuration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var timeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var module = Bicep.Resources(Bicep.Template).Single(r => r.Resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.Resource.GetProperty("name").GetString() == "servicebus").Resource;
        var lockDuration = System.Xml.XmlConvert.ToTimeSpan(module.GetProperty("properties").GetProperty("parameters").GetProperty("lockDuration").GetProperty("value").GetString()!);
        Assert.InRange(lockDuration, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));
        Assert.True(renewal >= timeout, $"lock renewal {renewal} covers the function timeout {timeout}");

        // The program writes Storage-queue messages as plain text (the SDK's default), so the host's queue triggers
        // must read them without base64 decoding.
        Assert.Equal("none", host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
        Assert.Equal(Azure.Storage.Queues.QueueMessageEncoding.None, new Azure.Storage.Queues.QueueClientOptions().MessageEncoding);

        var vault = Assert.Single(Bicep.OfType("Microsoft.KeyVault/vaults")).GetProperty("properties");
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(vault.GetProperty("enablePurgeProtection").GetBoolean());
        Assert.False(vault.TryGetProperty("accessPolicies", out _));

        var insights = Assert.Single(Bicep.OfType("Microsoft.Insights/components")).GetProperty("properties");
        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
    }

    [Fact]
    public void The_queue_drops_resent_message_ids_within_its_window_and_senders_and_operators_get_data_roles_on_the_queue_only()
    {
        var queue = Assert.Single(Bicep.OfType("Microsoft.ServiceBus/namespaces/queues")).GetProperty("properties");
        Assert.True(queue.GetProperty("requiresDuplicateDetection").GetBoolean());
        Assert.Equal("[parameters('duplicateDetectionWindow')]", queue.GetProperty("duplicateDetectionHistoryTimeWindow").GetString());
        var window = Bicep.Template.GetProperty("parameters").GetProperty("duplicateDetectionWindow").GetProperty("defaultValue").GetString()!;
        Assert.InRange(System.Xml.XmlConvert.ToTimeSpan(window), TimeSpan.FromSeconds(20), TimeSpan.FromDays(7));

        var roleIds = Bicep.Module("roles").GetProperty("variables").GetProperty("roles");
        string RoleOf(JsonElement a) => roleIds.GetProperty(RoleVariable().Match(a.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!).Groups[1].Value).GetString()!;
        var assignments = Bicep.OfType("Microsoft.Authorization/roleAssignments").ToList();
        var receiver = roleIds.GetProperty("serviceBusDataReceiver").GetString();
        var sender = roleIds.GetProperty("serviceBusDataSender").GetString();

        var senders = assignments.Where(a => a.GetProperty("properties").GetProperty("principalId").GetString() == "[variables('sender')]" || a.GetProperty("properties").GetProperty("principalId").GetString() == "[parameters('billingSenderPrincipalIds')[copyIndex()]]").ToList();
        Assert.Equal([sender], senders.Select(RoleOf));
        var operators = assignments.Where(a => a.GetProperty("properties").GetProperty("principalId").GetString()!.Contains("operatorPrincipalIds", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { receiver, sender }.Order(), operators.Select(RoleOf).Order());
        Assert.All(operators, a => Assert.Equal("[parameters('operatorPrincipalType')]", a.GetProperty("properties").GetProperty("principalType").GetString()));
        Assert.All(senders.Concat(operators), a => Assert.Contains("namespaces/queues", a.GetProperty("scope").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_identity_has_exactly_the_roles_it_needs_each_on_its_own_resource()
    {
        var assignments = Bicep.OfType("Microsoft.Authorization/roleAssignments").ToList();
        var forApp = assignments.Where(a => a.GetProperty("properties").GetProperty("principalId").GetString() == "[parameters('principalId')]").ToList();
        var roleIds = Bicep.Module("roles").GetProperty("variables").GetProperty("roles");
        var roles = forApp.Select(a => roleIds.GetProperty(RoleVariable().Match(a.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!).Groups[1].Value).GetString()).ToList();

        Assert.Equal(RequiredRoles.Order(), roles.Order());
        Assert.All(forApp, a => Assert.Equal("ServicePrincipal", a.GetProperty("properties").GetProperty("principalType").GetString()));

        // Nothing broad: no Owner, Contributor or User Access Administrator anywhere.
        string[] broad = ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"];
        Assert.DoesNotContain(roleIds.EnumerateObject(), r => broad.Contains(r.Value.GetString()));
        Assert.All(assignments, a => Assert.Matches(RoleVariable(), a.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!));
    }

    [Fact]
    public void No_key_secret_or_hard_coded_location_is_in_the_template_or_its_outputs()
    {
        var text = Bicep.Template.GetRawText();
        foreach (var forbidden in new[] { "listKeys", "listConnectionStrings", "AccountKey=", "SharedAccessKey", "DefaultEndpointsProtocol", "InstrumentationKey=" })
        {
            Assert.DoesNotContain(forbidden, text, StringComparison.Ordinal);
        }

        foreach (var output in Bicep.Template.GetProperty("outputs").EnumerateObject())
        {
            Assert.Equal("string", output.Value.GetProperty("type").GetString());
            Assert.DoesNotMatch("(?i)secret|password|key$|connection", output.Name);
        }

        foreach (var param in Bicep.Template.GetProperty("parameters").EnumerateObject().Where(p => p.Name.Contains("Secret", StringComparison.Ordinal)))
        {
            Assert.Equal("securestring", param.Value.GetProperty("type").GetString());
            Assert.True(!param.Value.TryGetProperty("defaultValue", out var value) || value.GetString() == string.Empty, param.Name);
        }

        foreach (var (module, resource) in Bicep.Resources(Bicep.Template))
        {
            if (resource.TryGetProperty("location", out var location))
            {
                Assert.True(location.GetString()!.StartsWith('['), $"{module}: {resource.GetProperty("type")} has the literal location {location}");
            }
        }
    }

    [Fact]
    public void Every_binding_setting_of_every_function_is_set_by_the_template()
    {
        var settings = AppSettings();
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("managedidentity", settings["ServiceBusConnection__credential"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);

        foreach (var folder in Directory.GetDirectories(Path.Combine(Repository.Root, "src", "BacklogFunctions.Host", "functions")))
        {
            using var function = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "function.json")));
            foreach (var binding in function.RootElement.GetProperty("bindings").EnumerateArray())
            {
                foreach (var value in binding.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!))
                {
                    if (value.StartsWith('%') && value.EndsWith('%'))
                    {
                        Assert.True(settings.ContainsKey(value.Trim('%')), $"{Path.GetFileName(folder)} uses {value}");
                    }
                }

                if (binding.TryGetProperty("connection", out var connection))
                {
                    Assert.True(settings.Keys.Any(k => k.StartsWith(connection.GetString() + "__", StringComparison.Ordinal)), $"{Path.GetFileName(folder)} uses connection {connection}");
                }
            }
        }

        var schedule = Bicep.Template.GetProperty("parameters").GetProperty("closeSchedule").GetProperty("defaultValue").GetString()!;
        Assert.NotNull(Cronos.CronExpression.Parse(schedule, Cronos.CronFormat.IncludeSeconds));
    }

    [Fact]
    public void The_program_starts_with_exactly_the_settings_the_template_gives_it()
    {
        var settings = AppSettings();
        Assert.Empty(Validate(settings));

        // And the check can fail: without any one of the program's own settings, start-up validation refuses.
        foreach (var name in new[] { "Webhook__Secrets__0", "Storage__TableServiceUri", "Storage__QueueServiceUri", "ReadApi__TrustFunctionsHost" })
        {
            var fewer = settings.Where(s => s.Key != name).ToDictionary();
            Assert.NotEmpty(Validate(fewer));
        }
    }

    [Fact]
    public void The_report_page_is_behind_entra_id_easy_auth_only_when_a_client_id_is_given_and_nothing_else_needs_a_login()
    {
        // Optional: no client id, no authsettingsV2 and no trust in principal headers (the page then refuses).
        var clientId = Bicep.Template.GetProperty("parameters").GetProperty("easyAuthClientId");
        Assert.Equal(string.Empty, clientId.GetProperty("defaultValue").GetString());
        var module = Bicep.Module("functionapp");
        Assert.Equal("[not(empty(parameters('easyAuthClientId')))]", module.GetProperty("variables").GetProperty("easyAuth").GetString());

        var auth = Assert.Single(Bicep.OfType("Microsoft.Web/sites/config"), c => c.GetProperty("name").GetString()!.Contains("authsettingsV2", StringComparison.Ordinal));
        Assert.Equal("[variables('easyAuth')]", auth.GetProperty("condition").GetString());
        var properties = auth.GetProperty("properties");
        Assert.True(properties.GetProperty("platform").GetProperty("enabled").GetBoolean());

        // Login is never forced: the webhook, the host's trigger invocations and the key-checked API stay as they
        // are; the report page itself sends people without a principal to /.auth/login/aad.
        var global = properties.GetProperty("globalValidation");
        Assert.False(global.GetProperty("requireAuthentication").GetBoolean());
        Assert.Equal("AllowAnonymous", global.GetProperty("unauthenticatedClientAction").GetString());
        Assert.True(properties.GetProperty("httpSettings").GetProperty("requireHttps").GetBoolean());

        var entra = properties.GetProperty("identityProviders").GetProperty("azureActiveDirectory");
        Assert.True(entra.GetProperty("enabled").GetBoolean());
        Assert.Equal("[parameters('easyAuthClientId')]", entra.GetProperty("registration").GetProperty("clientId").GetString());
        Assert.Contains("environment().authentication.loginEndpoint", entra.GetProperty("registration").GetProperty("openIdIssuer").GetString(), StringComparison.Ordinal);
        Assert.Contains("parameters('easyAuthTenantId')", entra.GetProperty("registration").GetProperty("openIdIssuer").GetString(), StringComparison.Ordinal);
        Assert.False(entra.GetProperty("registration").TryGetProperty("clientSecretSettingName", out _), "no client secret in the template");

        // The program trusts the principal headers exactly when Easy Auth is deployed, and starts with it.
        Assert.DoesNotContain("Reports__TrustEasyAuth", AppSettings().Keys);
        Assert.Equal("[if(variables('easyAuth'), createObject('Reports__TrustEasyAuth', 'true'), createObject())]", module.GetProperty("variables").GetProperty("easyAuthSettings").GetString());
        Assert.Contains("variables('easyAuthSettings')", Assert.Single(Bicep.OfType("Microsoft.Web/sites/config"), c => c.GetProperty("name").GetString()!.Contains("appsettings", StringComparison.Ordinal)).GetProperty("properties").GetString(), StringComparison.Ordinal);
        var withEasyAuth = new Dictionary<string, string>(AppSettings()) { ["Reports__TrustEasyAuth"] = "true" };
        Assert.Empty(Validate(withEasyAuth));
    }

    [Fact]
    public void The_azd_parameters_file_sets_every_parameter_without_a_default()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bicep.Infra, "main.parameters.json")));
        var given = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
        var declared = Bicep.Template.GetProperty("parameters").EnumerateObject().ToList();

        Assert.Subset(declared.Select(p => p.Name).ToHashSet(), given);
        Assert.All(declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)), p => Assert.Contains(p.Name, given));
        Assert.Contains("${WEBHOOK_SECRET}", file.RootElement.GetProperty("parameters").GetProperty("webhookSecret").GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The function app's settings from the compiled template; expressions are resolved at deployment time.</summary>
    private static Dictionary<string, string> AppSettings() =>
        Bicep.Module("functionapp").GetProperty("variables").GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>
    /// Runs the program's start-up validation with these settings as App Service gives them (environment
    /// variables, <c>__</c> for sections) behind the Functions host; a deploy-time value stands in for each
    /// expression. Answers the validation errors.
    /// </summary>
    private static List<string> Validate(Dictionary<string, string> settings)
    {
        var args = new List<string> { "--FUNCTIONS_CUSTOMHANDLER_PORT", "0" };
        foreach (var (name, value) in settings)
        {
            var resolved = !value.StartsWith('[') ? value
                : DefaultOf(value) is { } fallback ? fallback
                : name.EndsWith("Uri", StringComparison.Ordinal) ? "https://deployed.example.invalid/"
                : name.StartsWith("Webhook__Secrets", StringComparison.Ordinal) ? "@Microsoft.KeyVault(SecretUri=https://vault.example.invalid/secrets/webhook-secret-0)"
                : name == "APPLICATIONINSIGHTS_CONNECTION_STRING" ? "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingest.example.invalid/"
                : "deployed-value-0123456789";
            args.AddRange(["--" + name.Replace("__", ":", StringComparison.Ordinal), resolved]);
        }

        var app = BacklogApp.Build([.. args]);
        var errors = new List<string>();
        foreach (var resolve in new Func<object>[]
        {
            () => app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value,
            () => app.Services.GetRequiredService<IOptions<ReadApiOptions>>().Value,
            () => app.Services.GetRequiredService<IOptions<StorageOptions>>().Value,
            () => app.Services.GetRequiredService<IOptions<CloseOptions>>().Value,
            () => app.Services.GetRequiredService<IOptions<ReportsOptions>>().Value,
            () => app.Services.GetRequiredService<IOptions<ServiceBusOptions>>().Value,
            () => app.Services.GetRequiredService<IOptions<Host.Alerts.AlertDeliveryOptions>>().Value,
            () => app.Services.GetRequiredService<OpenTelemetry.Trace.TracerProvider>(),
        })
        {
            try
            {
                _ = resolve();
            }
            catch (OptionsValidationException ex)
            {
                errors.Add(ex.Message);
            }
        }

        return errors;
    }

    [GeneratedRegex(@"variables\('roles'\)\.(\w+)\)\]$")]
    private static partial Regex RoleVariable();

    [GeneratedRegex(@"^\[(?:string\()?parameters\('(\w+)'\)\)?\]$")]
    private static partial Regex ParameterReference();

    /// <summary>
    /// A setting that is a module parameter, followed to main.bicep's default for it (what a deployment that sets
    /// nothing gets); null when the value is only known at deployment time.
    /// </summary>
    private static string? DefaultOf(string value)
    {
        if (ParameterReference().Match(value) is not { Success: true } inModule)
        {
            return null;
        }

        var call = Bicep.Resources(Bicep.Template).Single(r => r.Resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.Resource.GetProperty("name").GetString() == "functionapp").Resource;
        var passed = call.GetProperty("properties").GetProperty("parameters").GetProperty(inModule.Groups[1].Value).GetProperty("value");
        if (passed.ValueKind != JsonValueKind.String)
        {
            return passed.GetRawText();
        }

        if (ParameterReference().Match(passed.GetString()!) is { Success: true } inMain &&
            Bicep.Template.GetProperty("parameters").GetProperty(inMain.Groups[1].Value).TryGetProperty("defaultValue", out var fallback))
        {
            return fallback.ValueKind == JsonValueKind.String ? fallback.GetString() : fallback.GetRawText();
        }

        return null;
    }
}
