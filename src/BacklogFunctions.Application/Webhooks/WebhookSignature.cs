using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BacklogFunctions.Application.Webhooks;

/// <summary>
/// <c>Backlog-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;[,v1=…]</c>. Several v1
/// values let a sender sign with an old and a new secret during a rotation. Comparisons take constant time;
/// "now" is passed in.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Backlog-Signature";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var mac = Compute(secret, timestamp, body);
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexStringLower(mac)}");
    }

    /// <summary>Null when the signature is good; otherwise why it is not (without any secret material).</summary>
    public static string? Verify(string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return $"the {Header} header is missing";
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                return $"the {Header} header is malformed";
            }

            var name = part[..separator];
            var value = part[(separator + 1)..];
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (name == "v1" && value.Length == 64 && TryHex(value, out var bytes))
            {
                signatures.Add(bytes);
            }
        }

        if (timestamp is not { } seconds || signatures.Count == 0)
        {
            return $"the {Header} header needs t=<unix seconds> and at least one v1=<64 hex digits>";
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return "the signature timestamp is outside the tolerance window (a replayed or delayed request)";
        }

        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = Compute(secret, seconds, body);
            foreach (var candidate in signatures)
            {
                // Evaluate every pair: the time taken does not depend on which one matches.
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return matched ? null : "no v1 signature matches";
    }

    private static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryHex(string value, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(value);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
