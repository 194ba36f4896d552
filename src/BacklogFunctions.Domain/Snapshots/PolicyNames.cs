using BacklogFunctions.Domain.Recognition;

namespace BacklogFunctions.Domain.Snapshots;

/// <summary>
/// The one table of the engine policies' names, as settings, the command line, JSON, CSV and stored rows spell
/// them. Reading refuses a name that is not in the table; nothing falls back to a default silently.
/// </summary>
public static class PolicyNames
{
    private static readonly NameTable<ProrationPolicy> Prorations = new(
        (ProrationPolicy.Daily, "daily"),
        (ProrationPolicy.Monthly, "monthly"),
        (ProrationPolicy.MonthlyProrated, "monthly-prorated"));

    private static readonly NameTable<DeferredBasis> Bases = new(
        (DeferredBasis.Billed, "billed"),
        (DeferredBasis.Collected, "collected"));

    public static IReadOnlyList<string> ProrationNames => Prorations.Names;

    public static IReadOnlyList<string> DeferredBasisNames => Bases.Names;

    public static string NameOf(ProrationPolicy policy) => Prorations.NameOf(policy);

    public static string NameOf(DeferredBasis basis) => Bases.NameOf(basis);

    public static bool TryParseProration(string? name, out ProrationPolicy policy) => Prorations.TryParse(name, out policy);

    public static bool TryParseDeferredBasis(string? name, out DeferredBasis basis) => Bases.TryParse(name, out basis);

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

    private static FormatException Unknown(string what, string? name, IReadOnlyList<string> names) =>
        new($"'{name}' is not a {what}; expected one of {string.Join(", ", names)}");
}
