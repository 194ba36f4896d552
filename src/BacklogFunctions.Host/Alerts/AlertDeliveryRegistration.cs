using System.Net;
using BacklogFunctions.Storage;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Alerts;

/// <summary>The delivery of fired alerts, for the composition root: options, receivers, their HTTP client and the delivery.</summary>
public static class AlertDeliveryRegistration
{
    public static IServiceCollection AddAlertDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertDeliveryOptions>().Bind(configuration.GetSection(AlertDeliveryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        // The outbox addresses the receivers by URL only; the secrets stay in the options the delivery signs with.
        services.AddSingleton(sp => new AlertReceivers([.. sp.GetRequiredService<IOptions<AlertDeliveryOptions>>().Value.Webhooks.Select(w => w.Url!)]));

        // One attempt is one POST: no retry handler (the queue retries with backoff), no redirects (a signed body goes
        // only where it was configured to go), and no request logging (it would write the URL with its query).
        services.AddHttpClient(AlertDelivery.ClientName, (sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<AlertDeliveryOptions>>().Value.Delivery.Timeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("BacklogFunctions-Alerts/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers();
        services.AddSingleton<AlertDelivery>();
        return services;
    }
}
