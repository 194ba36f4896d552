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
        if (!Allows(context.HttpContext.Request, options.Value))
        {
            return Unauthorized();
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>True when the request carries a configured read key, or the Functions host checked its function key.</summary>
    public static bool Allows(HttpRequest request, ReadApiOptions options)
    {
        if (options.HostChecksKeys)
        {
            // Behind the Functions host, which checked the function key (authLevel: function) before forwarding.
            return true;
        }

        var presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return presented is not null && Matches(presented, options.Keys);
    }

    public static IResult Unauthorized() =>
        Results.Problem(title: "Unauthorized", detail: "a read key is required (x-functions-key header or code query parameter)", statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>
    /// Whether <paramref name="presented"/> is one of the keys, in constant time: both sides are hashed to the
    /// same length first, and every key is compared whatever the outcome of the others.
    /// </summary>
    public static bool Matches(string presented, IReadOnlyList<string> keys)
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
