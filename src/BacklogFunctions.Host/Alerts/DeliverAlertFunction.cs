using BacklogFunctions.Host.Http;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Alerts;

/// <summary>
/// The <c>DeliverAlert</c> queue function behind the Functions host (<c>alert-deliveries</c>, binding name
/// <c>item</c>): the same delivery as the standalone listener. Its answer is 200 whatever became of the alert —
/// delivered, a delayed copy queued for the next attempt, or moved to the poison queue — so the host completes the
/// message; a storage failure fails the invocation and the host delivers the message again.
/// </summary>
internal static class DeliverAlertFunction
{
    public static async Task<IResult> InvokeAsync(HttpContext context, AlertDelivery delivery, IOptions<WebhookOptions> limits)
    {
        var (invocation, refusal) = await FunctionInvocation.ReadAsync(context, "item", limits.Value.MaxEventBytes).ConfigureAwait(false);
        if (invocation is null)
        {
            return refusal!;
        }

        var result = await delivery.HandleAsync(invocation.BindingText ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
        return FunctionInvocation.Answer(result.Log);
    }
}
