using BacklogFunctions.Domain.Consolidation;
using BacklogFunctions.Domain.Money;

namespace BacklogFunctions.Application.Consolidation;

/// <summary>A rate as stored: the rate, into which reporting currency, and when it was uploaded.</summary>
public sealed record StoredFxRate(Currency Reporting, FxRate Rate, DateTimeOffset UploadedAt);

/// <summary>
/// The FX rates uploaded for consolidation (consolidation.md, "Rates"): append-only, each with its upload time. A
/// later upload of the same date and currency supersedes the earlier one for closes that run after it; nothing is
/// ever overwritten or deleted.
/// </summary>
public interface IFxRateStore
{
    /// <summary>Stores one upload (already validated as a whole), every rate with the same upload time.</summary>
    Task AppendAsync(Currency reporting, IReadOnlyList<FxRate> rates, DateTimeOffset uploadedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Every stored rate into <paramref name="reporting"/> dated from <paramref name="from"/> to <paramref name="to"/>
    /// (inclusive, null for no bound), by currency, date and upload time (oldest upload first, so the last one of a
    /// date and currency is the one that counts).
    /// </summary>
    Task<IReadOnlyList<StoredFxRate>> ReadAsync(Currency reporting, DateOnly? from, DateOnly? to, CancellationToken cancellationToken);
}
