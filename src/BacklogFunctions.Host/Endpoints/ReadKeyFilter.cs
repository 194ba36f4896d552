using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BacklogFunctions.Host.Endpoints;

/// <summary>
/// Nothing is readable anonymously: read endpoints need a configured key in <c>x-functions-key</c> or
/// <c>?code=</c>, the same places Azure Functions looks for function keys — or, with
/// <c>ReadApi:TrustFunctionsHost</c> behind the Functions host, the host's own function-key check.
/// </summary>
internal sealed class ReadKeyFilter(IOptions<ReadApiOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (options.Value.HostChecksKeys)
        {
            // Behind the Functions host, which checked the function key (authLevel: function) before forwarding.
            return await next(context).ConfigureAwait(false);
        }

        var request = context.HttpContext.Request;
        var presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        if (presented is null || !Matches(presented, options.Value.Keys))
        {
            return Results.Problem(title: "Unauthorized", detail: "a read key is required (x-functions-key header or code query parameter)", statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context).ConfigureAwait(false);
    }

    private static bool Matches(string presented, IReadOnlyList<string> keys)
    {
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var matched = false;
        foreach (var key in keys)
        {
            matched |= CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return matched;
    }
}
