using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Snapshots;

/// <summary>
/// The one table of the engine policies' names, as settings, the command line, JSON, CSV and stored rows spell
/// them. Reading refuses a name that is not in the table; nothing falls back to a default silently.
/// </summary>
public static class PolicyNames
{
    private static readonly (ProrationPolicy Value, string Name)[] Prorations =
    [
        (ProrationPolicy.Daily, "daily"),
        (ProrationPolicy.Monthly, "monthly"),
        (ProrationPolicy.MonthlyProrated, "monthly-prorated"),
    ];

    private static readonly (DeferredBasis Value, string Name)[] Bases =
    [
        (DeferredBasis.Billed, "billed"),
        (DeferredBasis.Collected, "collected"),
    ];

    public static IReadOnlyList<string> ProrationNames { get; } = [.. Prorations.Select(p => p.Name)];

    public static IReadOnlyList<string> DeferredBasisNames { get; } = [.. Bases.Select(b => b.Name)];

    public static string NameOf(ProrationPolicy policy) => Find(Prorations, policy);

    public static string NameOf(DeferredBasis basis) => Find(Bases, basis);

    public static bool TryParseProration(string? name, out ProrationPolicy policy) => TryFind(Prorations, name, out policy);

    public static bool TryParseDeferredBasis(string? name, out DeferredBasis basis) => TryFind(Bases, name, out basis);

    /// <exception cref="FormatException">The name is not one of <see cref="ProrationNames"/>.</exception>
    public static ProrationPolicy ParseProration(string? name) =>
        TryParseProration(name, out var policy) ? policy : throw Unknown("proration", name, ProrationNames);

    /// <exception cref="FormatException">The name is not one of <see cref="DeferredBasisNames"/>.</exception>
    public static DeferredBasis ParseDeferredBasis(string? name) =>
        TryParseDeferredBasis(name, out var basis) ? basis : throw Unknown("deferred basis", name, DeferredBasisNames);

    /// <summary>Both policies from their names.</summary>
    /// <exception cref="FormatException">A name is not in the table.</exception>
    public static SnapshotOptions Options(string? proration, string? deferredBasis) =>
        new() { Proration = ParseProration(proration), DeferredBasis = ParseDeferredBasis(deferredBasis) };

    private static string Find<T>((T Value, string Name)[] table, T value)
        where T : struct, Enum
    {
        foreach (var (v, name) in table)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "not a policy of the name table");
    }

    private static bool TryFind<T>((T Value, string Name)[] table, string? name, out T value)
        where T : struct, Enum
    {
        foreach (var (v, n) in table)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static FormatException Unknown(string what, string? name, IReadOnlyList<string> names) =>
        new($"'{name}' is not a {what}; expected one of {string.Join(", ", names)}");
}
