using System.Text.Json;

namespace BacklogFunctions.Infra.Tests;

/// <summary>Alert receivers in the template: URLs as app settings, secrets in Key Vault only, referenced like the webhook secret.</summary>
public partial class InfraTests
{
    [Fact]
    public void Alert_receivers_are_one_secure_parameter_whose_secrets_go_to_key_vault_and_reach_the_app_as_references()
    {
        var parameter = Bicep.Template.GetProperty("parameters").GetProperty("alertWebhooks");
        Assert.Equal("securestring", parameter.GetProperty("type").GetString());
        Assert.Equal(string.Empty, parameter.GetProperty("defaultValue").GetString());

        // Key Vault: one secret per receiver, alert-webhook-secret-N, its value from the secure parameter.
        var secrets = Bicep.OfType("Microsoft.KeyVault/vaults/secrets").Single(s => s.TryGetProperty("copy", out _));
        Assert.Equal("[format('{0}/{1}', parameters('name'), format('alert-webhook-secret-{0}', copyIndex()))]", secrets.GetProperty("name").GetString());
        Assert.Contains("parameters('alertWebhooks')", secrets.GetProperty("properties").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("[copyIndex()].secret]", secrets.GetProperty("properties").GetProperty("value").GetString(), StringComparison.Ordinal);

        // Only the URLs go to the function app's module; each secret setting is a Key Vault reference.
        var urls = Bicep.Template.GetProperty("variables").GetProperty("alertWebhookUrls").GetString()!;
        Assert.Contains(".url", urls, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", urls, StringComparison.OrdinalIgnoreCase);
        var module = Bicep.Resources(Bicep.Template).Single(r => r.Resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.Resource.GetProperty("name").GetString() == "functionapp").Resource;
        var passed = module.GetProperty("properties").GetProperty("parameters");
        Assert.Equal("[variables('alertWebhookUrls')]", passed.GetProperty("alertWebhookUrls").GetProperty("value").GetString());
        Assert.DoesNotContain("alertWebhooks')", passed.GetRawText(), StringComparison.Ordinal);

        var alertSettings = Bicep.Module("functionapp").GetProperty("variables").GetProperty("alertSettings").GetString()!;
        Assert.Contains("format('Alerts__Webhooks__{0}__Url', lambdaVariables('i')), parameters('alertWebhookUrls')[lambdaVariables('i')]", alertSettings, StringComparison.Ordinal);
        Assert.Contains("format('Alerts__Webhooks__{0}__Secret', lambdaVariables('i')), format('@Microsoft.KeyVault(SecretUri={0}secrets/alert-webhook-secret-{1})', parameters('keyVaultUri'), lambdaVariables('i'))", alertSettings, StringComparison.Ordinal);
        var appSettings = Assert.Single(Bicep.OfType("Microsoft.Web/sites/config"), c => c.GetProperty("name").GetString()!.Contains("appsettings", StringComparison.Ordinal));
        Assert.Contains("variables('alertSettings')", appSettings.GetProperty("properties").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, Bicep.Template.GetProperty("parameters").GetProperty("alertWebhooks").GetProperty("defaultValue").ValueKind);
    }

    [Fact]
    public void The_program_starts_with_alert_receivers_as_the_template_sets_them()
    {
        // As App Service gives them before it resolves the references: a reference is itself long enough to pass.
        var settings = new Dictionary<string, string>(AppSettings())
        {
            ["Alerts__Webhooks__0__Url"] = "https://alerts.example.invalid/backlog",
            ["Alerts__Webhooks__0__Secret"] = "@Microsoft.KeyVault(SecretUri=https://vault.example.invalid/secrets/alert-webhook-secret-0)",
            ["Alerts__Webhooks__1__Url"] = "https://hooks.example.invalid/finance",
            ["Alerts__Webhooks__1__Secret"] = "@Microsoft.KeyVault(SecretUri=https://vault.example.invalid/secrets/alert-webhook-secret-1)",
        };
        Assert.Empty(Validate(settings));

        settings["Alerts__Webhooks__1__Url"] = "hooks.example.invalid/finance";
        Assert.Contains(Validate(settings), e => e.Contains("Alerts:Webhooks:1:Url must be an absolute http or https URL", StringComparison.Ordinal));
    }
}
